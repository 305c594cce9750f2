package io.nexttrack.bench;

import io.nexttrack.engine.cpu.WorkerPool;
import io.nexttrack.optim.Adam;
import io.nexttrack.optim.GradientClipping;
import io.nexttrack.optim.SparseGradient;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * One step of lazy Adam (with the global-norm clip over the compact gradient) for the seed model (E = H = 100, two
 * layers) with the sampled loss: the LSTM dense (160,800 weights), the embedding rows of 1,500 distinct input songs,
 * and the output weights' and bias's columns of 4,000 candidates, at V songs, on one thread and on two (as the CPU
 * engine runs it); against one step of dense Adam over
 * every parameter ({@code dense}), what the full softmax does (and what the sampled loss would cost without lazy
 * updates).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx12g"})
public class SparseAdamBenchmark {
    private static final int E = 100, H = 100, LSTM = 2 * (200 * 400 + 400), INPUTS = 1500, CANDIDATES = 4000;

    @Param({"3168", "75262", "2262292"})
    public int songs;

    private float[] params, dense;
    private Adam adam;
    private SparseGradient gradient;
    private GradientClipping clipping;
    private final WorkerPool pool = new WorkerPool(2);

    @Setup
    public void setup() {
        SplittableRandom rnd = new SplittableRandom(2);
        int size = songs * E + LSTM + H * songs + songs;
        params = new float[size];
        for (int i = 0; i < size; i++) params[i] = (float) rnd.nextDouble(-0.1, 0.1);
        adam = new Adam(size);
        clipping = new GradientClipping();
        int w = songs * E + LSTM;
        gradient = new SparseGradient(songs * E, LSTM, List.of(SparseGradient.Block.rows("embedding", 0, E),
                SparseGradient.Block.columns("output.weight", w, H, songs), SparseGradient.Block.columns("output.bias", w + H * songs, 1, songs)),
                LSTM + INPUTS * E + CANDIDATES * (H + 1));
        int[] inputs = distinct(rnd, Math.min(INPUTS, songs)), columns = distinct(rnd, Math.min(CANDIDATES, songs));
        gradient.blocks().get(0).set(inputs, inputs.length);
        gradient.blocks().get(1).set(columns, columns.length);
        gradient.blocks().get(2).set(columns, columns.length);
        gradient.arrange();
        for (int i = 0; i < gradient.used(); i++) gradient.values[i] = (float) rnd.nextDouble(-1e-3, 1e-3);
        dense = new float[size];
        for (int i = 0; i < size; i += 7) dense[i] = (float) rnd.nextDouble(-1e-3, 1e-3);
    }

    private int[] distinct(SplittableRandom rnd, int n) {
        BitSet set = new BitSet(songs);
        while (set.cardinality() < n) set.set(rnd.nextInt(songs));
        return set.stream().toArray();
    }

    @Benchmark
    public double lazy() {
        double norm = clipping.clip(gradient);
        adam.update(params, gradient);
        return norm;
    }

    /** As the CPU engine runs it: the clip, then the step's shares on two threads. */
    @Benchmark
    public double lazyTwoThreads() {
        double norm = clipping.clip(gradient);
        Adam.StepConstants k = adam.nextStep();
        pool.run((part, parts) -> adam.updatePart(params, gradient, k, part, parts));
        return norm;
    }

    @TearDown
    public void tearDown() { pool.close(); }

    @Benchmark
    public double dense() {
        double norm = clipping.clip(dense);
        adam.update(params, dense);
        return norm;
    }

}
