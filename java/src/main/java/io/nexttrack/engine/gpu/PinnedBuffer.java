package io.nexttrack.engine.gpu;

import static org.bytedeco.cuda.global.cudart.cudaFreeHost;
import static org.bytedeco.cuda.global.cudart.cudaMallocHost;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

/** Page-locked host memory: asynchronous copies to and from the device need it (batches in, losses out). */
final class PinnedBuffer implements AutoCloseable {
    final String what;
    final long bytes;
    private Pointer pointer;
    /** The same memory as bytes, for the put/get methods. */
    final BytePointer data;

    PinnedBuffer(String what, long bytes) {
        this.what = what;
        this.bytes = bytes;
        this.pointer = new Pointer();
        Cuda.check(cudaMallocHost(pointer, Math.max(bytes, 8)), "cudaMallocHost(" + what + ", " + Cuda.size(bytes) + ")");
        this.data = new BytePointer(DevicePointer.at(pointer.address()));
        data.capacity(Math.max(bytes, 8)).limit(Math.max(bytes, 8));
    }

    long address() { return pointer.address(); }

    Pointer pointer() { return DevicePointer.at(address()); }

    @Override
    public void close() {
        if (pointer != null) {
            cudaFreeHost(pointer);
            pointer = null;
        }
    }
}
