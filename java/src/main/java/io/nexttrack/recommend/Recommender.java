package io.nexttrack.recommend;

import io.nexttrack.data.Batch;
import io.nexttrack.data.SongLookup;
import io.nexttrack.engine.EngineFactory;
import io.nexttrack.engine.Scorer;
import io.nexttrack.model.TrainedModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.OptionalInt;

/**
 * Top-k next songs for listening histories. Load a model once, then call {@link #recommend} from any
 * number of threads: the model is only read, and every call works in its own buffers (kept between calls, at
 * most one set per core), so concurrent calls give exactly the results of serial ones. For a live listening
 * session, {@link #session()} carries the LSTM state from song to song instead of re-reading the whole history.
 * {@link #close()} frees the kept buffers (on a GPU, its device context) once no call is running.
 * Scores are the model's log-probabilities: the LSTM's mixed with the playlist neighbours' when the model has a
 * {@link io.nexttrack.model.Hybrid} (the default), the LSTM's alone otherwise. Songs are internal ids (0-based);
 * {@link #songs()} finds them by title, "title - artist" or the data's ids.
 *
 * <pre>{@code
 * Recommender r = Recommender.load(Path.of("runs/yes/model.nt"));
 * int[] history = r.songs().ids("Grenade", "Aston Martin Music");
 * for (Recommendation x : r.recommend(history, 10)) System.out.println(x.title() + " - " + x.artist());
 * }</pre>
 */
public final class Recommender implements AutoCloseable {
    /** Histories longer than this are read in chunks, with the state carried over. */
    private static final int CHUNK = 64;
    private final TrainedModel model;
    private final ScorerPool scorers;
    private volatile SongLookup songs;

    /** On the CPU engine, one thread per call. */
    public Recommender(TrainedModel model) {
        this(model, EngineFactory.cpu(1));
    }

    /**
     * Batched recommendations on the engines of {@code engines} (on a GPU, the top k are found on the device; the
     * first call sets up a device context and uploads the model, later calls reuse them until {@link #close()});
     * {@link #session() sessions} always step on the CPU, one song at a time.
     */
    public Recommender(TrainedModel model, EngineFactory engines) {
        this.model = model;
        this.scorers = new ScorerPool(engines, model.parameters());
    }

    /** Loads a model file ({@link TrainedModel#load}) and recommends on the CPU. */
    public static Recommender load(Path file) throws IOException {
        return new Recommender(TrainedModel.load(file));
    }

    public TrainedModel model() { return model; }

    public List<Recommendation> recommend(int[] history, int k) {
        return recommend(history, k, false);
    }

    /** The k most likely next songs after {@code history} (internal ids), best first. */
    public List<Recommendation> recommend(int[] history, int k, boolean excludeSeen) {
        return recommend(new int[][] {history}, k, excludeSeen).get(0);
    }

    /**
     * The batched variant: one ranked list per history, computed together. The LSTM reads every song of every
     * history; the output layer (V-wide) runs only at the last song of each.
     */
    public List<List<Recommendation>> recommend(int[][] histories, int k, boolean excludeSeen) {
        if (k < 1) throw new IllegalArgumentException("k must be at least 1");
        if (histories.length == 0) return List.of();
        int longest = 0;
        for (int[] h : histories) {
            if (h.length == 0) throw new IllegalArgumentException("a history needs at least one song");
            for (int s : h) checkSong(s);
            longest = Math.max(longest, h.length);
        }
        List<List<Recommendation>> out = new ArrayList<>(histories.length);
        for (int i = 0; i < histories.length; i++) out.add(null);
        int lanes = histories.length;
        int songs = model.config().songs();
        BitSet[] exclude = new BitSet[lanes]; // null: nothing excluded
        if (excludeSeen) for (int b = 0; b < lanes; b++) exclude[b] = seen(histories[b]);
        HybridScoring hybrid = HybridScoring.of(model);
        Scorer engine = scorers.take(lanes, Math.min(longest, CHUNK));
        try {
            // A kept GPU scorer may be larger than this call: its batch has its shape, the other lanes stay empty.
            boolean padded = !engine.takesSmallerBatches();
            int steps = padded ? engine.steps() : Math.min(longest, CHUNK);
            Batch batch = padded ? new Batch(engine.lanes(), steps) : new Batch(lanes, steps);
            int[] last = new int[batch.lanes];
            Arrays.fill(last, -1);
            for (int from = 0; from < longest; from += steps) {
                batch.clear();
                boolean anyLast = false;
                for (int b = 0; b < lanes; b++) {
                    for (int t = 0; t < steps && from + t < histories[b].length; t++) {
                        batch.put(t, b, histories[b][from + t], Batch.PAD, from + t == 0);
                    }
                    int end = histories[b].length - 1 - from;
                    last[b] = end >= 0 && end < steps ? end : -1;
                    anyLast |= last[b] >= 0;
                }
                if (!anyLast) { // no history ends in this chunk: only the LSTM state moves on
                    engine.logProbabilities(batch, last, (t, b, row, offset) -> {});
                    continue;
                }
                if (hybrid != null) {
                    // The neighbours' votes change every song's score: the hybrid needs the LSTM's whole row.
                    engine.logProbabilities(batch, last, (t, b, row, offset) -> {
                        hybrid.cursor.reset();
                        for (int song : histories[b]) hybrid.cursor.play(song);
                        hybrid.mix(row, offset);
                        out.set(b, Scoring.top(model, row, offset, k, exclude[b]));
                    });
                    continue;
                }
                // Excluded songs can only push others down: asking for k + |excluded| and dropping them gives the
                // same list as ranking with them removed.
                int ask = k;
                if (excludeSeen) for (int b = 0; b < lanes; b++) if (last[b] >= 0) ask = Math.max(ask, k + exclude[b].cardinality());
                Scorer.Top[] tops = engine.top(batch, last, Math.min(ask, songs));
                for (int b = 0; b < lanes; b++) {
                    if (last[b] >= 0) out.set(b, Scoring.ranked(model, tops[b], k, exclude[b]));
                }
            }
        } finally {
            scorers.give(engine);
        }
        return out;
    }

    /**
     * Frees the buffers kept between calls (on a GPU: the device context and the model's copy there). Calls running
     * now finish normally and free theirs; a later call works, and makes and frees its own.
     */
    @Override
    public void close() {
        scorers.close();
    }

    /** The kept scorers (for tests). */
    ScorerPool scorers() { return scorers; }

    /** A listening session: play songs one by one and ask for the next ones at any time. */
    public ListeningSession session() {
        return new ListeningSession(this);
    }

    /**
     * The model's songs: by internal id, by the data's external id, by title or "title - artist" (case, accents and
     * punctuation ignored), with the candidates or the closest titles when a name fits several songs or none
     * ({@link SongLookup.NotFound}). Built on first use; immutable and thread-safe.
     */
    public SongLookup songs() {
        SongLookup s = songs;
        if (s == null) songs = s = new SongLookup(model.vocabulary(), model.catalog());
        return s;
    }

    /** The internal id of a song named by its external id (as in the data the model was trained on). */
    public OptionalInt songOf(String externalId) {
        return model.vocabulary().lookup(externalId);
    }

    void checkSong(int song) {
        if (song < 0 || song >= model.config().songs()) {
            throw new IllegalArgumentException("unknown song id " + song + " (the model knows 0.." + (model.config().songs() - 1) + ")");
        }
    }

    private static BitSet seen(int[] history) {
        BitSet s = new BitSet();
        for (int x : history) s.set(x);
        return s;
    }
}
