package io.nexttrack.bench;

import io.nexttrack.data.Batch;
import io.nexttrack.engine.cpu.CpuTrainingEngine;
import io.nexttrack.model.ModelConfig;
import io.nexttrack.model.Parameters;
import io.nexttrack.optim.Adam;
import io.nexttrack.optim.GradientClipping;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * One whole training step of the seed model (B = 100 lanes, T = 20, E = H = 100, L = 2): forwardBackward
 * + clipping + Adam, on full chunks. Tokens/s = 2000 / (seconds per step).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 10)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
public class TrainingStepBenchmark {
    private static final int LANES = 100, STEPS = 20;

    @Param({"3168", "9775", "75262"})
    public int songs;

    @Param({"2"})
    public int threads;

    private CpuTrainingEngine engine;
    private Batch[] batches;
    private int next;

    @Setup
    public void setup() {
        Parameters params = new Parameters(ModelConfig.seed(songs)).initialise(1);
        engine = new CpuTrainingEngine(params, new Adam(params.size()), GradientClipping.DEFAULT_MAX_NORM, LANES, STEPS,
                threads, 0);
        SplittableRandom rnd = new SplittableRandom(2);
        batches = new Batch[8];
        for (int i = 0; i < batches.length; i++) {
            Batch b = new Batch(LANES, STEPS);
            b.clear();
            for (int t = 0; t < STEPS; t++) {
                for (int lane = 0; lane < LANES; lane++) b.put(t, lane, rnd.nextInt(songs), rnd.nextInt(songs), rnd.nextInt(8) == 0);
            }
            batches[i] = b;
        }
    }

    @TearDown
    public void tearDown() { engine.close(); }

    @Benchmark
    public double step() {
        return engine.train(batches[next++ & 7]);
    }
}
