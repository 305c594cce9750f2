package io.nexttrack.engine.gpu;

import static org.bytedeco.cuda.global.cublas.CUBLAS_OP_N;
import static org.bytedeco.cuda.global.cublas.CUBLAS_OP_T;
import static org.bytedeco.cuda.global.cublas.cublasSgemm_v2;

import org.bytedeco.cuda.cublas.cublasContext;
import org.bytedeco.javacpp.FloatPointer;

/** cuBLAS products on our row-major device matrices (addresses), through {@link RowMajorGemm}'s mapping. */
final class Blas {
    private final cublasContext handle;
    private final FloatPointer alpha = new FloatPointer(1), beta = new FloatPointer(1);

    Blas(cublasContext handle) {
        this.handle = handle;
    }

    /** {@code C = a op(A) op(B) + b C}; A, B and C are device addresses of row-major matrices. */
    void gemm(RowMajorGemm g, float a, long aAddress, long bAddress, float b, long cAddress) {
        if (g.m() == 0 || g.n() == 0) return;
        RowMajorGemm.ColumnMajor c = g.columnMajor();
        alpha.put(0, a);
        beta.put(0, b);
        Cuda.checkCublas(cublasSgemm_v2(handle, c.transFirst() ? CUBLAS_OP_T : CUBLAS_OP_N, c.transSecond() ? CUBLAS_OP_T : CUBLAS_OP_N,
                c.m(), c.n(), c.k(), alpha, DevicePointer.floats(bAddress), c.ldFirst(), DevicePointer.floats(aAddress), c.ldSecond(),
                beta, DevicePointer.floats(cAddress), c.ldc()), "cublasSgemm " + g);
    }
}
