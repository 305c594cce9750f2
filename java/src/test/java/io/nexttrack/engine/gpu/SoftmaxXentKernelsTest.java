package io.nexttrack.engine.gpu;

import static io.nexttrack.engine.gpu.HostKernels.doubles;
import static io.nexttrack.engine.gpu.HostKernels.floats;
import static io.nexttrack.engine.gpu.HostKernels.ints;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexttrack.data.Batch;
import io.nexttrack.engine.cpu.CpuLstmLayer;
import io.nexttrack.engine.cpu.CpuOutputLayer;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The output layer's kernels (native/softmax_xent.cuh) on the host build against their CPU twins.
 * <ul>
 *   <li>SOFTMAX_XENT: every gradient element within {@value #XENT_GRADIENT} x scale of the CPU's and every row
 *       loss within {@value #XENT_LOSS} (relative, at least 1 nat). Both compute in float with their own exp
 *       (2 ulp) and add V exponentials in different orders (the CPU in vector lanes, then double; the kernel per
 *       thread, then a tree), and the kernel forms the loss in float, the CPU in double. Measured worst: 3e-8
 *       and 1.6e-7; the tolerances leave about 10 times that.</li>
 *   <li>LOSS_SUM: within 1e-12 relative (doubles added in another order).</li>
 * </ul>
 */
class SoftmaxXentKernelsTest {
    static final double XENT_GRADIENT = 3e-7;
    static final double XENT_LOSS = 2e-6;

    /**
     * A chunk of lanes x steps positions; the kernel runs on rows [first, first + rows) of it with the given block.
     * The seed shape (100 x 20) at V = 3,168 whole, at V = 75,262 one row block of 256 (as the GPU engine chunks
     * it) with the production block; odd sizes; blocks of 32 (one warp) and 96 (not a power of two).
     */
    @ParameterizedTest
    @CsvSource({"100, 20, 3168, 0, 2000, 64", "100, 20, 75262, 1000, 256, 256", "37, 5, 1001, 0, 185, 96",
            "37, 5, 1001, 100, 85, 32", "3, 2, 7, 0, 6, 32"})
    void softmaxCrossEntropyMatchesOutputLayer(int lanes, int steps, int songs, int first, int rows, int block) {
        HostKernels host = HostKernels.require();
        SplittableRandom rnd = new SplittableRandom(songs + first);
        Batch batch = KernelTestData.chunk(lanes, steps, songs, true, songs + rows);
        float[] logits = KernelTestData.uniform(rnd, rows * songs, 4);
        float[] bias = KernelTestData.uniform(rnd, songs, 1);
        float scale = 1f / Math.max(1, batch.positions);

        float[] expected = logits.clone();
        double[] expectedLoss = new double[rows];
        for (int r = 0; r < rows; r++) {
            int pos = first + r;
            if (pos / lanes < batch.lengths[pos % lanes]) {
                expectedLoss[r] = CpuOutputLayer.softmaxCrossEntropy(expected, r * songs, bias, 0, songs, batch.targets[pos], scale, true);
            } else {
                java.util.Arrays.fill(expected, r * songs, (r + 1) * songs, 0f);
            }
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment z = floats(arena, logits), rowLoss = floats(arena, new float[lanes * steps]);
            host.launch(new Launch(KernelCatalog.SOFTMAX_XENT, rows, block, 0), z, floats(arena, bias), ints(arena, batch.targets),
                    ints(arena, batch.lengths), rowLoss, scale, first, lanes, songs);
            float[] actual = floats(z), loss = floats(rowLoss);
            double worst = 0;
            for (int i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / scale);
            assertTrue(worst <= XENT_GRADIENT, "gradient differs by " + worst + " x scale");
            for (int r = 0; r < rows; r++) {
                assertEquals(expectedLoss[r], loss[first + r], XENT_LOSS * Math.max(1, expectedLoss[r]), "loss of row " + r);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"2000", "1", "75262", "33"})
    void lossSumInDouble(int n) {
        HostKernels host = HostKernels.require();
        float[] rowLoss = KernelTestData.uniform(new SplittableRandom(n), n, 9);
        double expected = 0;
        for (float x : rowLoss) expected += x;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment loss = doubles(arena, 1);
            host.launch(Launch.singleBlock(KernelCatalog.LOSS_SUM), floats(arena, rowLoss), loss, n);
            assertEquals(expected, doubles(loss)[0], 1e-12 * Math.abs(expected) + 1e-300);
        }
    }
}
