package io.nexttrack.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexttrack.data.Batch;
import io.nexttrack.engine.cpu.CpuModel;
import io.nexttrack.model.ModelConfig;
import io.nexttrack.model.Parameters;
import io.nexttrack.optim.Adam;
import io.nexttrack.optim.GradientClipping;
import org.junit.jupiter.api.Test;

/** End to end: engine + clipping + Adam memorise three deterministic playlists, reproducibly. */
class LearningTest {
    private static final int[][] PLAYLISTS = {{1, 2, 3, 4, 5}, {6, 7, 8, 9}, {10, 11, 12, 13, 14, 15}};
    private static final int STEPS = 8;

    @Test
    void learnsThreePlaylistsToNearZeroLossReproducibly() {
        double[] first = train(300);
        double[] second = train(300);
        assertArrayEquals(first, second, "same seed, different losses");
        double last = first[first.length - 1];
        assertTrue(last < 0.05, "loss per position after training: " + last);
        assertTrue(first[0] > 1.0, "the task should start hard: " + first[0]);
    }

    /** Returns the loss per scored position of every step. */
    private static double[] train(int steps) {
        Parameters params = new Parameters(new ModelConfig(16, 12, 16, 2, 0.1f, false, 0f)).initialise(1);
        Adam adam = new Adam(params.size(), 1e-2f, 0.9f, 0.999f, 1e-8f);
        GradientClipping clipping = new GradientClipping();
        float[] grads = new float[params.size()];
        Batch batch = new Batch(PLAYLISTS.length, STEPS);
        int[] cursor = new int[PLAYLISTS.length];
        double[] losses = new double[steps];
        try (CpuModel engine = new CpuModel(params, PLAYLISTS.length, STEPS, 2)) {
            for (int s = 0; s < steps; s++) {
                fill(batch, cursor);
                losses[s] = engine.forwardBackward(batch, grads) / batch.positions;
                clipping.clip(grads);
                adam.update(params.values(), grads);
            }
        }
        return losses;
    }

    /** Each lane plays its playlist over and over: transitions within it, a reset at every restart. */
    private static void fill(Batch batch, int[] cursor) {
        batch.clear();
        for (int lane = 0; lane < PLAYLISTS.length; lane++) {
            int[] list = PLAYLISTS[lane];
            for (int t = 0; t < STEPS; t++) {
                int i = cursor[lane];
                batch.put(t, lane, list[i], list[i + 1], i == 0);
                cursor[lane] = i + 2 == list.length ? 0 : i + 1;
            }
        }
    }
}
