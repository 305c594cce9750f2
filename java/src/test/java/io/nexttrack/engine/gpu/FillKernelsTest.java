package io.nexttrack.engine.gpu;

import static io.nexttrack.engine.gpu.HostKernels.floats;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The kernels of native/fill.cuh, FILL and MULTIPLY, on the host build against Java; exact (one rounding per element on both sides). */
class FillKernelsTest {
    /** n; the grid (0: Launch.gridStride's) and block, small grids so that the grid-stride loop goes round. */
    @ParameterizedTest
    @CsvSource({"1000003, 0, 256", "1, 0, 256", "10007, 3, 64", "33, 1, 32"})
    void fillAndMultiply(int n, int grid, int block) {
        HostKernels host = HostKernels.require();
        SplittableRandom rnd = new SplittableRandom(n);
        float[] a = KernelTestData.uniform(rnd, n, 3), b = KernelTestData.uniform(rnd, n, 3);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = floats(arena, a);
            host.launch(launch(KernelCatalog.FILL, n, grid, block), out, 0.37f, n);
            float[] expected = new float[n];
            Arrays.fill(expected, 0.37f);
            assertArrayEquals(expected, floats(out));

            MemorySegment x = floats(arena, a), y = floats(arena, b);
            host.launch(launch(KernelCatalog.MULTIPLY, n, grid, block), x, y, out, n);
            for (int i = 0; i < n; i++) expected[i] = a[i] * b[i];
            assertArrayEquals(expected, floats(out));
            host.launch(launch(KernelCatalog.MULTIPLY, n, grid, block), x, y, x, n); // in place, as the dropout backward
            assertArrayEquals(expected, floats(x));
        }
    }

    private static Launch launch(KernelCatalog kernel, int n, int grid, int block) {
        return grid == 0 ? Launch.gridStride(kernel, n) : new Launch(kernel, grid, block, 0);
    }
}
