package io.nexttrack.engine.gpu;

import static org.bytedeco.cuda.global.cudart.cuGetErrorString;
import static org.bytedeco.cuda.global.cudart.cudaGetErrorName;
import static org.bytedeco.cuda.global.cudart.cudaGetErrorString;

import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudnn;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Turns the status codes of CUDA (runtime and driver), cuBLAS and cuDNN into one-line {@link GpuException}s that
 * name the call. Every call into those libraries goes through one of these checks.
 */
final class Cuda {
    private Cuda() {}

    static final int CUDA_SUCCESS = 0;
    static final int CUDA_ERROR_MEMORY_ALLOCATION = 2; // cudaErrorMemoryAllocation

    /** A CUDA runtime status ({@code cudaError_t}). */
    static void check(int status, String call) {
        if (status != CUDA_SUCCESS) throw new GpuException(call + ": " + runtimeError(status));
    }

    /** A CUDA driver API status ({@code CUresult}). */
    static void checkDriver(int status, String call) {
        if (status == CUDA_SUCCESS) return;
        PointerPointer<BytePointer> text = new PointerPointer<>(1);
        String words = cuGetErrorString(status, text) == CUDA_SUCCESS && text.get(0) != null
                ? text.get(BytePointer.class, 0).getString() : "unknown error";
        throw new GpuException(call + ": " + words + " (CUresult " + status + ")");
    }

    static void checkCublas(int status, String call) {
        if (status == cublas.CUBLAS_STATUS_SUCCESS) return;
        throw new GpuException(call + ": " + cublas.cublasGetStatusString(status).getString() + " (cublasStatus_t " + status + ")");
    }

    static void checkCudnn(int status, String call) {
        if (status == cudnn.CUDNN_STATUS_SUCCESS) return;
        throw new CudnnException(call + ": " + cudnn.cudnnGetErrorString(status).getString() + " (cudnnStatus_t " + status + ")", status);
    }

    /** A failed cuDNN call, with its status, so that callers can tell "not supported" from real failures. */
    static final class CudnnException extends GpuException {
        final int status;

        CudnnException(String message, int status) {
            super(message);
            this.status = status;
        }
    }

    /**
     * Whether a cuDNN status means "not supported": cuDNN 9 reports it as CUDNN_STATUS_NOT_SUPPORTED (3000) or as
     * one of its sub-codes (3001 ..., e.g. CUDNN_STATUS_NOT_SUPPORTED_SHAPE), all in the category of 3000
     * (CUDNN_STATUS_CATEGORY in cudnn_graph.h: the status rounded down to a multiple of 1000).
     */
    static boolean cudnnNotSupported(int status) {
        return status / 1000 * 1000 == cudnn.CUDNN_STATUS_NOT_SUPPORTED;
    }

    static String runtimeError(int status) {
        return cudaGetErrorString(status).getString() + " (" + cudaGetErrorName(status).getString() + ")";
    }
}
