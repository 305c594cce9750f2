package io.nexttrack.engine.gpu;

import static io.nexttrack.engine.gpu.HostKernels.doubles;
import static io.nexttrack.engine.gpu.HostKernels.floats;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
