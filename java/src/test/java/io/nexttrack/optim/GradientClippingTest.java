package io.nexttrack.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GradientClippingTest {
    @Test
    void scalesALargeGradientToTheMaximumNorm() {
        float[] g = {3f, 4f};
        assertEquals(5.0, new GradientClipping(1f).clip(g), 1e-12);
        assertArrayEquals(new float[] {0.6f, 0.8f}, g, 1e-7f);
    }

    @Test
    void leavesASmallGradientAlone() {
        float[] g = {0.3f, -0.4f, 1f};
        float[] before = g.clone();
        assertEquals(Math.sqrt(0.09 + 0.16 + 1), new GradientClipping().clip(g), 1e-7);
        assertArrayEquals(before, g);
    }

    @Test
    void normOfALongBufferMatchesADoubleLoopAndClipsExactly() {
        SplittableRandom rnd = new SplittableRandom(3);
        float[] g = new float[100_003];
        double sum = 0;
        for (int i = 0; i < g.length; i++) {
            g[i] = (float) rnd.nextGaussian();
            sum += (double) g[i] * g[i];
        }
        assertEquals(Math.sqrt(sum), new GradientClipping(5f).clip(g), 1e-9 * Math.sqrt(sum));
        assertEquals(5.0, GradientClipping.norm(g), 1e-5);
    }
}
