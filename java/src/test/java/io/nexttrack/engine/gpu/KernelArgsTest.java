package io.nexttrack.engine.gpu;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/**
 * The kernelParams array cuLaunchKernel reads, packed on the CPU through JavaCPP's own memory (no GPU needed):
 * one slot per declared parameter holding the value in the declared type, and a wrong Java type refused
 * before anything reaches the driver, which would check nothing.
 */
class KernelArgsTest {
    @Test
    void everyKernelPacksItsDeclaredParameters() {
        for (KernelCatalog k : KernelCatalog.values()) {
            Object[] values = new Object[k.params().size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = switch (k.params().get(i).kind()) {
                    case POINTER -> 0x7f0000001000L + 256L * i;
                    case INT -> 1000 + i;
                    case FLOAT -> 0.5f + i;
                    case DOUBLE -> 0.25 + i;
                };
            }
            try (KernelArgs args = new KernelArgs(k)) {
                args.set(values);
                for (int i = 0; i < values.length; i++) {
                    long slot = args.slot(i);
                    switch (k.params().get(i).kind()) {
                        case POINTER -> assertEquals(values[i], slot, k + " " + i);
                        case INT -> assertEquals(values[i], (int) slot, k + " " + i);
                        case FLOAT -> assertEquals(values[i], Float.intBitsToFloat((int) slot), k + " " + i);
                        case DOUBLE -> assertEquals(values[i], Double.longBitsToDouble(slot), k + " " + i);
                    }
                    if (i > 0) assertEquals(8, args.pointerTo(i) - args.pointerTo(i - 1), "one 8-byte slot per parameter");
                    // What cuLaunchKernel does with kernelParams[i]: read the value at that address.
                    assertEquals(slot, new org.bytedeco.javacpp.LongPointer(DevicePointer.at(args.pointerTo(i))).get(), k + " " + i);
                }
            }
        }
    }

    @Test
    void aValueOfTheWrongTypeIsRefused() {
        try (KernelArgs args = new KernelArgs(KernelCatalog.FILL)) { // float* out, float value, int n
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> args.set(16L, 1.0, 5));
            assertEquals("nt_fill: parameter value (float) needs a float, got Double 1.0", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> args.set(16, 1f, 5), "an int where a device address goes");
            assertThrows(IllegalArgumentException.class, () -> args.set(0L, 1f, 5), "a null device address");
            assertThrows(IllegalArgumentException.class, () -> args.set(16L, 1f), "too few arguments");
        }
    }

    @Test
    void outOfMemoryNamesWhatWasAllocatedAndItsSize() {
        assertEquals("out of GPU memory allocating output logits block [890, 75262] (255.5 MiB; 100.0 MiB free of 79.2 GiB): "
                        + "use a smaller --batch, fewer songs, or --device cpu",
                DeviceBuffer.outOfMemory("output logits block [890, 75262]", 4L * 890 * 75262, 100L << 20, (long) (79.19 * (1L << 30))));
    }

    @Test
    void theOutputLayerKeepsItsLogitsBlockBounded() {
        assertEquals(2000, GpuOutputLayer.rowsPerBlock(2000, 3168, GpuOutputLayer.TRAINING_BLOCK_BYTES), "the whole seed chunk at V = 3168");
        assertEquals(891, GpuOutputLayer.rowsPerBlock(2000, 75262, GpuOutputLayer.TRAINING_BLOCK_BYTES));
        assertEquals(1, GpuOutputLayer.rowsPerBlock(2000, 200_000_000, GpuOutputLayer.TRAINING_BLOCK_BYTES));
    }
}
