package io.nexttrack.engine.gpu;

import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * The {@code kernelParams} array of {@code cuLaunchKernel} for one kernel, built from {@link KernelCatalog}'s
 * description: one 8-byte slot per parameter holding its value (a device address as {@code long}, an
 * {@code int}, a {@code float} or a {@code double}), and an array of pointers to the slots. The driver reads
 * the values at launch and checks nothing, so every value is checked here against the declared kind.
 * Reused from launch to launch of the same kernel (the driver copies the values when the launch is queued).
 */
final class KernelArgs implements AutoCloseable {
    final KernelCatalog kernel;
    private final List<KernelCatalog.Param> params;
    private final BytePointer slots;
    final PointerPointer<?> pointers;

    KernelArgs(KernelCatalog kernel) {
        this.kernel = kernel;
        this.params = kernel.params();
        this.slots = new BytePointer(8L * params.size());
        this.pointers = new PointerPointer<>(params.size());
        for (int i = 0; i < params.size(); i++) pointers.put(i, DevicePointer.at(slots.address() + 8L * i));
    }

    /** Writes the values, in declaration order: {@code Long} device addresses, {@code Integer}, {@code Float}, {@code Double}. */
    KernelArgs set(Object... values) {
        if (values.length != params.size()) {
            throw new IllegalArgumentException(kernel.cudaName() + " takes " + params.size() + " arguments, got " + values.length);
        }
        for (int i = 0; i < values.length; i++) {
            KernelCatalog.Param p = params.get(i);
            Object v = values[i];
            long at = 8L * i;
            switch (p.kind()) {
                case POINTER -> {
                    if (!(v instanceof Long address) || address == 0) throw wrong(p, v, "a non-null device address (long)");
                    slots.putLong(at, address);
                }
                case INT -> {
                    if (!(v instanceof Integer x)) throw wrong(p, v, "an int");
                    slots.putInt(at, x);
                }
                case FLOAT -> {
                    if (!(v instanceof Float x)) throw wrong(p, v, "a float");
                    slots.putFloat(at, x);
                }
                case DOUBLE -> {
                    if (!(v instanceof Double x)) throw wrong(p, v, "a double");
                    slots.putDouble(at, x);
                }
            }
        }
        return this;
    }

    /** The bytes of slot {@code i} as a long (tests read the packing back). */
    long slot(int i) { return slots.getLong(8L * i); }

    /** The address the driver will read parameter {@code i} from. */
    long pointerTo(int i) { return pointers.get(i).address(); }

    private IllegalArgumentException wrong(KernelCatalog.Param p, Object v, String expected) {
        return new IllegalArgumentException(kernel.cudaName() + ": parameter " + p.name() + " (" + p.cType() + ") needs " + expected
                + ", got " + (v == null ? "null" : v.getClass().getSimpleName() + " " + v));
    }

    @Override
    public void close() {
        slots.close();
        pointers.close();
    }
}
