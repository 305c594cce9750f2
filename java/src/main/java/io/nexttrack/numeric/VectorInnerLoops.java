package io.nexttrack.numeric;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The {@link InnerLoops} on the Vector API (jdk.incubator.vector, preferred species: 16 floats with AVX-512).
 * Loaded only when the JVM has the module; {@link ScalarInnerLoops} is the twin of every method.
 */
final class VectorInnerLoops implements InnerLoops {
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;
    static final int LANES = SPECIES.length();
    /** Columns of C per register tile of {@link #mul}: 4 vectors, with 4 rows = 16 accumulators. */
    static final int PANEL = 4 * LANES;

    @Override public String describe() { return "vector (" + LANES + " floats)"; }

    @Override public int lanes() { return LANES; }

    @Override public int panel() { return PANEL; }

    // ---- GEMM: register- and cache-blocked tiles (see MatMul) ----

    @Override
    public void mul(float[] a, int aOff, int aRow, int aCol, float[] b, int bOff, int ldb,
                    float[] c, int cOff, int ldc, int m, int n0, int n1, int k, boolean accumulate) {
        if (k == 0) {
            if (!accumulate) for (int i = 0; i < m; i++) java.util.Arrays.fill(c, cOff + i * ldc + n0, cOff + i * ldc + n1, 0f);
            return;
        }
        for (int k0 = 0; k0 < k; k0 += MatMul.KC) {
            int kLen = Math.min(MatMul.KC, k - k0);
            boolean acc = accumulate || k0 > 0;
            int ak = aOff + k0 * aCol;
            int bk = bOff + k0 * ldb;
            int j = n0;
            for (; j + PANEL <= n1; j += PANEL) {
                int i = 0;
                for (; i + 4 <= m; i += 4) tile4x4(a, ak + i * aRow, aRow, aCol, b, bk + j, ldb, c, cOff + i * ldc + j, ldc, kLen, acc);
                for (; i < m; i++) tile1x4(a, ak + i * aRow, aCol, b, bk + j, ldb, c, cOff + i * ldc + j, kLen, acc);
            }
            for (; j < n1; j += LANES) {
                VectorMask<Float> mask = SPECIES.indexInRange(j, n1);
                int i = 0;
                for (; i + 4 <= m; i += 4) tile4x1(a, ak + i * aRow, aRow, aCol, b, bk + j, ldb, c, cOff + i * ldc + j, ldc, kLen, acc, mask);
                for (; i < m; i++) tile1x1(a, ak + i * aRow, aCol, b, bk + j, ldb, c, cOff + i * ldc + j, kLen, acc, mask);
            }
        }
    }

    private static void tile4x4(float[] a, int a0, int aRow, int aCol, float[] b, int b0, int ldb,
                                float[] c, int c0, int ldc, int k, boolean acc) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = c00, c02 = c00, c03 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        int a1 = a0 + aRow, a2 = a1 + aRow, a3 = a2 + aRow;
        for (int p = 0; p < k; p++) {
            int bp = b0 + p * ldb;
            int ap = p * aCol;
            FloatVector b0v = FloatVector.fromArray(SPECIES, b, bp);
            FloatVector b1v = FloatVector.fromArray(SPECIES, b, bp + LANES);
            FloatVector b2v = FloatVector.fromArray(SPECIES, b, bp + 2 * LANES);
            FloatVector b3v = FloatVector.fromArray(SPECIES, b, bp + 3 * LANES);
            FloatVector x = FloatVector.broadcast(SPECIES, a[a0 + ap]);
            c00 = x.fma(b0v, c00); c01 = x.fma(b1v, c01); c02 = x.fma(b2v, c02); c03 = x.fma(b3v, c03);
            x = FloatVector.broadcast(SPECIES, a[a1 + ap]);
            c10 = x.fma(b0v, c10); c11 = x.fma(b1v, c11); c12 = x.fma(b2v, c12); c13 = x.fma(b3v, c13);
            x = FloatVector.broadcast(SPECIES, a[a2 + ap]);
            c20 = x.fma(b0v, c20); c21 = x.fma(b1v, c21); c22 = x.fma(b2v, c22); c23 = x.fma(b3v, c23);
            x = FloatVector.broadcast(SPECIES, a[a3 + ap]);
            c30 = x.fma(b0v, c30); c31 = x.fma(b1v, c31); c32 = x.fma(b2v, c32); c33 = x.fma(b3v, c33);
        }
        // Stores written out here: a helper taking vectors may not be inlined, and boxed vectors are 100x slower.
        int r1 = c0 + ldc, r2 = r1 + ldc, r3 = r2 + ldc;
        if (acc) {
            c00 = c00.add(FloatVector.fromArray(SPECIES, c, c0)); c01 = c01.add(FloatVector.fromArray(SPECIES, c, c0 + LANES));
            c02 = c02.add(FloatVector.fromArray(SPECIES, c, c0 + 2 * LANES)); c03 = c03.add(FloatVector.fromArray(SPECIES, c, c0 + 3 * LANES));
            c10 = c10.add(FloatVector.fromArray(SPECIES, c, r1)); c11 = c11.add(FloatVector.fromArray(SPECIES, c, r1 + LANES));
            c12 = c12.add(FloatVector.fromArray(SPECIES, c, r1 + 2 * LANES)); c13 = c13.add(FloatVector.fromArray(SPECIES, c, r1 + 3 * LANES));
            c20 = c20.add(FloatVector.fromArray(SPECIES, c, r2)); c21 = c21.add(FloatVector.fromArray(SPECIES, c, r2 + LANES));
            c22 = c22.add(FloatVector.fromArray(SPECIES, c, r2 + 2 * LANES)); c23 = c23.add(FloatVector.fromArray(SPECIES, c, r2 + 3 * LANES));
            c30 = c30.add(FloatVector.fromArray(SPECIES, c, r3)); c31 = c31.add(FloatVector.fromArray(SPECIES, c, r3 + LANES));
            c32 = c32.add(FloatVector.fromArray(SPECIES, c, r3 + 2 * LANES)); c33 = c33.add(FloatVector.fromArray(SPECIES, c, r3 + 3 * LANES));
        }
        c00.intoArray(c, c0); c01.intoArray(c, c0 + LANES); c02.intoArray(c, c0 + 2 * LANES); c03.intoArray(c, c0 + 3 * LANES);
        c10.intoArray(c, r1); c11.intoArray(c, r1 + LANES); c12.intoArray(c, r1 + 2 * LANES); c13.intoArray(c, r1 + 3 * LANES);
        c20.intoArray(c, r2); c21.intoArray(c, r2 + LANES); c22.intoArray(c, r2 + 2 * LANES); c23.intoArray(c, r2 + 3 * LANES);
        c30.intoArray(c, r3); c31.intoArray(c, r3 + LANES); c32.intoArray(c, r3 + 2 * LANES); c33.intoArray(c, r3 + 3 * LANES);
    }

    private static void tile1x4(float[] a, int a0, int aCol, float[] b, int b0, int ldb,
                                float[] c, int c0, int k, boolean acc) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = c00, c02 = c00, c03 = c00;
        for (int p = 0; p < k; p++) {
            int bp = b0 + p * ldb;
            FloatVector x = FloatVector.broadcast(SPECIES, a[a0 + p * aCol]);
            c00 = x.fma(FloatVector.fromArray(SPECIES, b, bp), c00);
            c01 = x.fma(FloatVector.fromArray(SPECIES, b, bp + LANES), c01);
            c02 = x.fma(FloatVector.fromArray(SPECIES, b, bp + 2 * LANES), c02);
            c03 = x.fma(FloatVector.fromArray(SPECIES, b, bp + 3 * LANES), c03);
        }
        if (acc) {
            c00 = c00.add(FloatVector.fromArray(SPECIES, c, c0)); c01 = c01.add(FloatVector.fromArray(SPECIES, c, c0 + LANES));
            c02 = c02.add(FloatVector.fromArray(SPECIES, c, c0 + 2 * LANES)); c03 = c03.add(FloatVector.fromArray(SPECIES, c, c0 + 3 * LANES));
        }
        c00.intoArray(c, c0); c01.intoArray(c, c0 + LANES); c02.intoArray(c, c0 + 2 * LANES); c03.intoArray(c, c0 + 3 * LANES);
    }

    private static void tile4x1(float[] a, int a0, int aRow, int aCol, float[] b, int b0, int ldb,
                                float[] c, int c0, int ldc, int k, boolean acc, VectorMask<Float> mask) {
        FloatVector c0v = FloatVector.zero(SPECIES), c1v = c0v, c2v = c0v, c3v = c0v;
        int a1 = a0 + aRow, a2 = a1 + aRow, a3 = a2 + aRow;
        for (int p = 0; p < k; p++) {
            FloatVector bv = FloatVector.fromArray(SPECIES, b, b0 + p * ldb, mask);
            int ap = p * aCol;
            c0v = FloatVector.broadcast(SPECIES, a[a0 + ap]).fma(bv, c0v);
            c1v = FloatVector.broadcast(SPECIES, a[a1 + ap]).fma(bv, c1v);
            c2v = FloatVector.broadcast(SPECIES, a[a2 + ap]).fma(bv, c2v);
            c3v = FloatVector.broadcast(SPECIES, a[a3 + ap]).fma(bv, c3v);
        }
        int r1 = c0 + ldc, r2 = r1 + ldc, r3 = r2 + ldc;
        if (acc) {
            c0v = c0v.add(FloatVector.fromArray(SPECIES, c, c0, mask));
            c1v = c1v.add(FloatVector.fromArray(SPECIES, c, r1, mask));
            c2v = c2v.add(FloatVector.fromArray(SPECIES, c, r2, mask));
            c3v = c3v.add(FloatVector.fromArray(SPECIES, c, r3, mask));
        }
        c0v.intoArray(c, c0, mask);
        c1v.intoArray(c, r1, mask);
        c2v.intoArray(c, r2, mask);
        c3v.intoArray(c, r3, mask);
    }

    private static void tile1x1(float[] a, int a0, int aCol, float[] b, int b0, int ldb,
                                float[] c, int c0, int k, boolean acc, VectorMask<Float> mask) {
        FloatVector cv = FloatVector.zero(SPECIES);
        for (int p = 0; p < k; p++) {
            cv = FloatVector.broadcast(SPECIES, a[a0 + p * aCol]).fma(FloatVector.fromArray(SPECIES, b, b0 + p * ldb, mask), cv);
        }
        if (acc) cv = cv.add(FloatVector.fromArray(SPECIES, c, c0, mask));
        cv.intoArray(c, c0, mask);
    }

    // ---- exp, sigmoid, tanh: built only from IEEE-exact vector operations (add, mul, fma, div). The Vector
    // API's own EXP/TANH give different bits before and after JIT compilation, which would make training
    // irreproducible; these give the same bits in every tier, and the same as ScalarInnerLoops'. ----

    private static final VectorSpecies<Float> S = SPECIES;
    private static final FloatVector P0 = FloatVector.broadcast(S, ScalarInnerLoops.P0);
    private static final FloatVector P1 = FloatVector.broadcast(S, ScalarInnerLoops.P1);
    private static final FloatVector P2 = FloatVector.broadcast(S, ScalarInnerLoops.P2);
    private static final FloatVector P3 = FloatVector.broadcast(S, ScalarInnerLoops.P3);
    private static final FloatVector P4 = FloatVector.broadcast(S, ScalarInnerLoops.P4);
    private static final FloatVector P5 = FloatVector.broadcast(S, ScalarInnerLoops.P5);
    private static final FloatVector ONE = FloatVector.broadcast(S, 1f);
    private static final FloatVector TWO = FloatVector.broadcast(S, 2f);

    /** e^x with relative error ~2 ulp on [-87, 88]; arguments outside are clamped. Twin: ScalarInnerLoops.exp. */
    private static FloatVector exp(FloatVector x) {
        x = x.max(-87f).min(88f);
        FloatVector shifted = x.fma(ScalarInnerLoops.LOG2E, ScalarInnerLoops.ROUNDER);
        FloatVector n = shifted.sub(ScalarInnerLoops.ROUNDER);
        FloatVector r = n.fma(-ScalarInnerLoops.LN2_HI, 0f).add(x);
        r = n.fma(-ScalarInnerLoops.LN2_LO, 0f).add(r);
        // Cephes expf polynomial on [-ln2/2, ln2/2].
        FloatVector p = r.fma(P0, P1).fma(r, P2).fma(r, P3).fma(r, P4).fma(r, P5);
        p = p.mul(r).fma(r, r).add(1f);
        IntVector bits = (IntVector) shifted.reinterpretAsInts();
        FloatVector scale = bits.sub(ScalarInnerLoops.ROUNDER_BITS - 127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(scale);
    }

    @Override
    public void sigmoid(float[] a, int off, int n) {
        for (int j = 0; j < n; j += S.length()) {
            VectorMask<Float> m = S.indexInRange(j, n);
            FloatVector x = FloatVector.fromArray(S, a, off + j, m);
            ONE.div(exp(x.neg()).add(1f)).intoArray(a, off + j, m);
        }
    }

    @Override
    public void tanh(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        for (int j = 0; j < n; j += S.length()) {
            VectorMask<Float> m = S.indexInRange(j, n);
            FloatVector x = FloatVector.fromArray(S, src, srcOff + j, m);
            TWO.div(exp(x.add(x)).add(1f)).neg().add(1f).intoArray(dst, dstOff + j, m);
        }
    }

    @Override
    public double expShifted(float[] z, int off, int n, float shift) {
        FloatVector sum = FloatVector.zero(S);
        int j = 0;
        for (int bound = S.loopBound(n); j < bound; j += S.length()) {
            FloatVector e = exp(FloatVector.fromArray(S, z, off + j).sub(shift));
            e.intoArray(z, off + j);
            sum = sum.add(e);
        }
        double total = 0;
        for (int lane = 0; lane < S.length(); lane++) total += sum.lane(lane);
        for (; j < n; j++) {
            float e = (float) StrictMath.exp(z[off + j] - shift);
            z[off + j] = e;
            total += e;
        }
        return total;
    }

    // ---- the LSTM cell (CpuLstmLayer); backward in two methods rather than one: a body with many vector
    // operations is more than C1 can compile, leaving it interpreted. ----

    @Override
    public void cellForward(float[] gates, int g, float[] cPrev, int s, float[] c, int st, float[] tanhCell, float[] out, float[] h,
                            int hidden) {
        sigmoid(gates, g, 2 * hidden); // i, f
        tanh(gates, g + 2 * hidden, gates, g + 2 * hidden, hidden);
        sigmoid(gates, g + 3 * hidden, hidden);
        for (int j = 0; j < hidden; j += S.length()) {
            VectorMask<Float> m = S.indexInRange(j, hidden);
            FloatVector i = FloatVector.fromArray(S, gates, g + j, m);
            FloatVector f = FloatVector.fromArray(S, gates, g + hidden + j, m);
            FloatVector gg = FloatVector.fromArray(S, gates, g + 2 * hidden + j, m);
            f.mul(FloatVector.fromArray(S, cPrev, s + j, m)).add(i.mul(gg)).intoArray(c, st + j, m);
        }
        tanh(c, st, tanhCell, s, hidden);
        for (int j = 0; j < hidden; j += S.length()) {
            VectorMask<Float> m = S.indexInRange(j, hidden);
            FloatVector hv = FloatVector.fromArray(S, gates, g + 3 * hidden + j, m).mul(FloatVector.fromArray(S, tanhCell, s + j, m));
            hv.intoArray(out, s + j, m);
            hv.intoArray(h, st + j, m);
        }
    }

    @Override
    public void outputGateAndCellGradient(float[] gates, int go, float[] tanhCell, int s, float[] dOut, float[] dhNext, float[] dcNext,
                                          int st, int hidden) {
        for (int j = 0; j < hidden; j += S.length()) {
            VectorMask<Float> m = S.indexInRange(j, hidden);
            FloatVector o = FloatVector.fromArray(S, gates, go + j, m);
            FloatVector tc = FloatVector.fromArray(S, tanhCell, s + j, m);
            FloatVector dh = FloatVector.fromArray(S, dOut, s + j, m).add(FloatVector.fromArray(S, dhNext, st + j, m));
            // dc = dh * o * (1 - tanh(c)^2) + dc from the next step; kept in dcNext until inputGatesGradient.
            dh.mul(o).mul(tc.mul(tc).neg().add(1f)).add(FloatVector.fromArray(S, dcNext, st + j, m)).intoArray(dcNext, st + j, m);
            dh.mul(tc).mul(o).mul(o.neg().add(1f)).intoArray(gates, go + j, m);
        }
    }

    @Override
    public void inputGatesGradient(float[] gates, int g, float[] cPrev, int s, float[] dcNext, int st, int hidden, boolean reset) {
        for (int j = 0; j < hidden; j += S.length()) {
            VectorMask<Float> m = S.indexInRange(j, hidden);
            FloatVector dc = FloatVector.fromArray(S, dcNext, st + j, m);
            FloatVector i = FloatVector.fromArray(S, gates, g + j, m);
            FloatVector f = FloatVector.fromArray(S, gates, g + hidden + j, m);
            FloatVector gg = FloatVector.fromArray(S, gates, g + 2 * hidden + j, m);
            dc.mul(gg).mul(i).mul(i.neg().add(1f)).intoArray(gates, g + j, m);
            dc.mul(FloatVector.fromArray(S, cPrev, s + j, m)).mul(f).mul(f.neg().add(1f)).intoArray(gates, g + hidden + j, m);
            dc.mul(i).mul(gg.mul(gg).neg().add(1f)).intoArray(gates, g + 2 * hidden + j, m);
            // The state before a reset was replaced by zeros: no gradient flows past it.
            (reset ? FloatVector.zero(S) : dc.mul(f)).intoArray(dcNext, st + j, m);
        }
    }

    @Override
    public void columnSums(float[] a, int rows, int ld, int j0, int j1, float[] out, int off) {
        for (int j = j0; j < j1; j += S.length()) {
            VectorMask<Float> m = S.indexInRange(j, j1);
            FloatVector sum = FloatVector.zero(S);
            for (int r = 0; r < rows; r++) sum = sum.add(FloatVector.fromArray(S, a, r * ld + j, m));
            sum.add(FloatVector.fromArray(S, out, off + j, m)).intoArray(out, off + j, m);
        }
    }

    // ---- the output layer ----

    @Override
    public void addBias(float[] z, int off, float[] p, int bOff, int n) {
        for (int j = 0; j < n; j += S.length()) {
            VectorMask<Float> m = S.indexInRange(j, n);
            FloatVector.fromArray(S, z, off + j, m).add(FloatVector.fromArray(S, p, bOff + j, m)).intoArray(z, off + j, m);
        }
    }

    @Override
    public float addBiasAndMax(float[] z, int off, float[] p, int bOff, int n) {
        FloatVector max = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        for (int j = 0; j < n; j += S.length()) {
            VectorMask<Float> m = S.indexInRange(j, n);
            FloatVector x = FloatVector.fromArray(S, z, off + j, m).add(FloatVector.fromArray(S, p, bOff + j, m));
            x.intoArray(z, off + j, m);
            max = max.blend(max.max(x), m);
        }
        return max.reduceLanes(VectorOperators.MAX);
    }

    @Override
    public void scale(float[] a, int off, int n, float k) {
        for (int j = 0; j < n; j += S.length()) {
            VectorMask<Float> m = S.indexInRange(j, n);
            FloatVector.fromArray(S, a, off + j, m).mul(k).intoArray(a, off + j, m);
        }
    }

    // ---- the optimiser ----

    @Override
    public void adam(float[] params, int pOff, float[] grads, int gOff, float[] m, float[] v, int n, float b1, float b2, float c1,
                     float c2, float alpha, float eps) {
        java.util.Objects.checkFromIndexSize(pOff, n, params.length);
        java.util.Objects.checkFromIndexSize(gOff, n, grads.length);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            int j = pOff + i;
            FloatVector g = FloatVector.fromArray(S, grads, gOff + i);
            FloatVector mj = FloatVector.fromArray(S, m, j).mul(b1).add(g.mul(c1));
            FloatVector vj = FloatVector.fromArray(S, v, j).mul(b2).add(g.mul(g).mul(c2));
            mj.intoArray(m, j);
            vj.intoArray(v, j);
            FloatVector.fromArray(S, params, j).sub(mj.mul(alpha).div(vj.sqrt().add(eps))).intoArray(params, j);
        }
        ScalarInnerLoops.adamRange(params, pOff, grads, gOff, m, v, b1, b2, c1, c2, alpha, eps, i, n);
    }

    /** Each vector widened to double in two halves, squared and summed in double. */
    @Override
    public double sumSquares(float[] a, int off, int n) {
        java.util.Objects.checkFromIndexSize(off, n, a.length);
        DoubleVector acc = DoubleVector.zero(DOUBLES);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector x = FloatVector.fromArray(S, a, off + i);
            DoubleVector lo = (DoubleVector) x.convertShape(VectorOperators.F2D, DOUBLES, 0);
            DoubleVector hi = (DoubleVector) x.convertShape(VectorOperators.F2D, DOUBLES, 1);
            acc = hi.fma(hi, lo.fma(lo, acc));
        }
        double sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) sum += (double) a[off + i] * a[off + i];
        return sum;
    }

    // ---- ranking: about 5x faster than the scalar loop, whose data-dependent compares the JIT leaves as
    // mispredicted branches ----

    @Override
    public long greaterAndEqual(float[] scores, int from, int to, float t) {
        FloatVector threshold = FloatVector.broadcast(S, t);
        int greater = 0, equal = 0, j = from;
        for (int end = from + S.loopBound(to - from); j < end; j += S.length()) {
            FloatVector v = FloatVector.fromArray(S, scores, j);
            greater += v.compare(VectorOperators.GT, threshold).trueCount();
            equal += v.compare(VectorOperators.EQ, threshold).trueCount();
        }
        long tail = ScalarInnerLoops.counts(scores, j, to, t);
        return (long) (greater + (int) (tail >>> 32)) << 32 | (equal + (int) tail);
    }
}
