package io.nexttrack.eval;

import io.nexttrack.data.Batch;
import io.nexttrack.data.Playlists;
import io.nexttrack.engine.LogSoftmax;
import io.nexttrack.engine.cpu.CpuEngine;
import io.nexttrack.model.TrainedModel;

/**
 * The trained LSTM alone as a {@link NextSongModel} (a model's {@code Hybrid} is {@link HybridModel}'s): reads each playlist from its first song with a fresh state
 * and gives log-softmax scores over the whole catalogue at every position. Playlists of similar length
 * share a batch (one per lane), so little of each chunk is padding.
 */
public final class LstmModel implements NextSongModel {
    private final TrainedModel model;
    private final int lanes;
    private final int steps;
    private final int threads;

    public LstmModel(TrainedModel model, int lanes, int steps, int threads) {
        this.model = model;
        this.lanes = lanes;
        this.steps = steps;
        this.threads = threads;
    }

    @Override public String name() { return "lstm"; }

    @Override public boolean givesProbabilities() { return true; }

    @Override
    public void score(Playlists playlists, PositionSink sink) {
        if (playlists.songCount() != model.config().songs()) {
            throw new IllegalArgumentException("the model knows " + model.config().songs() + " songs, the playlists "
                    + playlists.songCount());
        }
        int[] order = byLength(playlists);
        int songs = model.config().songs();
        Batch batch = new Batch(lanes, steps);
        int[] group = new int[lanes];
        try (CpuEngine engine = new CpuEngine(model.parameters(), lanes, steps, threads, 0)) {
            engine.setTraining(false); // no dropout when scoring
            for (int first = 0; first < order.length; first += lanes) {
                int n = Math.min(lanes, order.length - first);
                System.arraycopy(order, first, group, 0, n);
                int longest = playlists.length(group[n - 1]) - 1; // sorted by length
                engine.resetState();
                for (int from = 0; from < longest; from += steps) {
                    batch.clear();
                    for (int b = 0; b < n; b++) {
                        int p = group[b];
                        for (int t = 0; t < steps && from + t < playlists.length(p) - 1; t++) {
                            int i = from + t;
                            batch.put(t, b, playlists.song(p, i), playlists.song(p, i + 1), i == 0);
                        }
                    }
                    int chunkStart = from;
                    engine.forward(batch, (t, b, logits, offset) -> {
                        LogSoftmax.inPlace(logits, offset, songs);
                        sink.accept(group[b], chunkStart + t, logits, offset);
                    });
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
