package io.nexttrack.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AdamTest {
    /**
     * Two steps by hand (lr 0.1, default betas): step 1 moves every weight with a non-zero gradient by
     * lr * sign(g); step 2, e.g. weight 0: m = 0.9*0.05 + 0.1*0.1 = 0.055, v = 0.999*0.00025 + 0.001*0.01
     * = 0.00025975, mHat = 0.055/0.19, vHat = 0.00025975/0.001999, p = 0.9 - 0.1*mHat/sqrt(vHat) = 0.8196959.
     */
    @Test
    void matchesTwoHandComputedSteps() {
        float[] p = {1f, -2f, 0.5f};
        Adam adam = new Adam(3, 0.1f, 0.9f, 0.999f, 1e-8f);
        adam.update(p, new float[] {0.5f, -1f, 0f});
        assertArrayEquals(new float[] {0.9f, -1.9f, 0.5f}, p, 1e-6f);
        adam.update(p, new float[] {0.1f, 0.3f, -2f});
        assertArrayEquals(new float[] {0.8196959f, -1.8572151f, 0.5744137f}, p, 2e-6f);
        assertArrayEquals(new float[] {0.055f, -0.06f, -0.2f}, adam.state().m(), 1e-7f);
        assertArrayEquals(new float[] {0.00025975f, 0.001089f, 0.004f}, adam.state().v(), 1e-7f); // float rounding of 1 - beta2
        assertEquals(2, adam.step());
    }

    /** The vector body and the scalar tail compute the same update, and a restored state resumes exactly. */
    @Test
    void vectorBodyAndTailAgreeAndStateRestores() {
        int n = 37; // two 16-float vectors and a tail of 5
        float[] p = new float[n], g = new float[n];
        for (int i = 0; i < n; i++) {
            p[i] = 0.25f;
            g[i] = 0.5f;
        }
        Adam adam = new Adam(n);
        adam.update(p, g);
        for (int i = 1; i < n; i++) assertEquals(p[0], p[i], "index " + i);

        Adam.State saved = adam.state();
        Adam copy = new Adam(n);
        copy.setState(new Adam.State(saved.m().clone(), saved.v().clone(), saved.step()));
        float[] q = p.clone();
        adam.update(p, g);
        copy.update(q, g);
        assertArrayEquals(p, q);
    }

    /** The step constants a GPU launch takes are the ones update() uses: one place computes them. */
    @Test
    void nextStepCountsAndGivesTheConstantsUpdateUses() {
        Adam a = new Adam(1, 0.1f, 0.9f, 0.999f, 1e-8f), b = new Adam(1, 0.1f, 0.9f, 0.999f, 1e-8f);
        Adam.StepConstants first = a.nextStep();
        assertEquals(1, a.step());
        assertEquals((float) (0.1f * Math.sqrt(1 - (double) 0.999f) / (1 - (double) 0.9f)), first.alpha());
        assertEquals((float) (1e-8f * Math.sqrt(1 - (double) 0.999f)), first.eps());
        assertEquals(a.constants(2), a.nextStep());
        // By hand with a's constants, the update of one weight is update()'s, bit for bit.
        float[] p = {0.3f};
        b.update(p, new float[] {0.5f});
        float m = 0.5f * (1 - 0.9f), v = 0.5f * 0.5f * (1 - 0.999f); // m and v start at zero
        assertEquals(0.3f - m * first.alpha() / ((float) Math.sqrt(v) + first.eps()), p[0]);
    }
}
