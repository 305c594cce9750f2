package io.nexttrack.engine.gpu;

import static org.bytedeco.cuda.global.cudart.cudaFreeHost;
import static org.bytedeco.cuda.global.cudart.cudaMallocHost;

import io.nexttrack.io.ByteSize;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

/** Page-locked host memory: asynchronous copies to and from the device need it (batches in, losses out). */
final class PinnedBuffer implements AutoCloseable {
    final String what;
    final long bytes;
    private Pointer pointer;
    /** The same memory as a direct buffer in the machine's byte order, for bulk puts and gets. */
    final ByteBuffer buffer;

    PinnedBuffer(String what, long bytes) {
        this.what = what;
        this.bytes = bytes;
        this.pointer = new Pointer();
        Cuda.check(cudaMallocHost(pointer, Math.max(bytes, 8)), "cudaMallocHost(" + what + ", " + ByteSize.of(bytes) + ")");
        BytePointer bytesView = new BytePointer(DevicePointer.at(pointer.address()));
        bytesView.capacity(Math.max(bytes, 8)).limit(Math.max(bytes, 8));
        this.buffer = bytesView.asByteBuffer().order(ByteOrder.nativeOrder());
    }

    /** Writes {@code n} ints of {@code src} at byte offset {@code at}. */
    void putInts(long at, int[] src, int n) {
        buffer.position((int) at);
        buffer.asIntBuffer().put(src, 0, n);
    }

    void putFloats(long at, float[] src, int n) {
        buffer.position((int) at);
        buffer.asFloatBuffer().put(src, 0, n);
    }

    void getFloats(long at, float[] dst, int offset, int n) {
        buffer.position((int) at);
        buffer.asFloatBuffer().get(dst, offset, n);
    }

    void getInts(long at, int[] dst, int offset, int n) {
        buffer.position((int) at);
        buffer.asIntBuffer().get(dst, offset, n);
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
