package io.nexttrack.engine.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The one GEMM of the engine: single-threaded, register- and cache-blocked Vector API kernels on
 * row-major float arrays with offsets and leading dimensions. Callers parallelise by giving each
 * worker a disjoint block of C. Every element of C is computed with the same sequence of operations
 * whatever the blocking, so results do not depend on the number of threads.
 *
 * <ul>
 *   <li>{@link #mul}: C (+)= op(A) . B with op(A)(i, k) = a[aOff + i*aRow + k*aCol], which covers
 *       A . B ({@code aRow = lda, aCol = 1}) and A^T . B ({@code aRow = 1, aCol = lda});</li>
 *   <li>{@link #mulTransB}: C (+)= A . B^T, dot products along the long shared dimension.</li>
 * </ul>
 *
 * <p>Internal to the engine; public only for the kernel benchmarks.
 */
public final class MatMul {
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    static final int LANES = SPECIES.length();
    /** Columns of C per register tile of {@link #mul}: 4 vectors, with 4 rows = 16 accumulators. */
    static final int PANEL = 4 * LANES;
    /** Depth of one k block: keeps the B panel (KC x PANEL floats) in L1. */
    private static final int KC = 128;
    /** Depth of one k block of {@link #mulTransB}: 4 rows of A (16 KiB) and a block of B stay in L1/L2. */
    private static final int KC_DOT = 1024;

    /** Per-thread space where {@link #mulTransB} spills its accumulators to sum their lanes. */
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[16 * LANES]);

    private MatMul() {}

    /**
     * C[i, j] (+)= sum_k op(A)(i, k) * B[k, j] for i in [0, m), j in [n0, n1), k in [0, k).
     *
     * @param accumulate add to C instead of overwriting it
     */
    public static void mul(float[] a, int aOff, int aRow, int aCol, float[] b, int bOff, int ldb,
                    float[] c, int cOff, int ldc, int m, int n0, int n1, int k, boolean accumulate) {
        if (k == 0) {
            if (!accumulate) for (int i = 0; i < m; i++) java.util.Arrays.fill(c, cOff + i * ldc + n0, cOff + i * ldc + n1, 0f);
            return;
        }
        for (int k0 = 0; k0 < k; k0 += KC) {
            int kLen = Math.min(KC, k - k0);
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

    /**
     * C[i, j] (+)= sum_k A[i, k] * B[j, k] for i in [m0, m1), j in [0, n), k in [0, k): A . B^T, for
     * products whose shared dimension is the long one (gradients w.r.t. layer inputs).
     */
    public static void mulTransB(float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                          float[] c, int cOff, int ldc, int m0, int m1, int n, int k, boolean accumulate) {
        float[] scratch = SCRATCH.get();
        for (int k0 = 0; k0 < Math.max(k, 1); k0 += KC_DOT) {
            int kLen = Math.max(0, Math.min(KC_DOT, k - k0));
            boolean acc = accumulate || k0 > 0;
            int i = m0;
            for (; i + 4 <= m1; i += 4) {
                int j = 0;
                for (; j + 4 <= n; j += 4) dot4x4(a, aOff + i * lda + k0, lda, b, bOff + j * ldb + k0, ldb, c, cOff + i * ldc + j, ldc, kLen, acc, scratch);
                for (; j < n; j++) {
                    for (int r = 0; r < 4; r++) dot1x1(a, aOff + (i + r) * lda + k0, b, bOff + j * ldb + k0, c, cOff + (i + r) * ldc + j, kLen, acc, scratch);
                }
            }
            for (; i < m1; i++) {
                for (int j = 0; j < n; j++) dot1x1(a, aOff + i * lda + k0, b, bOff + j * ldb + k0, c, cOff + i * ldc + j, kLen, acc, scratch);
            }
        }
    }

    private static void dot4x4(float[] a, int a0, int lda, float[] b, int b0, int ldb,
                               float[] c, int c0, int ldc, int k, boolean acc, float[] scratch) {
        FloatVector s00 = FloatVector.zero(SPECIES), s01 = s00, s02 = s00, s03 = s00;
        FloatVector s10 = s00, s11 = s00, s12 = s00, s13 = s00;
        FloatVector s20 = s00, s21 = s00, s22 = s00, s23 = s00;
        FloatVector s30 = s00, s31 = s00, s32 = s00, s33 = s00;
        int a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
        int b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
        int p = 0;
        for (int bound = k & -LANES; p < bound; p += LANES) {
            FloatVector x0 = FloatVector.fromArray(SPECIES, a, a0 + p);
            FloatVector x1 = FloatVector.fromArray(SPECIES, a, a1 + p);
            FloatVector x2 = FloatVector.fromArray(SPECIES, a, a2 + p);
            FloatVector x3 = FloatVector.fromArray(SPECIES, a, a3 + p);
            FloatVector y = FloatVector.fromArray(SPECIES, b, b0 + p);
            s00 = x0.fma(y, s00); s10 = x1.fma(y, s10); s20 = x2.fma(y, s20); s30 = x3.fma(y, s30);
            y = FloatVector.fromArray(SPECIES, b, b1 + p);
            s01 = x0.fma(y, s01); s11 = x1.fma(y, s11); s21 = x2.fma(y, s21); s31 = x3.fma(y, s31);
            y = FloatVector.fromArray(SPECIES, b, b2 + p);
            s02 = x0.fma(y, s02); s12 = x1.fma(y, s12); s22 = x2.fma(y, s22); s32 = x3.fma(y, s32);
            y = FloatVector.fromArray(SPECIES, b, b3 + p);
            s03 = x0.fma(y, s03); s13 = x1.fma(y, s13); s23 = x2.fma(y, s23); s33 = x3.fma(y, s33);
        }
        if (p < k) {
            VectorMask<Float> mask = SPECIES.indexInRange(p, k);
            FloatVector x0 = FloatVector.fromArray(SPECIES, a, a0 + p, mask);
            FloatVector x1 = FloatVector.fromArray(SPECIES, a, a1 + p, mask);
            FloatVector x2 = FloatVector.fromArray(SPECIES, a, a2 + p, mask);
            FloatVector x3 = FloatVector.fromArray(SPECIES, a, a3 + p, mask);
            FloatVector y = FloatVector.fromArray(SPECIES, b, b0 + p, mask);
            s00 = x0.fma(y, s00); s10 = x1.fma(y, s10); s20 = x2.fma(y, s20); s30 = x3.fma(y, s30);
            y = FloatVector.fromArray(SPECIES, b, b1 + p, mask);
            s01 = x0.fma(y, s01); s11 = x1.fma(y, s11); s21 = x2.fma(y, s21); s31 = x3.fma(y, s31);
            y = FloatVector.fromArray(SPECIES, b, b2 + p, mask);
            s02 = x0.fma(y, s02); s12 = x1.fma(y, s12); s22 = x2.fma(y, s22); s32 = x3.fma(y, s32);
            y = FloatVector.fromArray(SPECIES, b, b3 + p, mask);
            s03 = x0.fma(y, s03); s13 = x1.fma(y, s13); s23 = x2.fma(y, s23); s33 = x3.fma(y, s33);
        }
        // Lane sums through memory in a fixed order: the same bits in every JIT tier and thread count
        // (reduceLanes does not promise an order, and helpers taking vectors risk not being inlined).
        s00.intoArray(scratch, 0); s01.intoArray(scratch, LANES); s02.intoArray(scratch, 2 * LANES); s03.intoArray(scratch, 3 * LANES);
        s10.intoArray(scratch, 4 * LANES); s11.intoArray(scratch, 5 * LANES); s12.intoArray(scratch, 6 * LANES); s13.intoArray(scratch, 7 * LANES);
        s20.intoArray(scratch, 8 * LANES); s21.intoArray(scratch, 9 * LANES); s22.intoArray(scratch, 10 * LANES); s23.intoArray(scratch, 11 * LANES);
        s30.intoArray(scratch, 12 * LANES); s31.intoArray(scratch, 13 * LANES); s32.intoArray(scratch, 14 * LANES); s33.intoArray(scratch, 15 * LANES);
        for (int q = 0; q < 16; q++) {
            int ci = c0 + (q >> 2) * ldc + (q & 3);
            float v = laneSum(scratch, q * LANES);
            c[ci] = acc ? c[ci] + v : v;
        }
    }

    /** Sum of scratch[off, off + LANES) by a fixed pairwise tree. */
    private static float laneSum(float[] scratch, int off) {
        for (int width = LANES >> 1; width > 0; width >>= 1) {
            for (int i = 0; i < width; i++) scratch[off + i] += scratch[off + i + width];
        }
        return scratch[off];
    }

    private static void dot1x1(float[] a, int a0, float[] b, int b0, float[] c, int c0, int k, boolean acc, float[] scratch) {
        FloatVector s = FloatVector.zero(SPECIES);
        for (int p = 0; p < k; p += LANES) {
            VectorMask<Float> mask = SPECIES.indexInRange(p, k);
            s = FloatVector.fromArray(SPECIES, a, a0 + p, mask).fma(FloatVector.fromArray(SPECIES, b, b0 + p, mask), s);
        }
        s.intoArray(scratch, 0);
        float v = laneSum(scratch, 0);
        c[c0] = acc ? c[c0] + v : v;
    }

}
