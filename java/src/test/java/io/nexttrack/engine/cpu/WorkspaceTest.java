package io.nexttrack.engine.cpu;

import static org.junit.jupiter.api.Assertions.*;

import io.nexttrack.engine.Workspace;
import io.nexttrack.model.ModelConfig;
import io.nexttrack.model.Parameters;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** The memory estimates are the engine's real allocations, not guesses. */
class WorkspaceTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void theEstimateIsWhatTheConstructorAllocatesPlusTheLazyTransposedWeights() {
        for (float dropout : new float[] {0f, 0.3f}) {
            ModelConfig c = new ModelConfig(5_000, 32, 64, 3, 0.1f, false, dropout);
            Parameters p = new Parameters(c);
            int lanes = 50, steps = 20;
            Workspace estimate = CpuModel.workspace(c, lanes, steps);
            long before = THREADS.getCurrentThreadAllocatedBytes();
            CpuModel engine = new CpuModel(p, lanes, steps, 1);
            long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
            engine.close();
            // On the first training call: the output layer's W^T and each LSTM layer's (scoring never allocates them).
            long lazy = 4L * c.songs() * c.hidden();
            for (int l = 0; l < c.layers(); l++) lazy += 4L * (c.layerInput(l) + c.hidden()) * 4 * c.hidden();
            assertEquals(estimate.bytes() - lazy, allocated, 0.01 * allocated, "dropout " + dropout);
            assertEquals(256L * c.songs(), estimate.largestArray(), "the largest buffer: a logits block of 256 rows");
        }
    }

    /**
     * With the sampled loss: the estimate (EngineFactory.cpuWorkspace with the loss) is what the training engine's
     * constructor allocates (the model with its sampled layer, the compact gradient, the candidates and the sample
     * store) plus the LSTM layers' lazy W^T; the full layer's W^T is never allocated (it only scores).
     */
    @Test
    void theSampledEstimateIsWhatTheSampledEngineAllocates() {
        ModelConfig c = new ModelConfig(60_000, 32, 64, 2, 0.1f, false, 0f);
        Parameters p = new Parameters(c);
        int lanes = 50, steps = 20;
        io.nexttrack.engine.Loss loss = io.nexttrack.engine.Loss.sampled(1000);
        int[] counts = new int[c.songs()];
        java.util.Arrays.fill(counts, 3);
        io.nexttrack.engine.EngineSettings settings = new io.nexttrack.engine.EngineSettings(lanes, steps, 5, 1,
                new io.nexttrack.engine.Sampling(loss.samples(), loss.alpha(), counts));
        io.nexttrack.optim.Adam adam = new io.nexttrack.optim.Adam(p.size());
        Workspace estimate = io.nexttrack.engine.EngineFactory.cpuWorkspace(c, lanes, steps, loss);
        long before = THREADS.getCurrentThreadAllocatedBytes();
        CpuTrainingEngine engine = new CpuTrainingEngine(p, adam, settings, 1);
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        engine.close();
        long lazy = 0;
        for (int l = 0; l < c.layers(); l++) lazy += 4L * (c.layerInput(l) + c.hidden()) * 4 * c.hidden();
        assertEquals(estimate.bytes() - lazy, allocated, 0.01 * allocated);
    }

    @Test
    void shapesPastTheLargestArrayAreRefusedNotOverflowed() {
        ModelConfig c = new ModelConfig(10, 4, 8, 1, 0.1f, false, 0f);
        Parameters p = new Parameters(c);
        assertTrue(CpuModel.workspace(c, 8, 100_000_000).largestArray() > Workspace.MAX_ARRAY);
        var e = assertThrows(IllegalArgumentException.class, () -> new CpuModel(p, 8, 100_000_000, 1));
        assertTrue(e.getMessage().contains("more than one Java array holds"), e.getMessage());
    }
}
