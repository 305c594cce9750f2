package io.nexttrack.eval;

import io.nexttrack.data.Batch;
import io.nexttrack.data.Playlists;
import io.nexttrack.engine.EngineFactory;
import io.nexttrack.engine.Scorer;
import io.nexttrack.model.TrainedModel;

/**
 * The trained LSTM alone as a {@link NextSongModel} (a model's {@code Hybrid} is {@link HybridModel}'s): reads each playlist from its first song with a fresh state
 * and gives log-softmax scores over the whole catalogue at every position. Playlists of similar length
 * share a batch (one per lane), so little of each chunk is padding. No lane resets inside a chunk, so every
 * engine takes these chunks (cuDNN's too); the engine computes the log-softmax rows, and the metrics are
 * computed from them on the host by the one {@link Evaluator}.
 */
public final class LstmModel implements NextSongModel {
    private final TrainedModel model;
    private final int lanes;
    private final int steps;
    private final EngineFactory engines;

    /** On the CPU engine with {@code threads} workers. */
    public LstmModel(TrainedModel model, int lanes, int steps, int threads) {
        this(model, lanes, steps, EngineFactory.cpu(threads));
    }

    public LstmModel(TrainedModel model, int lanes, int steps, EngineFactory engines) {
        this.model = model;
        this.lanes = lanes;
        this.steps = steps;
        this.engines = engines;
    }

    @Override public String name() { return "lstm"; }

    @Override public boolean givesProbabilities() { return true; }

    @Override
    public void score(Playlists playlists, PositionSink sink) {
        run(playlists, false, sink);
    }

    /** Only the last position of each playlist: the LSTM reads every song, the output layer runs at the last. */
    @Override
    public void scoreLast(Playlists playlists, PositionSink sink) {
        run(playlists, true, sink);
    }

    private void run(Playlists playlists, boolean lastOnly, PositionSink sink) {
        if (playlists.songCount() != model.config().songs()) {
            throw new IllegalArgumentException("the model knows " + model.config().songs() + " songs, the playlists "
                    + playlists.songCount());
        }
        int[] order = byLength(playlists);
        Batch batch = new Batch(lanes, steps);
        int[] group = new int[lanes];
        int[] last = new int[lanes];
        try (Scorer engine = engines.scorer(model.parameters(), lanes, steps)) {
            for (int first = 0; first < order.length; first += lanes) {
                int n = Math.min(lanes, order.length - first);
                System.arraycopy(order, first, group, 0, n);
                int longest = playlists.length(group[n - 1]) - 1; // sorted by length
                engine.resetState();
                for (int from = 0; from < longest; from += steps) {
                    batch.clear();
                    java.util.Arrays.fill(last, -1);
                    for (int b = 0; b < n; b++) {
                        int p = group[b], positions = playlists.length(p) - 1;
                        for (int t = 0; t < steps && from + t < positions; t++) {
                            int i = from + t;
                            batch.put(t, b, playlists.song(p, i), playlists.song(p, i + 1), i == 0);
                        }
                        if (positions - 1 >= from && positions - 1 < from + steps) last[b] = positions - 1 - from;
                    }
                    int chunkStart = from;
                    Scorer.RowSink rows = (t, b, row, offset) -> sink.accept(group[b], chunkStart + t, row, offset);
                    if (lastOnly) engine.logProbabilities(batch, last, rows);
                    else engine.logProbabilities(batch, rows);
                }
            }
        }
    }

    /** Playlists with a transition, shortest first (ties in file order). */
    private static int[] byLength(Playlists p) {
        long[] keyed = new long[p.size()];
        int n = 0;
        for (int i = 0; i < p.size(); i++) if (p.length(i) >= 2) keyed[n++] = ((long) p.length(i) << 32) | i;
        java.util.Arrays.sort(keyed, 0, n);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = (int) keyed[i];
        return order;
    }
}
