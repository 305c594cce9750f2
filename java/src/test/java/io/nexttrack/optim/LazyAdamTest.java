package io.nexttrack.optim;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Lazy Adam ({@link Adam#update(float[], SparseGradient)}) and the global-norm clip of a compact gradient
 * ({@link GradientClipping#clip(SparseGradient)}), against dense Adam and a plain reference, on a small model-shaped
 * buffer: an embedding {@code [V, E]}, a dense middle (the LSTM), output weights {@code [H, V]} and bias {@code [V]}.
 */
class LazyAdamTest {
    static final int V = 23, E = 5, H = 7, DENSE = 61;
    static final int EMB = 0, MID = V * E, W = MID + DENSE, B = W + H * V, SIZE = B + V;

    static SparseGradient gradient(int maxRows) {
        return new SparseGradient(MID, DENSE, List.of(SparseGradient.Block.rows("embedding", EMB, E),
                SparseGradient.Block.columns("output.weight", W, H, V), SparseGradient.Block.columns("output.bias", B, 1, V)),
                DENSE + maxRows * E + maxRows * (H + 1));
    }

    /** Random distinct ascending rows of [0, V), at least one; all of them with {@code all}. */
    static int[] rows(SplittableRandom rnd, boolean all) {
        List<Integer> r = new ArrayList<>();
        for (int s = 0; s < V; s++) if (all || rnd.nextInt(3) == 0) r.add(s);
        if (r.isEmpty()) r.add(rnd.nextInt(V));
        return r.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Fills the step's compact gradient with random non-zero values and returns the same gradient in the dense layout. */
    static float[] fill(SparseGradient g, SplittableRandom rnd, int[] embRows, int[] columns, double scale) {
        g.blocks().get(0).set(embRows, embRows.length);
        g.blocks().get(1).set(columns, columns.length);
        g.blocks().get(2).set(columns, columns.length);
        g.arrange();
        for (int i = 0; i < g.used(); i++) g.values[i] = (float) ((rnd.nextDouble() * 2 - 1) * scale) + (float) (scale * 1e-3);
        float[] dense = new float[SIZE];
        System.arraycopy(g.values, 0, dense, g.denseOffset(), g.denseLength());
        for (SparseGradient.Block b : g.blocks()) {
            for (int j = 0; j < b.count(); j++) for (int k = 0; k < b.width(); k++) dense[(int) b.parameter(j, k)] = g.values[b.value(j, k)];
        }
        return dense;
    }

    static float[] randomParameters(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] p = new float[SIZE];
        for (int i = 0; i < SIZE; i++) p[i] = (float) (rnd.nextDouble() - 0.5);
        return p;
    }

    /** Every row touched at every step: lazy Adam is dense Adam, bit for bit (parameters and both moments), over several steps. */
    @Test
    void everyRowTouchedIsDenseAdamExactly() {
        SplittableRandom rnd = new SplittableRandom(1);
        float[] pl = randomParameters(2), pd = pl.clone();
        Adam lazy = new Adam(SIZE, 3e-3f, 0.9f, 0.999f, 1e-8f), dense = new Adam(SIZE, 3e-3f, 0.9f, 0.999f, 1e-8f);
        SparseGradient g = gradient(V);
        for (int step = 0; step < 5; step++) {
            float[] d = fill(g, rnd, rows(rnd, true), rows(rnd, true), 0.5);
            lazy.update(pl, g);
            dense.update(pd, d);
            assertArrayEquals(pd, pl, "parameters after step " + step);
            assertArrayEquals(dense.state().m(), lazy.state().m(), "m after step " + step);
            assertArrayEquals(dense.state().v(), lazy.state().v(), "v after step " + step);
            assertEquals(dense.step(), lazy.step());
        }
    }

    /** Shares of a lazy step (as the CPU engine runs them on its threads) give update()'s bits, for any number of shares. */
    @Test
    void sharesOfAStepAreTheWholeStep() {
        for (int parts : new int[] {2, 3, 7, 40}) {
            SplittableRandom rnd = new SplittableRandom(parts);
            float[] a = randomParameters(6), b = a.clone();
            Adam whole = new Adam(SIZE, 1e-2f, 0.9f, 0.999f, 1e-8f), shared = new Adam(SIZE, 1e-2f, 0.9f, 0.999f, 1e-8f);
            SparseGradient g = gradient(V);
            for (int step = 0; step < 3; step++) {
                fill(g, rnd, rows(rnd, false), rows(rnd, false), 0.3);
                whole.update(a, g);
                Adam.StepConstants k = shared.nextStep();
                for (int part = parts - 1; part >= 0; part--) shared.updatePart(b, g, k, part, parts);
                assertArrayEquals(a, b, parts + " shares, step " + step);
                assertArrayEquals(whole.state().m(), shared.state().m());
                assertArrayEquals(whole.state().v(), shared.state().v());
            }
        }
    }

    /**
     * Random subsets of rows: lazy Adam against the plain reference, element by element (touched: Adam with the global
     * step's constants; untouched: nothing moves, moments included), bit for bit; and untouched moments are not decayed.
     */
    @Test
    void subsetsMatchThePlainReference() {
        SplittableRandom rnd = new SplittableRandom(3);
        float[] p = randomParameters(4), rp = p.clone();
        Adam lazy = new Adam(SIZE, 1e-2f, 0.9f, 0.999f, 1e-8f);
        float[] rm = new float[SIZE], rv = new float[SIZE];
        long t = 0;
        SparseGradient g = gradient(V);
        for (int step = 0; step < 6; step++) {
            float[] before = p.clone(), mBefore = lazy.state().m().clone(), vBefore = lazy.state().v().clone();
            float[] d = fill(g, rnd, rows(rnd, false), rows(rnd, false), 0.3);
            boolean[] touched = touched(g);
            lazy.update(p, g);
            t++;
            Adam.StepConstants k = lazy.constants(t);
            float b1 = 0.9f, b2 = 0.999f;
            for (int i = 0; i < SIZE; i++) {
                if (!touched[i]) continue;
                float mi = rm[i] * b1 + d[i] * (1 - b1);
                float vi = rv[i] * b2 + d[i] * d[i] * (1 - b2);
                rm[i] = mi;
                rv[i] = vi;
                rp[i] -= mi * k.alpha() / ((float) Math.sqrt(vi) + k.eps());
            }
            assertArrayEquals(rp, p, "parameters after step " + step);
            assertArrayEquals(rm, lazy.state().m(), "m after step " + step);
            assertArrayEquals(rv, lazy.state().v(), "v after step " + step);
            int untouched = 0;
            for (int i = 0; i < SIZE; i++) {
                if (touched[i]) continue;
                untouched++;
                assertEquals(before[i], p[i]);
                assertEquals(mBefore[i], lazy.state().m()[i], "an untouched row's first moment is not decayed");
                assertEquals(vBefore[i], lazy.state().v()[i], "an untouched row's second moment is not decayed");
            }
            assertTrue(untouched > 0, "the subset left rows untouched");
        }
    }

    /**
     * The clip of a compact gradient is the global norm of everything updated (the norm of the same gradient laid out
     * densely, zeros elsewhere), and scales the whole used prefix.
     */
    @Test
    void clipIsTheGlobalNormOverWhatIsUpdated() {
        SplittableRandom rnd = new SplittableRandom(5);
        SparseGradient g = gradient(V);
        float[] d = fill(g, rnd, rows(rnd, false), rows(rnd, false), 3.0);
        double norm = GradientClipping.norm(d);
        assertTrue(norm > 5, "the test clips");
        float[] before = java.util.Arrays.copyOf(g.values, g.used());
        assertEquals(norm, new GradientClipping(5f).clip(g), 1e-12 * norm);
        for (int i = 0; i < before.length; i++) assertEquals(before[i] * (float) (5 / norm), g.values[i], Math.abs(before[i]) * 1e-6f);
        assertEquals(5.0, new GradientClipping(5f).clip(g), 1e-5, "after clipping the norm is the threshold");
    }

    /** Blocks are laid out one after the other behind the dense range, and the used prefix is zeroed for the engines to add into. */
    @Test
    void arrangePlacesBlocksAndZeroes() {
        SparseGradient g = gradient(V);
        java.util.Arrays.fill(g.values, 7f);
        g.blocks().get(0).set(new int[] {1, 4}, 2);
        g.blocks().get(1).set(new int[] {0, 3, 9}, 3);
        g.blocks().get(2).set(new int[] {0, 3, 9}, 3);
        assertEquals(DENSE + 2 * E + 3 * H + 3, g.arrange());
        assertEquals(DENSE, g.blocks().get(0).offset());
        assertEquals(DENSE + 2 * E, g.blocks().get(1).offset());
        assertEquals(DENSE + 2 * E + 3 * H, g.blocks().get(2).offset());
        for (int i = 0; i < g.used(); i++) assertEquals(0f, g.values[i]);
        SparseGradient.Block w = g.blocks().get(1);
        assertEquals(W + 2 * V + 9, w.parameter(2, 2), "column 9, row 2 of W [H, V]");
        assertEquals(w.offset() + 2 * 3 + 2, w.value(2, 2), "values [H, count]");
        SparseGradient.Block e = g.blocks().get(0);
        assertEquals(EMB + 4 * E + 3, e.parameter(1, 3));
        assertEquals(e.offset() + E + 3, e.value(1, 3), "values [count, E]");
        g.blocks().get(0).set(new int[V], V);
        g.blocks().get(1).set(new int[V], V);
        g.blocks().get(2).set(new int[V], V);
        assertEquals(DENSE + V * (E + H + 1), g.arrange());
        SparseGradient small = new SparseGradient(MID, DENSE, List.of(SparseGradient.Block.rows("embedding", EMB, E)), DENSE + 3);
        small.blocks().get(0).set(new int[] {1}, 1);
        assertThrows(IllegalArgumentException.class, small::arrange, "a step larger than the buffer is refused");
    }

    static boolean[] touched(SparseGradient g) {
        boolean[] t = new boolean[SIZE];
        for (int i = 0; i < g.denseLength(); i++) t[g.denseOffset() + i] = true;
        for (SparseGradient.Block b : g.blocks()) {
            for (int j = 0; j < b.count(); j++) for (int k = 0; k < b.width(); k++) t[(int) b.parameter(j, k)] = true;
        }
        return t;
    }
}
