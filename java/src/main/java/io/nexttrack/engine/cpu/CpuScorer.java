package io.nexttrack.engine.cpu;

import io.nexttrack.data.Batch;
import io.nexttrack.numeric.LogSoftmax;
import io.nexttrack.engine.Scorer;
import io.nexttrack.numeric.TopK;
import io.nexttrack.model.Parameters;

/**
 * The reference {@link Scorer}: {@link CpuModel}'s forward pass with dropout off, log-softmax and top-k on the host.
 * Takes batches of its shape or smaller.
 */
public final class CpuScorer implements Scorer {
    private final CpuModel model;
    private final int songs;

    public CpuScorer(Parameters parameters, int lanes, int steps, int threads) {
        this.model = new CpuModel(parameters, lanes, steps, threads, 0);
        this.songs = parameters.config().songs();
        model.setTraining(false); // no dropout when scoring
    }

    @Override public int lanes() { return model.lanes(); }

    @Override public int steps() { return model.steps(); }

    @Override public void resetState() { model.resetState(); }

    @Override
    public void logProbabilities(Batch batch, RowSink sink) {
        logProbabilities(batch, null, sink);
    }

    @Override
    public void logProbabilities(Batch batch, int[] steps, RowSink sink) {
        model.forward(batch, steps, (t, lane, logits, offset) -> {
            LogSoftmax.inPlace(logits, offset, songs);
            sink.accept(t, lane, logits, offset);
        });
    }

    @Override
    public Top[] top(Batch batch, int[] steps, int k) {
        if (k < 1 || k > songs) throw new IllegalArgumentException("k must be in [1, " + songs + "]: " + k);
        Top[] out = new Top[batch.lanes];
        logProbabilities(batch, steps, (t, lane, row, offset) -> {
            int[] best = TopK.of(row, offset, songs, k);
            float[] scores = new float[best.length];
            for (int i = 0; i < best.length; i++) scores[i] = row[offset + best[i]];
            out[lane] = new Top(best, scores);
        });
        return out;
    }

    /** The carried state (layout of {@link CpuModel#state()}), for tests that compare engines. */
    public float[] state() { return model.state(); }

    @Override
    public void close() { model.close(); }
}
