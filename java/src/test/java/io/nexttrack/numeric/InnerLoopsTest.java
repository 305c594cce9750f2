package io.nexttrack.numeric;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The scalar inner loops against the Vector API's, in one JVM (the tests run with the module), on random non-zero
 * inputs with sizes that hit every tile and tail: the same bits wherever InnerLoops promises them; the sums
 * added in another order within the stated tolerances.
 */
class InnerLoopsTest {
    private static final VectorInnerLoops VECTOR = new VectorInnerLoops();
    private static final ScalarInnerLoops SCALAR = new ScalarInnerLoops();

    @Test
    void theTestsRunTheVectorKernels() {
        assertInstanceOf(VectorInnerLoops.class, InnerLoops.CHOSEN, "surefire adds jdk.incubator.vector");
    }

    static float[] random(SplittableRandom rnd, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) ((rnd.nextDouble() * 2 - 1) * scale);
        return a;
    }

    /** A . B, A^T . B, accumulating or not, k across the k-block boundary, column ranges with tails. */
    @ParameterizedTest
    @CsvSource({"1, 1, 1", "4, 64, 3", "5, 70, 129", "13, 37, 300", "9, 200, 128", "3, 17, 0"})
    void gemmGivesTheSameBits(int m, int n, int k) {
        SplittableRandom rnd = new SplittableRandom(m * 1000L + n * 10L + k);
        float[] a = random(rnd, m * k + 5, 1), b = random(rnd, k * n + 3, 1), c = random(rnd, m * n + 7, 1);
        for (boolean transposed : new boolean[] {false, true}) {
            for (boolean accumulate : new boolean[] {false, true}) {
                for (int[] cols : new int[][] {{0, n}, {n / 3, n}, {0, (n + 1) / 2}}) {
                    int aRow = transposed ? 1 : k, aCol = transposed ? m : 1;
                    float[] cv = c.clone(), cs = c.clone();
                    VECTOR.mul(a, 2, aRow, aCol, b, 3, n, cv, 7, n, m, cols[0], cols[1], k, accumulate);
                    SCALAR.mul(a, 2, aRow, aCol, b, 3, n, cs, 7, n, m, cols[0], cols[1], k, accumulate);
                    assertArrayEquals(cv, cs, "m " + m + " n " + n + " k " + k + " transposed " + transposed + " accumulate " + accumulate);
                }
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"1", "16", "37", "300"})
    void elementwiseFunctionsGiveTheSameBits(int n) {
        SplittableRandom rnd = new SplittableRandom(n);
        float[] x = random(rnd, n + 2, 12);
        x[1] = 100f; // clamped
        if (n > 2) x[2] = -100f;
        float[] v = x.clone(), s = x.clone();
        VECTOR.sigmoid(v, 1, n);
        SCALAR.sigmoid(s, 1, n);
        assertArrayEquals(v, s, "sigmoid");
        float[] tv = new float[n + 3], ts = new float[n + 3];
        VECTOR.tanh(x, 1, tv, 3, n);
        SCALAR.tanh(x, 1, ts, 3, n);
        assertArrayEquals(tv, ts, "tanh");
        for (int i = 0; i < n; i++) assertEquals(Math.tanh(x[1 + i]), ts[3 + i], 2e-7, "tanh itself");
    }

    /** The vector path keeps one float sum per lane and StrictMath.exp in the tail: sums within 1e-6 relative. */
    @ParameterizedTest
    @CsvSource({"1", "16", "37", "3168"})
    void expShiftedAgreesWithinTheTolerance(int n) {
        SplittableRandom rnd = new SplittableRandom(n);
        float[] z = random(rnd, n + 1, 8);
        float[] v = z.clone(), s = z.clone();
        double sv = VECTOR.expShifted(v, 1, n, 3f), ss = SCALAR.expShifted(s, 1, n, 3f);
        assertEquals(sv, ss, 1e-6 * sv);
        for (int i = 1; i <= n; i++) {
            assertEquals(v[i], s[i], 3e-7 * v[i], "e^x at " + i);
            assertEquals(Math.exp(z[i] - 3f), s[i], 3e-7 * s[i], "e^x itself at " + i);
        }
    }

    @ParameterizedTest
    @CsvSource({"1", "20", "100"})
    void lstmCellGivesTheSameBits(int hidden) {
        SplittableRandom rnd = new SplittableRandom(hidden);
        int g = 3, s = 2, st = 5;
        float[] gates = random(rnd, g + 4 * hidden, 3), cPrev = random(rnd, s + hidden, 1);
        float[][] v = {gates.clone(), new float[st + hidden], new float[s + hidden], new float[s + hidden], new float[st + hidden]};
        float[][] sc = {gates.clone(), new float[st + hidden], new float[s + hidden], new float[s + hidden], new float[st + hidden]};
        VECTOR.cellForward(v[0], g, cPrev, s, v[1], st, v[2], v[3], v[4], hidden);
        SCALAR.cellForward(sc[0], g, cPrev, s, sc[1], st, sc[2], sc[3], sc[4], hidden);
        for (int i = 0; i < v.length; i++) assertArrayEquals(v[i], sc[i], "forward output " + i);

        float[] dOut = random(rnd, s + hidden, 1), dhNext = random(rnd, st + hidden, 1), dcNext = random(rnd, st + hidden, 1);
        for (boolean reset : new boolean[] {false, true}) {
            float[] gv = v[0].clone(), gs = v[0].clone(), dcv = dcNext.clone(), dcs = dcNext.clone();
            VECTOR.outputGateAndCellGradient(gv, g + 3 * hidden, v[2], s, dOut, dhNext, dcv, st, hidden);
            SCALAR.outputGateAndCellGradient(gs, g + 3 * hidden, v[2], s, dOut, dhNext, dcs, st, hidden);
            VECTOR.inputGatesGradient(gv, g, cPrev, s, dcv, st, hidden, reset);
            SCALAR.inputGatesGradient(gs, g, cPrev, s, dcs, st, hidden, reset);
            assertArrayEquals(gv, gs, "gate gradients, reset " + reset);
            assertArrayEquals(dcv, dcs, "dc, reset " + reset);
        }
    }

    @ParameterizedTest
    @CsvSource({"1, 1", "7, 33", "128, 3168"})
    void outputLayerKernelsGiveTheSameBits(int rows, int n) {
        SplittableRandom rnd = new SplittableRandom(rows * 31L + n);
        float[] a = random(rnd, rows * n, 1), out = random(rnd, n + 2, 1);
        float[] ov = out.clone(), os = out.clone();
        VECTOR.columnSums(a, rows, n, n / 4, n, ov, 2);
        SCALAR.columnSums(a, rows, n, n / 4, n, os, 2);
        assertArrayEquals(ov, os, "column sums");

        float[] z = random(rnd, n + 1, 5), bias = random(rnd, n + 4, 1);
        float[] zv = z.clone(), zs = z.clone();
        assertEquals(VECTOR.addBiasAndMax(zv, 1, bias, 4, n), SCALAR.addBiasAndMax(zs, 1, bias, 4, n), "max");
        assertArrayEquals(zv, zs, "logits plus bias");
        VECTOR.addBias(zv, 1, bias, 4, n);
        SCALAR.addBias(zs, 1, bias, 4, n);
        assertArrayEquals(zv, zs, "bias added");
        VECTOR.scale(zv, 1, n, 0.37f);
        SCALAR.scale(zs, 1, n, 0.37f);
        assertArrayEquals(zv, zs, "scaled");
    }

    @ParameterizedTest
    @CsvSource({"1", "15", "1013", "40000"})
    void optimiserKernels(int n) {
        SplittableRandom rnd = new SplittableRandom(n);
        float[] p = random(rnd, n, 0.5), g = random(rnd, n, 0.1), m = random(rnd, n, 0.01), v = random(rnd, n, 1e-4);
        for (int i = 0; i < n; i++) v[i] = Math.abs(v[i]);
        float[][] a = {p.clone(), m.clone(), v.clone()}, b = {p.clone(), m.clone(), v.clone()};
        VECTOR.adam(a[0], g, a[1], a[2], 0.9f, 0.999f, 1 - 0.9f, 1 - 0.999f, 1.3e-3f, 1e-8f);
        SCALAR.adam(b[0], g, b[1], b[2], 0.9f, 0.999f, 1 - 0.9f, 1 - 0.999f, 1.3e-3f, 1e-8f);
        for (int i = 0; i < 3; i++) assertArrayEquals(a[i], b[i], "adam: the same bits (" + i + ")");
        double sv = VECTOR.sumSquares(g), ss = SCALAR.sumSquares(g);
        assertEquals(sv, ss, 1e-13 * sv, "sum of squares");
    }

    @Test
    void rankingCountsGiveTheSameAnswer() {
        SplittableRandom rnd = new SplittableRandom(13);
        float[] special = {Float.NaN, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, -0.0f, 0.0f};
        for (int trial = 0; trial < 300; trial++) {
            float[] s = new float[rnd.nextInt(100)];
            for (int j = 0; j < s.length; j++) s[j] = rnd.nextInt(6) == 0 ? special[rnd.nextInt(special.length)] : rnd.nextInt(4);
            int from = s.length == 0 ? 0 : rnd.nextInt(s.length), to = from + rnd.nextInt(s.length - from + 1);
            float t = rnd.nextBoolean() ? special[rnd.nextInt(special.length)] : rnd.nextInt(4);
            assertEquals(SCALAR.greaterAndEqual(s, from, to, t), VECTOR.greaterAndEqual(s, from, to, t), "trial " + trial);
        }
    }
}
