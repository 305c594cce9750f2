package io.nexttrack.bench;

import io.nexttrack.numeric.MatMul;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * The GEMM shapes of one seed-model step (B*T = 2000 rows, E = H = 100), single-threaded; GFLOP/s =
 * 2 * m * n * k / time. Output-layer shapes use a 128-row block of V = 3168 columns.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class MatMulBenchmark {
    private static final int ROWS = 2000, H = 100, GATES = 400, LANES = 100, BLOCK = 128, V = 3168;

    private float[] a, b, c;

    @Setup
    public void setup() {
        SplittableRandom rnd = new SplittableRandom(1);
        a = random(rnd, ROWS * GATES);
        b = random(rnd, Math.max(H * V, ROWS * GATES));
        c = new float[Math.max(ROWS * GATES, H * V)];
    }

    private static float[] random(SplittableRandom rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) rnd.nextDouble(-1, 1);
        return x;
    }

    /** LSTM input projection: [2000, 100] . [100, 400]. */
    @Benchmark
    public float lstmInputProjection() {
        MatMul.mul(a, 0, H, 1, b, 0, GATES, c, 0, GATES, ROWS, 0, GATES, H, false);
        return c[7];
    }

    /** LSTM recurrence, one step: [100, 100] . [100, 400]. */
    @Benchmark
    public float lstmRecurrentStep() {
        MatMul.mul(a, 0, H, 1, b, 0, GATES, c, 0, GATES, LANES, 0, GATES, H, false);
        return c[7];
    }

    /** LSTM backward, one step: dh_prev = dGates [100, 400] . W_h^T, with W_h^T [400, 100] precomputed. */
    @Benchmark
    public float lstmRecurrentGradient() {
        MatMul.mul(a, 0, GATES, 1, b, 0, H, c, 0, H, LANES, 0, H, GATES, false);
        return c[7];
    }

    /** LSTM weight gradient: [x, h]^T [200, 2000] . dGates [2000, 400]. */
    @Benchmark
    public float lstmWeightGradient() {
        MatMul.mul(a, 0, 1, 200, b, 0, GATES, c, 0, GATES, 200, 0, GATES, ROWS, false);
        return c[7];
    }

    /** Output logits block: [128, 100] . [100, 3168]. */
    @Benchmark
    public float outputLogits() {
        MatMul.mul(a, 0, H, 1, b, 0, V, c, 0, V, BLOCK, 0, V, H, false);
        return c[7];
    }

    /** Output weight gradient block: h^T [100, 128] . dLogits [128, 3168]. */
    @Benchmark
    public float outputWeightGradient() {
        MatMul.mul(a, 0, 1, H, b, 0, V, c, 0, V, H, 0, V, BLOCK, true);
        return c[7];
    }

    /** Output hidden gradient block: dLogits [128, 3168] . W^T, with W^T [3168, 100] precomputed. */
    @Benchmark
    public float outputHiddenGradient() {
        MatMul.mul(b, 0, V, 1, a, 0, H, c, 0, H, BLOCK, 0, H, V, false);
        return c[7];
    }

    /** W [100, 3168] -> W^T, once per training step. */
    @Benchmark
    public float outputWeightTranspose() {
        MatMul.transpose(b, 0, H, V, c, 0, H);
        return c[7];
    }
}
