package io.nexttrack.cli;

import io.nexttrack.data.Batch;
import io.nexttrack.data.Batcher;
import io.nexttrack.data.Dataset;
import io.nexttrack.data.SyntheticPlaylists;
import io.nexttrack.engine.Engine;
import io.nexttrack.engine.EngineFactory;
import io.nexttrack.engine.EngineSettings;
import io.nexttrack.model.Parameters;
import io.nexttrack.optim.Adam;
import io.nexttrack.train.TrainingConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code nexttrack bench}: times whole training steps (forward, backward, clipping, Adam) at a given shape on
 * synthetic playlists and prints ms/step, tokens/s and peak memory, one line per vocabulary size, on the engine
 * of {@code --device} and {@code --lstm}, with batches of {@code --layout} (or the layout the engine needs).
 * A GPU engine's step time includes reading its loss back, so nothing is left queued when the clock stops.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Time training steps (forward+backward+clip+Adam) on synthetic playlists.")
final class BenchCommand implements Callable<Integer> {
    @Mixin ModelOptions options;
    @Mixin DeviceOption device;

    @Option(names = "--songs", split = ",", paramLabel = "V,...", description = "Vocabulary sizes to measure (default: 3168,9775,75262).")
    int[] songs = {3168, 9775, 75262};

    @Option(names = "--steps", paramLabel = "N", description = "Timed steps per size (default: ${DEFAULT-VALUE}).")
    int steps = 50;

    @Option(names = "--warmup", paramLabel = "N", description = "Untimed steps first, so the JIT has compiled the kernels (default: ${DEFAULT-VALUE}).")
    int warmup = 15;

    @Mixin ConfigOption config;

    @Override
    public Integer call() throws IOException {
        EngineFactory engines = device.engines(options.threads(), System.out);
        System.out.printf(Locale.ROOT, "shape: B=%d T=%d E=%d H=%d L=%d, threads=%d%n", options.batch, options.unroll,
                options.embedding, options.hidden, options.layers, options.threads());
        String name = engines.usesGpu() ? "gpu-" + engines.lstm().name().toLowerCase(Locale.ROOT) : "cpu";
        for (int v : songs) {
            Result r = measure(v, engines);
            System.out.printf(Locale.ROOT, "%s layout=%s V=%d ms/step=%.2f tokens/s=%.0f peak_rss_mib=%d heap_mib=%d%s loss=%s%n", name,
                    r.layout.name().toLowerCase(Locale.ROOT), v, r.msPerStep, r.tokensPerSecond, peakRssMib(), r.heapMib,
                    r.deviceMib < 0 ? "" : " device_peak_mib=" + r.deviceMib, r.sampled ? "sampled" : "full");
        }
        return 0;
    }

    record Result(Batcher.Layout layout, double msPerStep, double tokensPerSecond, long heapMib, long deviceMib, boolean sampled) {}

    Result measure(int v, EngineFactory engines) {
        // Yes-like playlists hold ~3 transitions on average: make enough for every timed and warm-up chunk.
        int playlists = Math.max(10_000, (warmup + steps + 2) * options.batch * options.unroll / 3);
        Dataset d = SyntheticPlaylists.generate(v, playlists, options.seed);
        Parameters params = new Parameters(options.model(v)).initialise(options.seed);
        Adam adam = new Adam(params.size(), (float) options.learningRate, Adam.DEFAULT_BETA1, Adam.DEFAULT_BETA2, Adam.DEFAULT_EPS);
        Batch batch = new Batch(options.batch, options.unroll);
        TrainingConfig training = options.training(null);
        EngineSettings settings = training.engineSettings(d.playlists());
        try (Engine engine = engines.training(params, adam, settings)) {
            Batcher.Layout layout = engine.requiredLayout().orElse(options.layout);
            Batcher.Epoch plan = Batcher.create(layout, d.playlists(), options.batch, options.unroll).epoch(options.seed, 0);
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
    static long peakRssMib() {
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
