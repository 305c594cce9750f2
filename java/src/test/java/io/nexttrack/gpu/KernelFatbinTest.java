package io.nexttrack.gpu;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The build's CUDA chain (CMake + nvcc -> fatbin resource). Runs where the build found nvcc (CI here);
 * skips where it did not. Loading and launching the kernels needs a GPU and is not tested here.
 */
class KernelFatbinTest {
    @Test
    void fatbinResourceHoldsTheKernels() throws IOException {
        try (InputStream in = KernelFatbinTest.class.getResourceAsStream("/io/nexttrack/gpu/kernels.fatbin")) {
            Assumptions.assumeTrue(in != null, "no kernels.fatbin: the build found no nvcc (CPU-only build)");
            byte[] bytes = in.readAllBytes();
            assertEquals(0xBA55ED50, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt(), "fatbin magic");
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            for (String kernel : new String[] {"nt_fill", "nt_embedding_gather", "nt_embedding_scatter_add", "nt_softmax_xent",
                    "nt_sum_squares", "nt_clip_adam"}) {
                assertTrue(text.contains(kernel), kernel + " in the fatbin");
            }
        }
    }
}
