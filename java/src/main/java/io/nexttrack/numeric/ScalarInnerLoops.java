package io.nexttrack.numeric;

import java.util.Arrays;

/**
 * The {@link InnerLoops} in plain Java, for JVMs without the Vector API: each method is the twin of
 * {@link VectorInnerLoops}' and, where the class comment of {@link InnerLoops} says so, gives the same bits (the same
 * operations per element, in the same order). Loops are written so that the JIT can vectorise them itself.
 */
final class ScalarInnerLoops implements InnerLoops {
    /** Columns of C per block of {@link #mul}: a row of partial sums (2 KiB) that stays in L1. */
    private static final int COLUMNS = 512;
    /**
     * Per thread: a copy of the k block of B's columns being computed ({@link MatMul#KC} rows of {@link #COLUMNS}), and
     * the row of partial sums. Separate arrays indexed alike let the JIT vectorise the inner loop: with offsets into
     * arrays that might be the same one, it has to assume they overlap and stays scalar (about 6x slower). 258 KiB
     * per thread that multiplies.
     */
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[MatMul.KC + 1][COLUMNS]);

    // exp's constants, shared with VectorInnerLoops.
    static final float LOG2E = 1.44269504088896341f;
    /** ln 2 split so that n * LN2_HI is exact for the n that occur. */
    static final float LN2_HI = 0.693359375f;
    static final float LN2_LO = -2.12194440e-4f;
    /** 1.5 * 2^23: adding it rounds to an integer held in the low mantissa bits. */
    static final float ROUNDER = 12582912f;
    static final int ROUNDER_BITS = 0x4B400000;
    static final float P0 = 1.9875691500e-4f, P1 = 1.3981999507e-3f, P2 = 8.3334519073e-3f, P3 = 4.1665795894e-2f,
            P4 = 1.6666665459e-1f, P5 = 5.0000001201e-1f;

    @Override public String describe() { return "scalar"; }

    @Override public int lanes() { return 16; }

    @Override public int panel() { return COLUMNS; }

    /**
     * Per element of C the vector tiles' sequence: within each k block of {@link MatMul#KC}, a sum that starts at
     * zero and takes one FMA per k, then added to C (or stored, for the first block without {@code accumulate}).
     * Here the sums of one row and up to {@link #COLUMNS} columns are kept in a scratch row, against a copy of that
     * block of B, so that the innermost loop is a plain multiply-add over columns.
     */
    @Override
    public void mul(float[] a, int aOff, int aRow, int aCol, float[] b, int bOff, int ldb,
                    float[] c, int cOff, int ldc, int m, int n0, int n1, int k, boolean accumulate) {
        if (k == 0) {
            if (!accumulate) for (int i = 0; i < m; i++) Arrays.fill(c, cOff + i * ldc + n0, cOff + i * ldc + n1, 0f);
            return;
        }
        float[][] scratch = SCRATCH.get();
        float[] sums = scratch[MatMul.KC];
        for (int k0 = 0; k0 < k; k0 += MatMul.KC) {
            int kLen = Math.min(MatMul.KC, k - k0);
            boolean acc = accumulate || k0 > 0;
            for (int j0 = n0; j0 < n1; j0 += COLUMNS) {
                int w = Math.min(COLUMNS, n1 - j0);
                for (int p = 0; p < kLen; p++) System.arraycopy(b, bOff + (k0 + p) * ldb + j0, scratch[p], 0, w);
                for (int i = 0; i < m; i++) {
                    rowSums(a, aOff + i * aRow + k0 * aCol, aCol, scratch, kLen, sums, w);
                    int ci = cOff + i * ldc + j0;
                    if (acc) {
                        addInto(sums, c, ci, w);
                    } else {
                        System.arraycopy(sums, 0, c, ci, w);
                    }
                }
            }
        }
    }

    /** sums[0, w) = sum over p of a[ai + p * aCol] * rows[p][0, w), one FMA per p, from zero. */
    private static void rowSums(float[] a, int ai, int aCol, float[][] rows, int kLen, float[] sums, int w) {
        Arrays.fill(sums, 0, w, 0f);
        for (int p = 0; p < kLen; p++) {
            float x = a[ai + p * aCol];
            float[] row = rows[p];
            for (int j = 0; j < w; j++) sums[j] = Math.fma(x, row[j], sums[j]);
        }
    }

    private static void addInto(float[] sums, float[] c, int ci, int w) {
        for (int j = 0; j < w; j++) c[ci + j] = sums[j] + c[ci + j];
    }

    /** e^x with relative error ~2 ulp on [-87, 88]; arguments outside are clamped. VectorInnerLoops.exp, lane by lane. */
    static float exp(float x) {
        x = Math.min(Math.max(x, -87f), 88f);
        float shifted = Math.fma(x, LOG2E, ROUNDER);
        float n = shifted - ROUNDER;
        float r = Math.fma(n, -LN2_HI, 0f) + x;
        r = Math.fma(n, -LN2_LO, 0f) + r;
        // Cephes expf polynomial on [-ln2/2, ln2/2].
        float p = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(r, P0, P1), r, P2), r, P3), r, P4), r, P5);
        p = Math.fma(p * r, r, r) + 1f;
        float scale = Float.intBitsToFloat((Float.floatToRawIntBits(shifted) - (ROUNDER_BITS - 127)) << 23);
        return p * scale;
    }

    @Override
    public void sigmoid(float[] a, int off, int n) {
        for (int j = off; j < off + n; j++) a[j] = 1f / (exp(-a[j]) + 1f);
    }

    @Override
    public void tanh(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        for (int j = 0; j < n; j++) {
            float x = src[srcOff + j];
            dst[dstOff + j] = -(2f / (exp(x + x) + 1f)) + 1f;
        }
    }

    @Override
    public double expShifted(float[] z, int off, int n, float shift) {
        double total = 0;
        for (int j = off; j < off + n; j++) {
            float e = exp(z[j] - shift);
            z[j] = e;
            total += e;
        }
        return total;
    }

    @Override
    public void cellForward(float[] gates, int g, float[] cPrev, int s, float[] c, int st, float[] tanhCell, float[] out, float[] h,
                            int hidden) {
        sigmoid(gates, g, 2 * hidden); // i, f
        tanh(gates, g + 2 * hidden, gates, g + 2 * hidden, hidden);
        sigmoid(gates, g + 3 * hidden, hidden);
        for (int j = 0; j < hidden; j++) {
            c[st + j] = gates[g + hidden + j] * cPrev[s + j] + gates[g + j] * gates[g + 2 * hidden + j];
        }
        tanh(c, st, tanhCell, s, hidden);
        for (int j = 0; j < hidden; j++) {
            float hv = gates[g + 3 * hidden + j] * tanhCell[s + j];
            out[s + j] = hv;
            h[st + j] = hv;
        }
    }

    @Override
    public void outputGateAndCellGradient(float[] gates, int go, float[] tanhCell, int s, float[] dOut, float[] dhNext, float[] dcNext,
                                          int st, int hidden) {
        for (int j = 0; j < hidden; j++) {
            float o = gates[go + j], tc = tanhCell[s + j];
            float dh = dOut[s + j] + dhNext[st + j];
            dcNext[st + j] = dh * o * (-(tc * tc) + 1f) + dcNext[st + j];
            gates[go + j] = dh * tc * o * (-o + 1f);
        }
    }

    @Override
    public void inputGatesGradient(float[] gates, int g, float[] cPrev, int s, float[] dcNext, int st, int hidden, boolean reset) {
        for (int j = 0; j < hidden; j++) {
            float dc = dcNext[st + j];
            float i = gates[g + j], f = gates[g + hidden + j], gg = gates[g + 2 * hidden + j];
            gates[g + j] = dc * gg * i * (-i + 1f);
            gates[g + hidden + j] = dc * cPrev[s + j] * f * (-f + 1f);
            gates[g + 2 * hidden + j] = dc * i * (-(gg * gg) + 1f);
            // The state before a reset was replaced by zeros: no gradient flows past it.
            dcNext[st + j] = reset ? 0f : dc * f;
        }
    }

    @Override
    public void columnSums(float[] a, int rows, int ld, int j0, int j1, float[] out, int off) {
        for (int j = j0; j < j1; j++) {
            float sum = 0f;
            for (int r = 0; r < rows; r++) sum += a[r * ld + j];
            out[off + j] = sum + out[off + j];
        }
    }

    @Override
    public void addBias(float[] z, int off, float[] p, int bOff, int n) {
        for (int j = 0; j < n; j++) z[off + j] += p[bOff + j];
    }

    @Override
    public float addBiasAndMax(float[] z, int off, float[] p, int bOff, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            float x = z[off + j] + p[bOff + j];
            z[off + j] = x;
            max = Math.max(max, x);
        }
        return max;
    }

    @Override
    public void scale(float[] a, int off, int n, float k) {
        for (int j = off; j < off + n; j++) a[j] *= k;
    }

    @Override
    public void adam(float[] params, int pOff, float[] grads, int gOff, float[] m, float[] v, int n, float b1, float b2, float c1,
                     float c2, float alpha, float eps) {
        adamRange(params, pOff, grads, gOff, m, v, b1, b2, c1, c2, alpha, eps, 0, n);
    }

    /** Adam's update of weights pOff + [from, to) with gradients gOff + [from, to): the specification, written out. */
    static void adamRange(float[] params, int pOff, float[] grads, int gOff, float[] m, float[] v, float b1, float b2, float c1,
                          float c2, float alpha, float eps, int from, int to) {
        for (int i = from; i < to; i++) {
            int j = pOff + i;
            float g = grads[gOff + i];
            float mj = m[j] * b1 + g * c1;
            float vj = v[j] * b2 + g * g * c2;
            m[j] = mj;
            v[j] = vj;
            params[j] -= mj * alpha / ((float) Math.sqrt(vj) + eps);
        }
    }

    @Override
    public double sumSquares(float[] a, int off, int n) {
        double sum = 0;
        for (int i = off; i < off + n; i++) sum += (double) a[i] * a[i];
        return sum;
    }

    @Override
    public long greaterAndEqual(float[] scores, int from, int to, float t) {
        return counts(scores, from, to, t);
    }

    static long counts(float[] scores, int from, int to, float t) {
        int greater = 0, equal = 0;
        for (int j = from; j < to; j++) {
            float s = scores[j];
            greater += s > t ? 1 : 0;
            equal += s == t ? 1 : 0;
        }
        return (long) greater << 32 | equal;
    }
}
