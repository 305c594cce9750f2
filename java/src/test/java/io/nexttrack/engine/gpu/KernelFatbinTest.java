package io.nexttrack.engine.gpu;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The build's CUDA chain (CMake + nvcc -> fatbin resource) holds every kernel of {@link KernelCatalog}. Runs where
 * the build found nvcc (CI here); skips where it did not. Loading and launching needs a GPU: not tested here.
 */
class KernelFatbinTest {
    @Test
    void fatbinResourceHoldsEveryKernel() throws IOException {
        try (InputStream in = KernelCatalog.class.getResourceAsStream(KernelCatalog.FATBIN_RESOURCE)) {
            Assumptions.assumeTrue(in != null, "no kernels.fatbin: the build found no nvcc (CPU-only build)");
            byte[] bytes = in.readAllBytes();
            assertEquals(0xBA55ED50, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt(), "fatbin magic");
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            for (KernelCatalog kernel : KernelCatalog.values()) {
                // The cubins' symbol tables name each kernel once per architecture, NUL-terminated.
                assertTrue(text.contains(kernel.cudaName() + "\0"), kernel.cudaName() + " in the fatbin");
            }
        }
    }
}
