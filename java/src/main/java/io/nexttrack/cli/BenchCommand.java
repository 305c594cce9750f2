package io.nexttrack.cli;

import io.nexttrack.engine.EngineFactory;
import io.nexttrack.train.StepBenchmark;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code nexttrack bench}: times whole training steps ({@link StepBenchmark}) at a given shape on synthetic playlists
 * and prints ms/step, tokens/s and peak memory, one line per vocabulary size, on the engine of {@code --device} and
 * {@code --lstm}, with batches of {@code --layout} (or the layout the engine needs).
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Time training steps (forward+backward+clip+Adam) on synthetic playlists.")
final class BenchCommand implements Callable<Integer> {
    @Mixin ModelOptions options;
    @Mixin ThreadsOption threads;
    @Mixin DeviceOption device;

    @Option(names = "--songs", split = ",", paramLabel = "V,...", description = "Vocabulary sizes to measure (default: 3168,9775,75262).")
    int[] songs = {3168, 9775, 75262};

    @Option(names = "--steps", paramLabel = "N", description = "Timed steps per size (default: ${DEFAULT-VALUE}).")
    int steps = 50;

    @Option(names = "--warmup", paramLabel = "N", description = "Untimed steps first, so the JIT has compiled the kernels (default: ${DEFAULT-VALUE}).")
    int warmup = 15;

    @Mixin ConfigOption config;

    @Override
    public Integer call() {
        EngineFactory engines = device.engines(threads.count(), System.out);
        System.out.printf(Locale.ROOT, "shape: B=%d T=%d E=%d H=%d L=%d, threads=%d%n", options.batch, options.unroll,
                options.embedding, options.hidden, options.layers, threads.count());
        String name = engines.usesGpu() ? "gpu-" + engines.lstm().name().toLowerCase(Locale.ROOT) : "cpu";
        StepBenchmark bench = new StepBenchmark(warmup, steps);
        for (int v : songs) {
            StepBenchmark.Result r = bench.measure(options.model(v, 0f), options.training(null), engines);
            System.out.printf(Locale.ROOT, "%s layout=%s V=%d ms/step=%.2f tokens/s=%.0f peak_rss_mib=%d heap_mib=%d%s loss=%s%n", name,
                    r.layout().name().toLowerCase(Locale.ROOT), v, r.msPerStep(), r.tokensPerSecond(), StepBenchmark.peakRssMib(),
                    r.heapMib(), r.deviceMib() < 0 ? "" : " device_peak_mib=" + r.deviceMib(),
                    r.sampled() ? "sampled" : "full");
        }
        return 0;
    }
}
