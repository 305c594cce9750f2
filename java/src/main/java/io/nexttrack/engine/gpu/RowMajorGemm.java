package io.nexttrack.engine.gpu;

/**
 * {@code C = alpha op(A) op(B) + beta C} on row-major matrices (our layout), as the one cuBLAS call that computes
 * it: cuBLAS is column-major, and a row-major matrix read column-major is its transpose, so the row-major
 * product {@code C = op(A) op(B)} is the column-major product {@code C^T = op(B)^T op(A)^T}: the operands swap,
 * each keeps its own transpose flag, and m and n swap. This is the only place that mapping is written.
 *
 * @param m   rows of C (and of op(A))
 * @param n   columns of C (and of op(B))
 * @param k   columns of op(A), rows of op(B)
 * @param lda row stride of A as stored (elements), likewise ldb and ldc
 */
record RowMajorGemm(boolean transA, boolean transB, int m, int n, int k, int lda, int ldb, int ldc) {

    RowMajorGemm {
        if (m < 0 || n < 0 || k < 0) throw new IllegalArgumentException("negative size: " + m + "x" + n + "x" + k);
        if (lda < Math.max(1, transA ? m : k)) throw new IllegalArgumentException("lda " + lda + " too small");
        if (ldb < Math.max(1, transB ? k : n)) throw new IllegalArgumentException("ldb " + ldb + " too small");
        if (ldc < Math.max(1, n)) throw new IllegalArgumentException("ldc " + ldc + " too small");
    }

    /**
     * The column-major sgemm that computes this product: {@code C' = op(first) op(second)} with C' = C^T (m' = n,
     * n' = m), first = B (as stored, leading dimension ldb), second = A (leading dimension lda).
     */
    ColumnMajor columnMajor() {
        return new ColumnMajor(transB, transA, n, m, k, ldb, lda, ldc);
    }

    /** The arguments of {@code cublasSgemm(transa, transb, m, n, k, alpha, first, ldFirst, second, ldSecond, beta, C, ldc)}. */
    record ColumnMajor(boolean transFirst, boolean transSecond, int m, int n, int k, int ldFirst, int ldSecond, int ldc) {

        /**
         * What cuBLAS computes with these arguments, on host arrays, by the BLAS definition (element (i, j) of a
         * column-major matrix with leading dimension ld is at {@code i + j * ld}): the CPU twin of the GPU call.
         */
        void reference(float alpha, float[] first, int firstOff, float[] second, int secondOff, float beta, float[] c, int cOff) {
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < m; i++) {
                    float sum = 0;
                    for (int p = 0; p < k; p++) {
                        float x = transFirst ? first[firstOff + p + i * ldFirst] : first[firstOff + i + p * ldFirst];
                        float y = transSecond ? second[secondOff + j + p * ldSecond] : second[secondOff + p + j * ldSecond];
                        sum += x * y;
                    }
                    int at = cOff + i + j * ldc;
                    c[at] = alpha * sum + (beta == 0 ? 0 : beta * c[at]);
                }
            }
        }
    }
}
