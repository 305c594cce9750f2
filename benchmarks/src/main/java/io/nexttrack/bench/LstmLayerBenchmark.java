package io.nexttrack.bench;

import io.nexttrack.data.Batch;
import io.nexttrack.engine.cpu.CpuLstmLayer;
import io.nexttrack.engine.cpu.WorkerPool;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/** One LSTM layer forward + backward through a full chunk at B = 100, T = 20, E = H = 100. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class LstmLayerBenchmark {
    private static final int LANES = 100, STEPS = 20, H = 100;

    @Param({"1", "2"})
    public int threads;

    private WorkerPool pool;
    private CpuLstmLayer layer;
    private Batch batch;
    private float[] params, grads, dOut;

    @Setup
    public void setup() {
        SplittableRandom rnd = new SplittableRandom(1);
        pool = new WorkerPool(threads);
        layer = new CpuLstmLayer(H, H, LANES, STEPS);
        params = new float[(2 * H) * 4 * H + 4 * H];
        for (int i = 0; i < params.length; i++) params[i] = (float) rnd.nextDouble(-0.1, 0.1);
        grads = new float[params.length];
        dOut = new float[LANES * STEPS * H];
        for (int i = 0; i < dOut.length; i++) dOut[i] = (float) rnd.nextDouble(-0.01, 0.01);
        for (int pos = 0; pos < LANES * STEPS; pos++) {
            for (int j = 0; j < H; j++) layer.xh[pos * layer.width + j] = (float) rnd.nextDouble(-1, 1);
        }
        batch = new Batch(LANES, STEPS);
        batch.clear();
        for (int t = 0; t < STEPS; t++) for (int b = 0; b < LANES; b++) batch.put(t, b, 1, 2, t == 0);
    }

    @TearDown
    public void tearDown() { pool.close(); }

    @Benchmark
    public float forwardBackward() {
        int bOff = 2 * H * 4 * H;
        layer.forward(params, 0, bOff, batch, pool);
        layer.backward(params, 0, grads, 0, bOff, dOut, true, batch, pool);
        return grads[3];
    }
}
