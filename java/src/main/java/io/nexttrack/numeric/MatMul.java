package io.nexttrack.numeric;

/**
 * The one GEMM of the CPU engine: single-threaded, register- and cache-blocked loops on row-major float arrays
 * with offsets and leading dimensions ({@link InnerLoops#mul}: Vector API tiles, or their scalar twin).
 * Callers parallelise by giving each worker a disjoint block of C. Every element of C is computed with the
 * same sequence of operations whatever the blocking, so results do not depend on the number of threads.
 *
 * <ul>
 *   <li>{@link #mul}: C (+)= op(A) . B with op(A)(i, k) = a[aOff + i*aRow + k*aCol], which covers
 *       A . B ({@code aRow = lda, aCol = 1}) and A^T . B ({@code aRow = 1, aCol = lda});</li>
 *   <li>A . B^T: {@link #mul} on B transposed once by {@link #transpose}.</li>
 * </ul>
 *
 * <p>Used by the CPU engine's layers and the JMH benchmarks; no compatibility promise.
 */
public final class MatMul {
    private static final InnerLoops K = InnerLoops.CHOSEN;
    /** Columns of C per register tile: column splits at multiples of it keep whole tiles. */
    public static final int PANEL = K.panel();
    /** Depth of one k block: keeps the B panel (KC x PANEL floats) in L1. Both implementations block k alike. */
    static final int KC = 128;

    private MatMul() {}

    /**
     * C[i, j] (+)= sum_k op(A)(i, k) * B[k, j] for i in [0, m), j in [n0, n1), k in [0, k).
     *
     * @param accumulate add to C instead of overwriting it
     */
    public static void mul(float[] a, int aOff, int aRow, int aCol, float[] b, int bOff, int ldb,
                    float[] c, int cOff, int ldc, int m, int n0, int n1, int k, boolean accumulate) {
        K.mul(a, aOff, aRow, aCol, b, bOff, ldb, c, cOff, ldc, m, n0, n1, k, accumulate);
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
