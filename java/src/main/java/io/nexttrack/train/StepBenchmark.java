package io.nexttrack.train;

import io.nexttrack.data.Batch;
import io.nexttrack.data.Batcher;
import io.nexttrack.data.Dataset;
import io.nexttrack.data.SyntheticPlaylists;
import io.nexttrack.engine.Engine;
import io.nexttrack.engine.EngineFactory;
import io.nexttrack.engine.EngineSettings;
import io.nexttrack.model.ModelConfig;
import io.nexttrack.model.Parameters;
import io.nexttrack.optim.Adam;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Times whole training steps (forward, backward, clipping, Adam) at a given shape on synthetic playlists, as the
 * trainer takes them: {@code nexttrack bench}. A GPU engine's step time includes reading its loss back, so nothing is
 * left queued when the clock stops.
 *
 * @param warmup untimed steps first, so that the JIT has compiled the kernels
 * @param steps  timed steps
 */
public record StepBenchmark(int warmup, int steps) {
    /**
     * One measurement: the layout the steps used, ms per step, scored positions per second, heap and device memory, and
     * whether the steps trained with the sampled loss ({@link TrainingConfig#loss()} at the model's catalogue size).
     */
    public record Result(Batcher.Layout layout, double msPerStep, double tokensPerSecond, long heapMib, long deviceMib, boolean sampled) {}

    /**
     * Times {@link #steps} steps of a model of {@code model}'s shape (its songs: the vocabulary) trained with
     * {@code training}'s batch shape, learning rate, seed and loss, on the engine of {@code engines}, with batches of
     * {@code training.layout()} unless the engine needs its own.
     */
    public Result measure(ModelConfig model, TrainingConfig training, EngineFactory engines) {
        // Yes-like playlists hold ~3 transitions on average: make enough for every timed and warm-up chunk.
        int playlists = Math.max(10_000, (warmup + steps + 2) * training.batch() * training.unroll() / 3);
        Dataset d = SyntheticPlaylists.generate(model.songs(), playlists, training.seed());
        Parameters params = new Parameters(model).initialise(training.seed());
        Adam adam = new Adam(params.size(), (float) training.learningRate(), Adam.DEFAULT_BETA1, Adam.DEFAULT_BETA2, Adam.DEFAULT_EPS);
        Batch batch = new Batch(training.batch(), training.unroll());
        EngineSettings settings = training.engineSettings(d.playlists());
        try (Engine engine = engines.training(params, adam, settings)) {
            Batcher.Layout layout = engine.requiredLayout().orElse(training.layout());
            Batcher.Epoch plan = Batcher.create(layout, d.playlists(), training.batch(), training.unroll()).epoch(training.seed(), 0);
            for (int i = 0; i < warmup; i++) step(engine, plan, batch);
            engine.lastGradientNorm(); // waits for the warm-up steps to finish on an asynchronous engine
            long positions = 0, t0 = System.nanoTime();
            for (int i = 0; i < steps; i++) positions += step(engine, plan, batch);
            engine.lastGradientNorm();
            double seconds = (System.nanoTime() - t0) / 1e9;
            Runtime rt = Runtime.getRuntime();
            return new Result(layout, seconds * 1e3 / steps, positions / seconds, (rt.totalMemory() - rt.freeMemory()) >> 20,
                    engine.devicePeakMib(), settings.sampled());
        }
    }

    /** One step as the trainer takes it: queued, then the previous step's result read (one step in flight on a GPU). */
    private static int step(Engine engine, Batcher.Epoch plan, Batch batch) {
        if (!plan.next(batch)) {
            throw new IllegalStateException("synthetic data too small for the requested steps (layout " + plan.chunks() + " chunks)");
        }
        engine.submit(batch);
        engine.trained(1);
        return batch.positions;
    }

    /** Peak resident memory of this process (Linux), in MiB; -1 where unknown. */
    public static long peakRssMib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("\\D+", "")) >> 10;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: no peak to report
        }
        return -1;
    }
}
