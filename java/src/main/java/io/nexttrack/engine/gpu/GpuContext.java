package io.nexttrack.engine.gpu;

import static org.bytedeco.cuda.global.cublas.CUBLAS_DEFAULT_MATH;
import static org.bytedeco.cuda.global.cublas.cublasCreate_v2;
import static org.bytedeco.cuda.global.cublas.cublasDestroy_v2;
import static org.bytedeco.cuda.global.cublas.cublasSetMathMode;
import static org.bytedeco.cuda.global.cublas.cublasSetStream_v2;
import static org.bytedeco.cuda.global.cudart.cudaDevAttrMaxSharedMemoryPerBlockOptin;
import static org.bytedeco.cuda.global.cudart.cudaDeviceGetAttribute;
import static org.bytedeco.cuda.global.cudart.cudaEventCreateWithFlags;
import static org.bytedeco.cuda.global.cudart.cudaEventDisableTiming;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyAsync;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyDeviceToDevice;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyDeviceToHost;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyHostToDevice;
import static org.bytedeco.cuda.global.cudart.cudaSetDevice;
import static org.bytedeco.cuda.global.cudart.cudaStreamCreateWithFlags;
import static org.bytedeco.cuda.global.cudart.cudaStreamDestroy;
import static org.bytedeco.cuda.global.cudart.cudaStreamNonBlocking;
import static org.bytedeco.cuda.global.cudart.cudaStreamSynchronize;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.cuda.cublas.cublasContext;
import org.bytedeco.cuda.cudart.CUevent_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.javacpp.Pointer;

/**
 * Device 0's primary context with one stream on which everything of one engine is queued in order (copies,
 * our kernels, cuBLAS, cuDNN), a cuBLAS handle bound to it in FP32 (CUBLAS_DEFAULT_MATH: no TF32), and the
 * kernel launchers. Device buffers allocated through {@link #floats} are freed with the context.
 */
final class GpuContext implements AutoCloseable {
    final CUstream_st stream = new CUstream_st();
    final cublasContext blasHandle = new cublasContext();
    final Blas blas;
    final KernelLaunchers kernels;
    private final List<AutoCloseable> owned = new ArrayList<>();
    private boolean closed;

    GpuContext() {
        Cuda.check(cudaSetDevice(0), "cudaSetDevice(0)");
        KernelModule module = KernelModule.get(); // creates the context (cudaFree(null)) before cuModuleLoadData
        Cuda.check(cudaStreamCreateWithFlags(stream, cudaStreamNonBlocking), "cudaStreamCreateWithFlags");
        try { // a context that fails here is never closed: free the stream and handle made so far
            Cuda.checkCublas(cublasCreate_v2(blasHandle), "cublasCreate");
            Cuda.checkCublas(cublasSetStream_v2(blasHandle, stream), "cublasSetStream");
            Cuda.checkCublas(cublasSetMathMode(blasHandle, CUBLAS_DEFAULT_MATH), "cublasSetMathMode(CUBLAS_DEFAULT_MATH)");
            int[] shared = new int[1];
            Cuda.check(cudaDeviceGetAttribute(shared, cudaDevAttrMaxSharedMemoryPerBlockOptin, 0),
                    "cudaDeviceGetAttribute(cudaDevAttrMaxSharedMemoryPerBlockOptin)");
            this.blas = new Blas(blasHandle);
            this.kernels = new KernelLaunchers(module, stream, shared[0]);
        } catch (RuntimeException | Error e) {
            if (!blasHandle.isNull()) cublasDestroy_v2(blasHandle);
            cudaStreamDestroy(stream);
            throw e;
        }
    }

    /**
     * {@code sums[j] += a[0, j] + ... + a[rows - 1, j]} for {@code a [rows, cols]} (the bias gradients of the output
     * layer and of each LSTM layer): one GEMM, {@code ones[1, rows] . a}, so that cuBLAS spreads the rows over the
     * device. A thread per column adding every row (2,000 of them at B = 100, T = 20) would run as 2 blocks for the
     * LSTM's 4H = 400 columns and leave the GPU idle. The rows are added in cuBLAS's order, not the CPU's: equal to
     * {@code CpuLstmLayer.columnSums} within float rounding.
     */
    void addColumnSums(long a, long sums, int rows, int cols) {
        if (ones == null || ones.bytes < 4L * rows) {
            // at the first use; a larger one if a later use has more rows (the old one lives on: queued GEMMs may read it)
            ones = floats("a vector of ones [" + rows + "] (column sums)", rows);
            kernels.fill(ones.address(), 1f, rows);
        }
        blas.gemm(new RowMajorGemm(false, false, 1, cols, rows, rows, cols, cols), 1f, ones.address(), a, 1f, sums);
    }

    private DeviceBuffer ones;

    /** A device buffer of {@code count} floats (or ints), freed with this context. */
    DeviceBuffer floats(String what, long count) {
        DeviceBuffer b = DeviceBuffer.floats(what, count);
        owned.add(b);
        return b;
    }

    DeviceBuffer bytes(String what, long count) {
        DeviceBuffer b = DeviceBuffer.allocate(what, count);
        owned.add(b);
        return b;
    }

    PinnedBuffer pinned(String what, long bytes) {
        PinnedBuffer b = new PinnedBuffer(what, bytes);
        owned.add(b);
        return b;
    }

    CUevent_st event() {
        CUevent_st e = new CUevent_st();
        Cuda.check(cudaEventCreateWithFlags(e, cudaEventDisableTiming), "cudaEventCreateWithFlags");
        owned.add(() -> org.bytedeco.cuda.global.cudart.cudaEventDestroy(e));
        return e;
    }

    void toDevice(long device, Pointer host, long bytes, String what) {
        if (bytes > 0) Cuda.check(cudaMemcpyAsync(DevicePointer.at(device), host, bytes, cudaMemcpyHostToDevice, stream), "cudaMemcpyAsync(" + what + " to the device)");
    }

    void toHost(Pointer host, long device, long bytes, String what) {
        if (bytes > 0) Cuda.check(cudaMemcpyAsync(host, DevicePointer.at(device), bytes, cudaMemcpyDeviceToHost, stream), "cudaMemcpyAsync(" + what + " to the host)");
    }

    void deviceToDevice(long to, long from, long bytes, String what) {
        if (bytes > 0) Cuda.check(cudaMemcpyAsync(DevicePointer.at(to), DevicePointer.at(from), bytes, cudaMemcpyDeviceToDevice, stream), "cudaMemcpyAsync(" + what + ")");
    }

    /** Waits for everything queued so far (checkpoints, evaluation results, tests): never inside a training step. */
    void synchronize(String why) {
        Cuda.check(cudaStreamSynchronize(stream), "cudaStreamSynchronize (" + why + ")");
    }

    /** Once: destroying a cuBLAS handle, stream or event twice is undefined behaviour (a crash of the JVM at worst). */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            cudaStreamSynchronize(stream);
        } finally {
            for (int i = owned.size() - 1; i >= 0; i--) {
                try {
                    owned.get(i).close();
                } catch (Exception e) {
                    // freeing is best effort once the engine is done
                }
            }
            kernels.close();
            cublasDestroy_v2(blasHandle);
            cudaStreamDestroy(stream);
        }
    }
}
