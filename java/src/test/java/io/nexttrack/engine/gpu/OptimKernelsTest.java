package io.nexttrack.engine.gpu;

import static io.nexttrack.engine.gpu.HostKernels.doubles;
import static io.nexttrack.engine.gpu.HostKernels.floats;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexttrack.model.ModelConfig;
import io.nexttrack.model.Parameters;
import io.nexttrack.optim.Adam;
import io.nexttrack.optim.GradientClipping;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Clipping and Adam (native/optim.cuh) on the host build against GradientClipping and Adam.
 * <ul>
 *   <li>SUM_SQUARES_PARTIAL + SUM_SQUARES_FINAL: the norm within 1e-12 relative of GradientClipping.norm
 *       (doubles added in another order).</li>
 *   <li>CLIP_ADAM: exact, given the same norm: every operation is rounded on its own on both sides, and the
 *       step constants come from the same Adam.nextStep.</li>
 * </ul>
 */
class OptimKernelsTest {
    /** Parameter counts of the seed model at V = 3,168 and 75,262, and odd sizes. */
    static int seedModelSize(int songs) { return new Parameters(ModelConfig.seed(songs)).size(); }

    /** The production launch (NORM_BLOCKS partials) at the seed model's sizes, run twice over the same buffers. */
    @ParameterizedTest
    @ValueSource(ints = {3168, 75262})
    void twoPassNormAtTheSeedModelSizes(int songs) {
        int n = seedModelSize(songs);
        double first = twoPassNorm(n, Launch.sumSquaresPartial());
        assertEquals(first, twoPassNorm(n, Launch.sumSquaresPartial()), "nothing to zero between steps, same bits");
    }

    /** Odd sizes, with fewer and smaller blocks than production (the kernel allows any). */
    @ParameterizedTest
    @CsvSource({"1, 1, 32", "33, 5, 64", "1000003, 7, 96"})
    void twoPassNormAtOddSizes(int n, int blocks, int block) {
        twoPassNorm(n, new Launch(KernelCatalog.SUM_SQUARES_PARTIAL, blocks, block, 0));
    }

    /** Checks the two passes against GradientClipping.norm and returns the sum of squares. */
    private static double twoPassNorm(int n, Launch partial) {
        HostKernels host = HostKernels.require();
        float[] g = KernelTestData.uniform(new SplittableRandom(n), n, 0.01);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment partials = doubles(arena, partial.grid()), sum = doubles(arena, 1);
            host.launch(partial, floats(arena, g), partials, n);
            host.launch(Launch.singleBlock(KernelCatalog.SUM_SQUARES_FINAL), partials, sum, partial.grid());
            double norm = GradientClipping.norm(g), squares = doubles(sum)[0];
            assertEquals(norm, Math.sqrt(squares), 1e-12 * norm);
            return squares;
        }
    }

    /** Three steps at the seed model's size, the gradient norm above the clip (clipped), below, above. */
    @Test
    void clippedAdamEqualsTheCpuAtTheSeedModelSize() { clippedAdamSteps(seedModelSize(3168), 3); }

    @Test
    void clippedAdamEqualsTheCpuAtLargeVocabulary() { clippedAdamSteps(seedModelSize(75262), 1); }

    @Test
    void clippedAdamEqualsTheCpuAtOddSizes() {
        clippedAdamSteps(1, 2);
        clippedAdamSteps(1013, 3);
    }

    private static void clippedAdamSteps(int n, int steps) {
        HostKernels host = HostKernels.require();
        SplittableRandom rnd = new SplittableRandom(n);
        float lr = 2e-3f, maxNorm = 5f;
        Adam cpu = new Adam(n, lr, 0.9f, 0.999f, 1e-8f), gpu = new Adam(n, lr, 0.9f, 0.999f, 1e-8f);
        float[] p = KernelTestData.uniform(rnd, n, 0.5);
        // Moments as after some training: m of either sign, v positive.
        float[] m = KernelTestData.uniform(rnd, n, 0.01), v = KernelTestData.uniform(rnd, n, 1e-4);
        for (int i = 0; i < n; i++) v[i] = Math.abs(v[i]);
        cpu.setState(new Adam.State(m.clone(), v.clone(), 7));
        gpu.setState(new Adam.State(m.clone(), v.clone(), 7));
        GradientClipping clipping = new GradientClipping(maxNorm);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ps = floats(arena, p), ms = floats(arena, m), vs = floats(arena, v), sum = doubles(arena, 1);
            for (int step = 0; step < steps; step++) {
                float[] g = KernelTestData.uniform(rnd, n, step % 2 == 0 ? 50.0 / Math.sqrt(n) : 0.5 / Math.sqrt(n));
                double norm = GradientClipping.norm(g);
                sum.set(java.lang.foreign.ValueLayout.JAVA_DOUBLE, 0, norm * norm); // sqrt(norm^2) == norm in IEEE double
                Adam.StepConstants k = gpu.nextStep();
                host.launch(Launch.gridStride(KernelCatalog.CLIP_ADAM, n), ps, floats(arena, g), ms, vs, sum, maxNorm, k.alpha(),
                        gpu.beta1(), gpu.beta2(), k.eps(), n);
                clipping.clip(g);
                cpu.update(p, g);
                assertArrayEquals(p, floats(ps), "parameters after step " + step);
                assertArrayEquals(cpu.state().m(), floats(ms), "m after step " + step);
                assertArrayEquals(cpu.state().v(), floats(vs), "v after step " + step);
            }
        }
    }

    /**
     * SPARSE_ADAM against Adam.updateRows, exact for the same norm: an embedding's rows ([V, E], rows layout), the
     * output weights' columns ([H, V], columns layout; the seed model's candidates at V = 75,262) and the bias's (width
     * 1); the clip active (norm above the threshold) and not; odd sizes and launches. Untouched parameters and
     * moments stay as they were.
     */
    @ParameterizedTest
    @CsvSource({"75262, 100, 4048, true, 50.0", "75262, 100, 4048, false, 0.5", "3168, 100, 1500, false, 50.0", "75262, 1, 4048, true, 50.0",
            "7, 3, 1, false, 50.0", "1000, 37, 999, true, 0.5"})
    void sparseAdamEqualsUpdateRows(int songs, int width, int count, boolean columns, double gradientScale) {
        HostKernels host = HostKernels.require();
        SplittableRandom rnd = new SplittableRandom(songs * 31L + width + count);
        int size = songs * width;
        float[] p = KernelTestData.uniform(rnd, size, 0.5), m = KernelTestData.uniform(rnd, size, 0.01), v = KernelTestData.uniform(rnd, size, 1e-4);
        for (int i = 0; i < size; i++) v[i] = Math.abs(v[i]);
        int[] index = new int[count];
        java.util.BitSet chosen = new java.util.BitSet();
        while (chosen.cardinality() < count) chosen.set(rnd.nextInt(songs));
        for (int j = 0, s = chosen.nextSetBit(0); j < count; j++, s = chosen.nextSetBit(s + 1)) index[j] = s;
        float[] g = KernelTestData.uniform(rnd, count * width, gradientScale / Math.sqrt(count * width));
        io.nexttrack.optim.SparseGradient sg = new io.nexttrack.optim.SparseGradient(0, 0, java.util.List.of(columns
                ? io.nexttrack.optim.SparseGradient.Block.columns("w", 0, width, songs) : io.nexttrack.optim.SparseGradient.Block.rows("e", 0, width)),
                count * width);
        sg.blocks().get(0).set(index, count);
        sg.arrange();
        System.arraycopy(g, 0, sg.values, 0, g.length);
        float maxNorm = 5f;
        double norm = GradientClipping.norm(g);
        float clip = norm > maxNorm ? (float) (maxNorm / norm) : 1f;
        Adam adam = new Adam(1, 2e-3f, 0.9f, 0.999f, 1e-8f);
        adam.setState(new Adam.State(new float[1], new float[1], 11));
        Adam.StepConstants k = adam.nextStep();
        float[] ep = p.clone(), em = m.clone(), ev = v.clone();
        Adam.updateRows(ep, em, ev, sg.values, sg.blocks().get(0), clip, adam.beta1(), adam.beta2(), k);
        boolean[] listed = new boolean[size];
        for (int j = 0; j < count; j++) for (int c = 0; c < width; c++) listed[(int) sg.blocks().get(0).parameter(j, c)] = true;
        for (int i = 0; i < size; i++) {
            if (!listed[i]) assertTrue(ep[i] == p[i] && em[i] == m[i] && ev[i] == v[i], "an unlisted parameter changed at " + i);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ps = floats(arena, p), ms = floats(arena, m), vs = floats(arena, v), sum = doubles(arena, 1);
            sum.set(java.lang.foreign.ValueLayout.JAVA_DOUBLE, 0, norm * norm);
            Launch launch = count * width > 100_000 ? Launch.gridStride(KernelCatalog.SPARSE_ADAM, (long) count * width)
                    : new Launch(KernelCatalog.SPARSE_ADAM, 3, 96, 0);
            host.launch(launch, ps, floats(arena, g), ms, vs, HostKernels.ints(arena, index), sum, maxNorm, k.alpha(), adam.beta1(),
                    adam.beta2(), k.eps(), count, width, columns ? 1 : width, columns ? songs : 1, columns ? 1 : 0);
            assertArrayEquals(ep, floats(ps), "parameters");
            assertArrayEquals(em, floats(ms), "m");
            assertArrayEquals(ev, floats(vs), "v");
        }
    }
}
