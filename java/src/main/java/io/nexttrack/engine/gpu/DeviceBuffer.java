package io.nexttrack.engine.gpu;

import static org.bytedeco.cuda.global.cudart.cudaFree;
import static org.bytedeco.cuda.global.cudart.cudaMalloc;
import static org.bytedeco.cuda.global.cudart.cudaMemGetInfo;
import static org.bytedeco.cuda.global.cudart.cudaMemsetAsync;

import io.nexttrack.io.ByteSize;
import java.util.Locale;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.SizeTPointer;

/**
 * One device allocation with a name, so that running out of memory says what was being allocated and how big
 * it was. Offsets are in elements of 4 bytes unless the method says bytes.
 */
final class DeviceBuffer implements AutoCloseable {
    /** Bytes held by live buffers of this process, and the most ever held (what {@code bench} reports). */
    private static final java.util.concurrent.atomic.AtomicLong LIVE = new java.util.concurrent.atomic.AtomicLong(), PEAK =
            new java.util.concurrent.atomic.AtomicLong();

    final String what;
    final long bytes;
    private Pointer pointer;

    private DeviceBuffer(String what, long bytes, Pointer pointer) {
        this.what = what;
        this.bytes = bytes;
        this.pointer = pointer;
    }

    /** At least 4 bytes (cudaMalloc of 0 gives no address to pass on). */
    static DeviceBuffer allocate(String what, long bytes) {
        if (bytes < 0) throw new IllegalArgumentException(what + ": negative size " + bytes);
        Pointer p = new Pointer();
        int status = cudaMalloc(p, Math.max(bytes, 4));
        if (status == Cuda.CUDA_ERROR_MEMORY_ALLOCATION) {
            SizeTPointer free = new SizeTPointer(1), total = new SizeTPointer(1);
            boolean known = cudaMemGetInfo(free, total) == Cuda.CUDA_SUCCESS;
            throw new OutOfDeviceMemoryException(outOfMemory(what, bytes, known ? free.get() : -1, known ? total.get() : -1));
        }
        Cuda.check(status, "cudaMalloc(" + what + ", " + ByteSize.of(bytes) + ")");
        PEAK.accumulateAndGet(LIVE.addAndGet(bytes), Math::max);
        return new DeviceBuffer(what, bytes, p);
    }

    static DeviceBuffer floats(String what, long count) { return allocate(what, 4 * count); }

    /** The one-line message for a failed allocation; free and total are -1 when unknown. */
    static String outOfMemory(String what, long bytes, long free, long total) {
        String state = free < 0 ? "" : String.format(Locale.ROOT, "; %s free of %s", ByteSize.of(free), ByteSize.of(total));
        return "out of GPU memory allocating " + what + " (" + ByteSize.of(bytes) + state
                + "): use a smaller --batch, fewer songs, or --device cpu";
    }

    long address() {
        if (pointer == null) throw new IllegalStateException(what + " was freed");
        return pointer.address();
    }

    /** The address of float (or int) element {@code index}. */
    long at(long index) { return address() + 4 * index; }

    FloatPointer floats(long index) { return DevicePointer.floats(at(index)); }

    Pointer pointer() { return DevicePointer.at(address()); }

    void zero(CUstream_st stream) {
        Cuda.check(cudaMemsetAsync(pointer(), 0, bytes, stream), "cudaMemsetAsync(" + what + ")");
    }

    /** The most bytes this process's device buffers held at once (not counting cuBLAS's and cuDNN's own). */
    static long peakBytes() { return PEAK.get(); }

    /** Device bytes allocated and not yet freed, by every context of this process. */
    static long liveBytes() { return LIVE.get(); }

    @Override
    public void close() {
        if (pointer != null) {
            cudaFree(pointer);
            pointer = null;
            LIVE.addAndGet(-bytes);
        }
    }
}
