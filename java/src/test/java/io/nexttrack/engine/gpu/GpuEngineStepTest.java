package io.nexttrack.engine.gpu;

import static org.junit.jupiter.api.Assertions.*;

import io.nexttrack.data.Batch;
import io.nexttrack.data.Batcher;
import io.nexttrack.data.Dataset;
import io.nexttrack.data.SyntheticPlaylists;
import io.nexttrack.engine.EngineFactory;
import io.nexttrack.engine.EngineSettings;
import io.nexttrack.engine.Lstm;
import io.nexttrack.engine.cpu.CpuModel;
import io.nexttrack.model.ModelConfig;
import io.nexttrack.model.Parameters;
import io.nexttrack.optim.Adam;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One whole training chunk on the GPU against the CPU engine: the loss, every gradient tensor (embedding, each
 * LSTM layer's weights and bias, output weights and bias) and the carried state, over two consecutive chunks
 * (the second starts from the first one's state). Our LSTM kernels on lanes chunks (resets inside chunks), cuDNN
 * on bucket chunks. H = 37 is not a multiple of 32; B = 16 lanes, T = 7 steps.
 *
 * <p>Tolerances: loss 1e-5 relative; every gradient element within 1e-3 of its tensor's largest CPU magnitude
 * (plus 1e-7); state within 1e-5. Both sides are FP32; the GPU's GEMMs and reductions add in other orders.
 */
@Tag("gpu")
class GpuEngineStepTest {
    static final int B = 16, T = 7;

    /**
     * With dropout, both engines draw the masks of step 0 from seed 3 (the GPU's on the host, with the CPU's class), at
     * every site: each layer's input and the top output (with one layer, the first layer's input is the embedding and
     * its output the top).
     */
    @ParameterizedTest
    @CsvSource({"FUSED, 0, 2", "CUDNN, 0, 2", "FUSED, 0.3, 2", "FUSED, 0.5, 1"})
    void oneStepMatchesTheCpuEngine(Lstm lstm, float dropout, int layers) {
        GpuRequirement.assumeGpu(lstm);
        ModelConfig mc = new ModelConfig(701, 24, 37, layers, 0.1f, false, dropout);
        Parameters params = new Parameters(mc).initialise(5);
        Batcher.Layout layout = lstm == Lstm.CUDNN ? Batcher.Layout.BUCKETS : Batcher.Layout.LANES;
        Dataset d = SyntheticPlaylists.generate(mc.songs(), 3000, 4);
        Batcher.Epoch plan = Batcher.create(layout, d.playlists(), B, T).epoch(3, 0);
        EngineSettings config = new EngineSettings(B, T, 5, 3);
        float[] cpuGrads = new float[params.size()], gpuGrads = new float[params.size()];
        Batch batch = new Batch(B, T);
        try (CpuModel cpu = new CpuModel(params, B, T, 1, config.seed());
             GpuTrainingEngine gpu = new GpuTrainingEngine(params, new Adam(params.size()), config, lstm)) {
            for (int chunk = 0; chunk < 2; chunk++) {
                assertTrue(plan.next(batch));
                cpu.restartDropout(0); // the GPU engine's Adam has taken no step: it restarts its masks at 0 too
                double cpuLoss = cpu.forwardBackward(batch, cpuGrads);
                double gpuLoss = gpu.lossAndGradients(batch, gpuGrads);
                assertEquals(cpuLoss, gpuLoss, 1e-5 * cpuLoss, lstm + " loss of chunk " + chunk);
                for (Parameters.Tensor t : params.tensors()) {
                    double max = 0;
                    for (int i = t.offset(); i < t.offset() + t.size(); i++) max = Math.max(max, Math.abs(cpuGrads[i]));
                    double tolerance = 1e-3 * max + 1e-7;
                    for (int i = t.offset(); i < t.offset() + t.size(); i++) {
                        int at = i;
                        assertEquals(cpuGrads[i], gpuGrads[i], tolerance, () -> lstm + " " + t.name() + " gradient at " + (at - t.offset()));
                    }
                }
                assertArrayEquals(cpu.state(), gpu.state(), 1e-5f, lstm + " carried state after chunk " + chunk);
            }
        }
    }
}
