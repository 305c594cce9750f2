package io.nexttrack.engine.gpu;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * A raw address as a JavaCPP pointer, to hand device (or pinned host) memory to cuBLAS, cuDNN and the driver.
 * Position 0, no deallocator: the memory belongs to a {@link DeviceBuffer} or {@link PinnedBuffer}.
 */
final class DevicePointer extends Pointer {
    DevicePointer(long address) {
        this.address = address;
    }

    static Pointer at(long address) { return new DevicePointer(address); }

    static FloatPointer floats(long address) { return new FloatPointer(new DevicePointer(address)); }

    static IntPointer ints(long address) { return new IntPointer(new DevicePointer(address)); }

    static DoublePointer doubles(long address) { return new DoublePointer(new DevicePointer(address)); }
}
