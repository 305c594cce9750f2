package io.nexttrack.recommend;

import io.nexttrack.data.Batch;
import io.nexttrack.engine.EngineFactory;
import io.nexttrack.engine.Scorer;
import java.util.BitSet;
import java.util.List;

/**
 * One listener's session: each {@link #play} advances the LSTM state by one song (one step, not the
 * whole history again), and {@link #next} ranks what should come after. Not thread-safe: one session
 * per listener; create as many as you like from one {@link Recommender}. Close it when the listener leaves;
 * a closed session refuses every call with an {@link IllegalStateException} saying so.
 *
 * <pre>{@code
 * try (ListeningSession session = recommender.session()) {
 *     session.play(recommender.songs().resolve("Grenade", SongLookup.Ids.INTERNAL).id());
 *     for (Recommendation r : session.next(5)) System.out.println(r.rank() + ". " + r.title());
 * }
 * }</pre>
 */
public final class ListeningSession implements AutoCloseable {
    private final Recommender recommender;
    private final Scorer scorer;
    private final Batch batch = new Batch(1, 1);
    private final float[] logProbs;
    private final BitSet played = new BitSet();
    private final HybridScoring hybrid;
    private int length;
    private boolean closed;

    ListeningSession(Recommender recommender) {
        this.recommender = recommender;
        this.scorer = EngineFactory.cpu(1).scorer(recommender.model().parameters(), 1, 1);
        this.logProbs = new float[recommender.model().config().songs()];
        this.hybrid = HybridScoring.of(recommender.model());
    }

    /** Appends a song (internal id) to the history. */
    public void play(int song) {
        requireOpen();
        recommender.checkSong(song);
        batch.clear();
        batch.put(0, 0, song, Batch.PAD, length == 0);
        scorer.logProbabilities(batch, (t, b, row, offset) -> System.arraycopy(row, offset, logProbs, 0, logProbs.length));
        played.set(song);
        if (hybrid != null) hybrid.cursor.play(song);
        length++;
    }

    /** Songs played so far. */
    public int length() { return length; }

    /** The k most likely next songs, best first, songs already played included (as {@link Recommender#recommend(int[], int)}). */
    public List<Recommendation> next(int k) {
        return next(k, false);
    }

    /** The k most likely next songs, best first; with {@code excludePlayed}, none that was played in this session. */
    public List<Recommendation> next(int k, boolean excludePlayed) {
        requireOpen();
        if (k < 1) throw new IllegalArgumentException("k must be at least 1");
        if (length == 0) throw new IllegalStateException("play at least one song first");
        float[] scores = logProbs.clone();
        if (hybrid != null) hybrid.mix(scores, 0);
        return Scoring.top(recommender.model(), scores, 0, k, excludePlayed ? played : null);
    }

    /** Frees the session's scorer; a second close does nothing. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        scorer.close();
    }

    private void requireOpen() {
        if (closed) throw new IllegalStateException("this listening session was closed: start a new one with Recommender.session()");
    }
}
