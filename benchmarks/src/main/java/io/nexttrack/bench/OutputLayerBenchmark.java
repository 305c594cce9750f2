package io.nexttrack.bench;

import io.nexttrack.engine.cpu.CpuOutputLayer;
import io.nexttrack.engine.cpu.WorkerPool;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/** Output projection + fused softmax cross-entropy + its gradient over 2000 rows (B = 100, T = 20), H = 100. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
public class OutputLayerBenchmark {
    private static final int ROWS = 2000, H = 100;

    @Param({"3168", "75262"})
    public int songs;

    @Param({"2"})
    public int threads;

    private WorkerPool pool;
    private CpuOutputLayer layer;
    private float[] params, grads;

    @Setup
    public void setup() {
        SplittableRandom rnd = new SplittableRandom(1);
        pool = new WorkerPool(threads);
        layer = new CpuOutputLayer(H, songs, ROWS);
        params = new float[H * songs + songs];
        for (int i = 0; i < params.length; i++) params[i] = (float) rnd.nextDouble(-0.1, 0.1);
        grads = new float[params.length];
        for (int i = 0; i < ROWS * H; i++) layer.hidden[i] = (float) rnd.nextDouble(-1, 1);
        for (int r = 0; r < ROWS; r++) layer.targets[r] = rnd.nextInt(songs);
    }

    @TearDown
    public void tearDown() { pool.close(); }

    @Benchmark
    public double lossAndGradient() {
        return layer.loss(params, 0, H * songs, ROWS, grads, 0, H * songs, 1f / ROWS, pool);
    }
}
