package io.nexttrack.engine.gpu;

import io.nexttrack.data.Batch;
import java.util.SplittableRandom;

/** Random inputs for the kernel tests: never zero, and chunks with every kind of lane. */
final class KernelTestData {
    private KernelTestData() {}

    /** n values uniform in +-scale, none of them zero. */
    static float[] uniform(SplittableRandom rnd, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            float x;
            do x = (float) ((rnd.nextDouble() * 2 - 1) * scale); while (x == 0f);
            a[i] = x;
        }
        return a;
    }

    /**
     * A chunk on the lanes layout: most lanes full, lane 1 empty, lane 2 one step long, the last lane and about
     * one in five others ending early (padding), resets at about one real position in eight (always in
     * lane 0's middle), and with {@code lastStepPadding} no lane reaching the last step (a time row of padding
     * only). Half the inputs come from 10 songs, so songs repeat within the chunk. Padding holds garbage that
     * no kernel may read: inputs and targets outside [0, songs), reset flags set.
     */
    static Batch chunk(int lanes, int steps, int songs, boolean lastStepPadding, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Batch b = new Batch(lanes, steps);
        b.clear();
        int longest = lastStepPadding ? steps - 1 : steps;
        for (int lane = 0; lane < lanes; lane++) {
            int length = lane == 1 ? 0 : lane == 2 ? 1 : lane == lanes - 1 || rnd.nextInt(5) == 0 ? rnd.nextInt(longest) : longest;
            for (int t = 0; t < length; t++) {
                boolean reset = t == 0 && rnd.nextBoolean() || (lane == 0 && t == steps / 2) || rnd.nextInt(8) == 0;
                int input = rnd.nextBoolean() ? rnd.nextInt(Math.min(10, songs)) : rnd.nextInt(songs);
                b.put(t, lane, input, rnd.nextInt(songs), reset);
            }
            for (int t = length; t < steps; t++) {
                int pos = b.index(t, lane);
                b.inputs[pos] = songs + 1000 + t;
                b.targets[pos] = -1000 - t;
                b.resets[pos] = 1;
            }
        }
        return b;
    }

    /** |a - b| over [0, n) at most tolerance * max(1, |b|), element by element; returns the largest ratio. */
    static double maxRelative(float[] a, float[] b, int n) {
        double worst = 0;
        for (int i = 0; i < n; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1.0, Math.abs(b[i])));
        return worst;
    }

    /** ||a - b|| / ||b|| over [off, off + n). */
    static double relativeNorm(float[] a, float[] b, int off, int n) {
        double diff = 0, ref = 0;
        for (int i = off; i < off + n; i++) {
            diff += ((double) a[i] - b[i]) * ((double) a[i] - b[i]);
            ref += (double) b[i] * b[i];
        }
        return Math.sqrt(diff) / Math.max(Math.sqrt(ref), 1e-30);
    }
}
