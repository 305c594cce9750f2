package io.nexttrack.engine.gpu;

import static org.junit.jupiter.api.Assertions.*;

import io.nexttrack.NextTrack;
import io.nexttrack.data.Batcher;
import io.nexttrack.data.Dataset;
import io.nexttrack.data.Split;
import io.nexttrack.data.SyntheticPlaylists;
import io.nexttrack.engine.Device;
import io.nexttrack.engine.EngineFactory;
import io.nexttrack.engine.Lstm;
import io.nexttrack.eval.EvaluationReport;
import io.nexttrack.eval.Evaluator;
import io.nexttrack.model.Checkpoint;
import io.nexttrack.model.ModelConfig;
import io.nexttrack.model.Parameters;
import io.nexttrack.model.TrainedModel;
import io.nexttrack.recommend.Recommendation;
import io.nexttrack.recommend.Recommender;
import io.nexttrack.train.Trainer;
import io.nexttrack.train.TrainingConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The GPU engine with the rest of the program: a checkpoint trained on the GPU scored and resumed on the CPU
 * (and back), GPU evaluation (both protocols) and recommendations against the CPU's, and running out of device memory.
 * Tolerances: NLL 1e-5 relative; ranking metrics 2e-3 absolute (a near-tie may rank differently); recommended
 * songs identical, their log-probabilities within 1e-4.
 */
@Tag("gpu")
class GpuModelTest {
    @TempDir Path dir;

    static final Dataset DATA = SyntheticPlaylists.generate(400, 4000, 9);
    static final Split SPLIT = Split.of(DATA.playlists(), 42);

    static EngineFactory gpu(Lstm lstm) {
        return new EngineFactory(Device.GPU, lstm, 1, CudaBackend::instance);
    }

    static TrainingConfig config(Batcher.Layout layout, int epochs) {
        return new TrainingConfig(epochs, 32, 10, layout, 3e-3, 1, 0.9, 0.999, 1e-8, 5, 2, 0, 0);
    }

    static TrainedModel fresh() {
        return new TrainedModel(new Parameters(new ModelConfig(400, 32, 48, 2, 0.1f, false, 0f)).initialise(2), DATA.vocabulary(),
                DATA.catalog());
    }

    @ParameterizedTest
    @EnumSource(Lstm.class)
    void gpuCheckpointsScoreAndResumeOnTheCpuAndBack(Lstm lstm) throws Exception {
        GpuRequirement.assumeGpu(lstm);
        Batcher.Layout layout = lstm == Lstm.CUDNN ? Batcher.Layout.BUCKETS : Batcher.Layout.LANES;
        Path file = dir.resolve("gpu.nt");
        try (Trainer t = NextTrack.trainer(fresh(), config(layout, 2), SPLIT, List.of(), gpu(lstm))) {
            t.train();
            t.checkpoint().write(file);
        }
        Checkpoint ck = Checkpoint.read(file);
        TrainedModel model = TrainedModel.decode(ck);
        EvaluationReport onCpu = NextTrack.evaluate(model, SPLIT.test(), EngineFactory.cpu(2));
        EvaluationReport onGpu = NextTrack.evaluate(model, SPLIT.test(), gpu(lstm));
        assertTrue(onCpu.nll().orElseThrow() < Math.log(400) - 0.5, "the GPU-trained model learnt: " + onCpu);
        assertEquals(onCpu.nll().orElseThrow(), onGpu.nll().orElseThrow(), 1e-5 * onCpu.nll().orElseThrow());
        for (int k : new int[] {1, 10, 100}) {
            assertEquals(onCpu.hit(k), onGpu.hit(k), 2e-3, "hit@" + k);
            assertEquals(onCpu.mrr(k), onGpu.mrr(k), 2e-3, "mrr@" + k);
        }
        // The last-song protocol: the output layer at the last positions only (GpuScorer gathers their rows).
        EvaluationReport lastOnCpu = NextTrack.evaluate(model, SPLIT.test(), Evaluator.Protocol.LAST, true, EngineFactory.cpu(2));
        EvaluationReport lastOnGpu = NextTrack.evaluate(model, SPLIT.test(), Evaluator.Protocol.LAST, true, gpu(lstm));
        assertEquals(lastOnCpu.positions(), lastOnGpu.positions());
        assertEquals(lastOnCpu.nll().orElseThrow(), lastOnGpu.nll().orElseThrow(), 1e-5 * lastOnCpu.nll().orElseThrow());
        assertEquals(lastOnCpu.hit(10), lastOnGpu.hit(10), 2e-3, "last-song hit@10");
        // The GPU's checkpoint continues on the CPU, and the CPU's on the GPU.
        try (Trainer t = NextTrack.trainer(model, config(layout, 3), SPLIT, List.of(), EngineFactory.cpu(2))) {
            t.restore(ck);
            t.train();
            assertEquals(3, t.epoch());
            t.checkpoint().write(dir.resolve("cpu.nt"));
        }
        Checkpoint cpuCk = Checkpoint.read(dir.resolve("cpu.nt"));
        try (Trainer t = NextTrack.trainer(TrainedModel.decode(cpuCk), config(layout, 4), SPLIT, List.of(), gpu(lstm))) {
            t.restore(cpuCk);
            t.train();
            assertEquals(4, t.epoch());
            assertTrue(t.history().get(3).trainLoss() < t.history().get(0).trainLoss());
        }
    }

    @ParameterizedTest
    @EnumSource(Lstm.class)
    void gpuRecommendationsAreTheCpus(Lstm lstm) {
        GpuRequirement.assumeGpu(lstm);
        TrainedModel model;
        try (Trainer t = NextTrack.trainer(fresh(), config(Batcher.Layout.LANES, 1), SPLIT, List.of(), EngineFactory.cpu(2))) {
            t.train();
            model = t.bestModel();
        }
        int[][] histories = {{1, 2, 3}, {7}, {10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30,
                31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60,
                61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78}, {399, 0, 399}};
        // One GPU recommender for every call: its scorer (device context, the model's copy) is kept between calls, and
        // a smaller call (one history of 3 songs) runs padded to the kept scorer's shape.
        long before = DeviceBuffer.liveBytes();
        try (Recommender onGpu = new Recommender(model, gpu(lstm))) {
            for (int[][] call : new int[][][] {histories, {histories[0]}}) {
                for (boolean exclude : new boolean[] {false, true}) {
                    List<List<Recommendation>> cpu = new Recommender(model, EngineFactory.cpu(1)).recommend(call, 10, exclude);
                    List<List<Recommendation>> gpu = onGpu.recommend(call, 10, exclude);
                    for (int h = 0; h < call.length; h++) {
                        assertEquals(cpu.get(h).stream().map(Recommendation::song).toList(), gpu.get(h).stream().map(Recommendation::song).toList(),
                                lstm + " history " + h + " of " + call.length + ", exclude " + exclude);
                        for (int r = 0; r < cpu.get(h).size(); r++) assertEquals(cpu.get(h).get(r).score(), gpu.get(h).get(r).score(), 1e-4);
                    }
                    assertTrue(DeviceBuffer.liveBytes() > before, "a GPU scorer kept between calls");
                }
            }
            onGpu.close();
            assertEquals(before, DeviceBuffer.liveBytes(), "closing the recommender frees the kept scorer's device memory");
        }
    }

    /**
     * An engine made on one thread trains on another (the CUDA context is current per thread; the first runtime call
     * of a step binds device 0's primary context there before the first cuLaunchKernel), refuses a batch of another
     * shape, and closes twice harmlessly (a second destroy of its cuBLAS and cuDNN handles would be undefined).
     */
    @ParameterizedTest
    @EnumSource(Lstm.class)
    void anotherThreadTrainsAndASecondCloseDoesNothing(Lstm lstm) throws Exception {
        GpuRequirement.assumeGpu(lstm);
        Batcher.Layout layout = lstm == Lstm.CUDNN ? Batcher.Layout.BUCKETS : Batcher.Layout.LANES;
        TrainingConfig config = config(layout, 1);
        Parameters params = fresh().parameters();
        io.nexttrack.data.Batch batch = new io.nexttrack.data.Batch(config.batch(), config.unroll());
        assertTrue(Batcher.create(layout, SPLIT.train(), config.batch(), config.unroll()).epoch(1, 0).next(batch));
        GpuTrainingEngine engine = new GpuTrainingEngine(params, new io.nexttrack.optim.Adam(params.size()), config.engineSettings(SPLIT.train()), lstm);
        double[] loss = new double[1];
        Throwable[] failure = new Throwable[1];
        Thread other = new Thread(() -> {
            try {
                loss[0] = engine.train(batch);
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        other.start();
        other.join();
        assertNull(failure[0], () -> "training on another thread: " + failure[0]);
        assertTrue(loss[0] > 0 && loss[0] / batch.positions < Math.log(400) + 1, "loss " + loss[0]);
        assertThrows(IllegalArgumentException.class, () -> engine.submit(new io.nexttrack.data.Batch(config.batch() - 1, config.unroll())));
        engine.close();
        engine.close();
        GpuScorer scorer = new GpuScorer(params, 4, 5, lstm);
        scorer.close();
        scorer.close();
    }

    @Test
    void runningOutOfDeviceMemorySaysWhatAndHowMuch() {
        GpuRequirement.assumeGpu();
        try (GpuContext ctx = new GpuContext()) {
            OutOfDeviceMemoryException e = assertThrows(OutOfDeviceMemoryException.class, () -> ctx.floats("a test block", 1L << 48));
            assertTrue(e.getMessage().startsWith("out of GPU memory allocating a test block (1,024.0 TiB; "), e.getMessage());
            assertTrue(e.getMessage().contains(" free of "), e.getMessage());
            assertEquals(1, e.getMessage().lines().count());
        }
    }
}
