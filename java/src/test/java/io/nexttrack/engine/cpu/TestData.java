package io.nexttrack.engine.cpu;

import io.nexttrack.data.Batch;
import io.nexttrack.model.ModelConfig;
import io.nexttrack.model.Parameters;
import java.util.SplittableRandom;

/** Random models and chunks for the engine tests: every feature of a chunk (resets, padding, PAD, empty lanes). */
final class TestData {
    private TestData() {}

    static Parameters parameters(int v, int e, int h, int l, long seed) {
        Parameters p = new Parameters(new ModelConfig(v, e, h, l, 0.5f, false, 0f));
        p.initialise(seed);
        // Non-zero biases everywhere so that every bias gradient path is exercised.
        SplittableRandom rnd = new SplittableRandom(seed + 1);
        for (Parameters.Tensor t : p.tensors()) {
            if (t.rows() == 1) for (int i = 0; i < t.size(); i++) p.values()[t.offset() + i] += (float) (rnd.nextDouble() - 0.5);
        }
        return p;
    }

    /**
     * A chunk where lane 0 is full length with a reset in mid chunk, lane 1 (if any) has length 0 and the
     * last lane is shorter than the chunk (padding).
     */
    static Batch batch(int lanes, int steps, int songs, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Batch b = new Batch(lanes, steps);
        b.clear();
        for (int lane = 0; lane < lanes; lane++) {
            int length = lane == 1 ? 0 : lane == lanes - 1 && lanes > 2 ? Math.max(1, steps - 2) : steps;
            for (int t = 0; t < length; t++) {
                boolean reset = (lane == 0 && t == steps / 2) || rnd.nextInt(6) == 0;
                b.put(t, lane, rnd.nextInt(songs), rnd.nextInt(songs), reset);
            }
        }
        return b;
    }

    /**
     * The masks {@link Dropout} draws for {@code config}'s sites over {@code positions} positions, its stream restarted
     * at {@code step} (as a training step does), in double.
     */
    static double[][] dropoutMasks(ModelConfig config, int positions, float probability, long step) {
        return dropoutMasks(config, positions, probability, 0L, step);
    }

    /** {@link #dropoutMasks(ModelConfig, int, float, long)} of a model seeded with {@code seed}. */
    static double[][] dropoutMasks(ModelConfig config, int positions, float probability, long seed, long step) {
        DropoutSites.Masks drawn = DropoutSites.of(config, positions).allocate();
        Dropout dropout = new Dropout(probability, seed);
        dropout.restart(step);
        drawn.draw(dropout);
        float[][] masks = drawn.masks();
        double[][] out = new double[masks.length][];
        for (int i = 0; i < masks.length; i++) out[i] = toDouble(masks[i]);
        return out;
    }

    static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }

    /** ||a - b|| / max(||b||, tiny) over [off, off + n). */
    static double relativeError(double[] a, double[] b, int off, int n) {
        double diff = 0, ref = 0;
        for (int i = off; i < off + n; i++) {
            diff += (a[i] - b[i]) * (a[i] - b[i]);
            ref += b[i] * b[i];
        }
        return Math.sqrt(diff) / Math.max(Math.sqrt(ref), 1e-30);
    }
}
