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
 *   <li>A . B^T: {@link #mul} on B transposed once by {@link #transpose}.</li>
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
     * dst = src^T for a row-major {@code rows x cols} block of src starting at {@code off}: dst is
     * {@code cols x rows}. Gradients w.r.t. layer inputs (A . W^T) go through {@link #mul} on a transposed
     * copy of W: one kernel family, and the fastest one (a separate dot-product kernel was 2x slower and
     * too large for C1, which left it interpreted for minutes on a busy machine).
     */
    public static void transpose(float[] src, int off, int rows, int cols, float[] dst, int r0, int r1) {
        final int block = 32;
        for (int i0 = r0; i0 < r1; i0 += block) {
            int i1 = Math.min(r1, i0 + block);
            for (int j0 = 0; j0 < cols; j0 += block) {
                int j1 = Math.min(cols, j0 + block);
                for (int i = i0; i < i1; i++) {
                    int s0 = off + i * cols;
                    for (int j = j0; j < j1; j++) dst[j * rows + i] = src[s0 + j];
                }
            }
        }
    }
}
