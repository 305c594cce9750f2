package io.nexttrack.bench;

import io.nexttrack.data.Batch;
import io.nexttrack.engine.Candidates;
import io.nexttrack.engine.Sampling;
import io.nexttrack.engine.cpu.CpuSampledOutputLayer;
import io.nexttrack.engine.cpu.WorkerPool;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * The sampled loss's output layer over 2000 rows (B = 100, T = 20), H = 100: gather the candidates' columns of W
 * [H, V] and their corrected bias, GEMM, fused softmax cross-entropy over the candidates, and the gradients (W's
 * candidate columns, bias, hidden rows). The candidates: the chunk's distinct targets (Zipf-like popularity) and
 * N = 2,048 draws. {@code candidates} measures making the candidate set (host work that both engines do).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx6g"})
public class SampledOutputLayerBenchmark {
    private static final int LANES = 100, STEPS = 20, ROWS = LANES * STEPS, H = 100;

    @Param({"3168", "75262", "2262292"})
    public int songs;

    @Param({"2048"})
    public int samples;

    @Param({"2"})
    public int threads;

    private WorkerPool pool;
    private CpuSampledOutputLayer layer;
    private Candidates candidates;
    private Batch batch;
    private float[] params, grads, hidden, dHidden;
    private long step;

    @Setup
    public void setup() {
        SplittableRandom rnd = new SplittableRandom(1);
        int[] counts = new int[songs];
        for (int s = 0; s < songs; s++) counts[s] = (int) (100_000.0 / (s + 10));
        Sampling sampling = new Sampling(samples, 0.5, counts);
        pool = new WorkerPool(threads);
        layer = new CpuSampledOutputLayer(H, songs, sampling.maxCandidates(ROWS), ROWS);
        candidates = new Candidates(sampling, 1, ROWS);
        batch = new Batch(LANES, STEPS);
        batch.clear();
        for (int b = 0; b < LANES; b++) {
            for (int t = 0; t < STEPS; t++) batch.put(t, b, zipf(rnd), zipf(rnd), t == 0);
        }
        params = new float[H * songs + songs];
        for (int i = 0; i < params.length; i++) params[i] = (float) rnd.nextDouble(-0.1, 0.1);
        grads = new float[H * sampling.maxCandidates(ROWS) + sampling.maxCandidates(ROWS)];
        hidden = new float[ROWS * H];
        dHidden = new float[ROWS * H];
        for (int i = 0; i < hidden.length; i++) hidden[i] = (float) rnd.nextDouble(-1, 1);
        candidates.prepare(batch, 0);
        for (int r = 0; r < ROWS; r++) layer.targets[r] = candidates.targetColumn()[r];
    }

    /** A song with probability about proportional to 1 / (s + 10). */
    private int zipf(SplittableRandom rnd) {
        return (int) Math.min(songs - 1, Math.floor(10 * Math.pow((songs + 10) / 10.0, rnd.nextDouble()) - 10));
    }

    @TearDown
    public void tearDown() { pool.close(); }

    @Benchmark
    public double lossAndGradient() {
        int c = candidates.count();
        java.util.Arrays.fill(grads, 0, H * c + c, 0f);
        return layer.loss(params, 0, H * songs, candidates, hidden, dHidden, layer.targets, ROWS, grads, 0, H * c, 1f / ROWS, pool);
    }

    /** The candidate set of a chunk: targets and the step's draws, sorted and deduplicated, corrections, columns of targets. */
    @Benchmark
    public int candidates() {
        return candidates.prepare(batch, step++ & 1023).count();
    }
}
