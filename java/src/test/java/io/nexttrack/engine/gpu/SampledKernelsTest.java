package io.nexttrack.engine.gpu;

import static io.nexttrack.engine.gpu.HostKernels.doubles;
import static io.nexttrack.engine.gpu.HostKernels.floats;
import static io.nexttrack.engine.gpu.HostKernels.ints;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexttrack.data.Batch;
import io.nexttrack.engine.Candidates;
import io.nexttrack.engine.Sampling;
import io.nexttrack.engine.cpu.CpuSampledOutputLayer;
import io.nexttrack.engine.cpu.WorkerPool;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The sampled loss's output layer (native/sampled.cuh, and nt_softmax_xent and nt_loss_sum at the
 * candidates' width, as the GPU engine runs them) on the host build against the CPU engine.
 * <ul>
 *   <li>SAMPLED_COLUMNS against {@code CpuSampledOutputLayer.gatherColumns}: exact (a copy, and one float addition
 *       for the corrected bias).</li>
 *   <li>The whole sampled output layer against {@code CpuSampledOutputLayer.loss} on a random chunk (padding with
 *       garbage, candidates from {@link Candidates}): the loss within 1e-5 relative, the gradients of W's and b's
 *       candidate entries and of the hidden rows within 1e-5 relative norm. The GEMMs here are the test's (double
 *       sums, rounded), the CPU's are float FMAs in another order, so this is not exact; measured worst 6e-7.</li>
 * </ul>
 */
class SampledKernelsTest {
    static final double LAYER_TOLERANCE = 1e-5;

    static Sampling sampling(int songs, int samples, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] counts = new int[songs];
        for (int s = 0; s < songs; s++) counts[s] = rnd.nextInt(4) == 0 ? 0 : (int) (1000.0 / (1 + s % 500)) + rnd.nextInt(3);
        return new Sampling(samples, 0.5, counts);
    }

    /** The seed shape's candidates at V = 75,262 (2,000 targets + 2,048 draws), odd shapes, one candidate, one row of W. */
    @ParameterizedTest
    @CsvSource({"100, 20, 75262, 100, 2048", "37, 5, 1001, 37, 50", "3, 2, 7, 5, 0", "4, 3, 30, 1, 1"})
    void sampledColumnsEqualGatherColumns(int lanes, int steps, int songs, int hidden, int samples) {
        HostKernels host = HostKernels.require();
        SplittableRandom rnd = new SplittableRandom(songs + hidden);
        Batch batch = KernelTestData.chunk(lanes, steps, songs, true, songs);
        Candidates c = new Candidates(sampling(songs, samples, 3), 7, lanes * steps).prepare(batch, 5);
        int count = c.count();
        float[] weight = KernelTestData.uniform(rnd, hidden * songs, 0.5), bias = KernelTestData.uniform(rnd, songs, 1);
        float[] expected = new float[hidden * count], expectedBias = new float[count];
        float[] p = new float[hidden * songs + songs];
        System.arraycopy(weight, 0, p, 0, weight.length);
        System.arraycopy(bias, 0, p, weight.length, songs);
        CpuSampledOutputLayer.gatherColumns(p, 0, hidden * songs, songs, c.columns(), c.correction(), count, expected, expectedBias, 0,
                hidden);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = floats(arena, new float[hidden * count]), outBias = floats(arena, new float[count]);
            host.launch(Launch.elements(KernelCatalog.SAMPLED_COLUMNS, (long) (hidden + 1) * count), floats(arena, weight),
                    floats(arena, bias), ints(arena, c.columns()), floats(arena, c.correction()), out, outBias, hidden, songs, count);
            assertArrayEquals(expected, floats(out));
            assertArrayEquals(expectedBias, floats(outBias));
        }
    }

    /**
     * The GPU engine's sampled output layer (gather, GEMM, softmax cross-entropy over the candidates with the targets as
     * candidate columns, bias column sums, loss sum, weight and hidden gradients) against the CPU engine's.
     */
    @ParameterizedTest
    @CsvSource({"37, 5, 1001, 24, 60, 96", "100, 4, 75262, 32, 2048, 64", "3, 2, 7, 5, 0, 32"})
    void sampledOutputLayerMatchesTheCpu(int lanes, int steps, int songs, int hidden, int samples, int block) {
        HostKernels host = HostKernels.require();
        SplittableRandom rnd = new SplittableRandom(songs * 7L + hidden);
        int positions = lanes * steps;
        Batch batch = KernelTestData.chunk(lanes, steps, songs, true, songs + 1);
        Sampling sampling = sampling(songs, samples, 4);
        Candidates c = new Candidates(sampling, 9, positions).prepare(batch, 2);
        int count = c.count();
        float[] p = KernelTestData.uniform(rnd, hidden * songs + songs, 0.3);
        float[] top = KernelTestData.uniform(rnd, positions * hidden, 1);
        float scale = 1f / Math.max(1, batch.positions);

        // The CPU engine: the real positions' rows in position order.
        int rows = 0;
        int[] rowPosition = new int[positions];
        float[] h = new float[positions * hidden];
        CpuSampledOutputLayer cpu = new CpuSampledOutputLayer(hidden, songs, sampling.maxCandidates(positions), positions);
        for (int pos = 0; pos < positions; pos++) {
            if (pos / lanes >= batch.lengths[pos % lanes]) continue;
            System.arraycopy(top, pos * hidden, h, rows * hidden, hidden);
            cpu.targets[rows] = c.targetColumn()[pos];
            rowPosition[rows++] = pos;
        }
        float[] grad = new float[hidden * count + count], dh = new float[positions * hidden];
        double cpuLoss;
        try (WorkerPool pool = new WorkerPool(2)) {
            cpuLoss = cpu.loss(p, 0, hidden * songs, c, h, dh, cpu.targets, rows, grad, 0, hidden * count, scale, pool);
        }

        // The kernels, with the GEMMs computed here in double.
        float[] wc, z;
        double gpuLoss;
        float[] gpuBiasGrad;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = floats(arena, new float[hidden * count]), outBias = floats(arena, new float[count]);
            float[] weight = java.util.Arrays.copyOf(p, hidden * songs), bias = java.util.Arrays.copyOfRange(p, hidden * songs, p.length);
            host.launch(Launch.elements(KernelCatalog.SAMPLED_COLUMNS, (long) (hidden + 1) * count), floats(arena, weight),
                    floats(arena, bias), ints(arena, c.columns()), floats(arena, c.correction()), out, outBias, hidden, songs, count);
            wc = floats(out);
            z = new float[positions * count];
            for (int pos = 0; pos < positions; pos++) {
                for (int j = 0; j < count; j++) {
                    double s = 0;
                    for (int k = 0; k < hidden; k++) s += (double) top[pos * hidden + k] * wc[k * count + j];
                    z[pos * count + j] = (float) s;
                }
            }
            MemorySegment logits = floats(arena, z), rowLoss = floats(arena, new float[positions]), loss = doubles(arena, 1);
            host.launch(new Launch(KernelCatalog.SOFTMAX_XENT, positions, block, 0), logits, outBias, ints(arena, c.targetColumn()),
                    ints(arena, batch.lengths), rowLoss, scale, 0, lanes, count);
            host.launch(Launch.singleBlock(KernelCatalog.LOSS_SUM), rowLoss, loss, positions);
            z = floats(logits);
            gpuLoss = doubles(loss)[0];
            gpuBiasGrad = new float[count]; // the column sums (a GEMM with ones on the GPU), here in Java
            for (int pos = 0; pos < positions; pos++) for (int j = 0; j < count; j++) gpuBiasGrad[j] += z[pos * count + j];
        }
        assertEquals(cpuLoss, gpuLoss, LAYER_TOLERANCE * cpuLoss, "loss");
        float[] gw = new float[hidden * count], gdh = new float[positions * hidden];
        for (int k = 0; k < hidden; k++) {
            for (int j = 0; j < count; j++) {
                double s = 0;
                for (int pos = 0; pos < positions; pos++) s += (double) top[pos * hidden + k] * z[pos * count + j];
                gw[k * count + j] = (float) s;
            }
        }
        for (int pos = 0; pos < positions; pos++) {
            for (int k = 0; k < hidden; k++) {
                double s = 0;
                for (int j = 0; j < count; j++) s += (double) z[pos * count + j] * wc[k * count + j];
                gdh[pos * hidden + k] = (float) s;
            }
        }
        float[] cpuDh = new float[positions * hidden];
        for (int r = 0; r < rows; r++) System.arraycopy(dh, r * hidden, cpuDh, rowPosition[r] * hidden, hidden);
        assertTrue(KernelTestData.relativeNorm(gw, grad, 0, hidden * count) < LAYER_TOLERANCE, "weight gradient");
        float[] cpuBias = java.util.Arrays.copyOfRange(grad, hidden * count, hidden * count + count);
        assertTrue(KernelTestData.relativeNorm(gpuBiasGrad, cpuBias, 0, count) < LAYER_TOLERANCE, "bias gradient");
        assertTrue(KernelTestData.relativeNorm(gdh, cpuDh, 0, positions * hidden) < LAYER_TOLERANCE, "hidden gradient");
        for (int pos = 0; pos < positions; pos++) {
            if (pos / lanes < batch.lengths[pos % lanes]) continue;
            for (int j = 0; j < count; j++) assertEquals(0f, z[pos * count + j], "padding rows give no gradient");
        }
    }
}
