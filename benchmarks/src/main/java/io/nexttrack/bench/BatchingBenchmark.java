package io.nexttrack.bench;

import io.nexttrack.data.Batch;
import io.nexttrack.data.Batcher;
import io.nexttrack.data.Playlists;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/** Chunks per second through one epoch of each batch layout (yes_small-like lengths, 25k playlists). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class BatchingBenchmark {
    @Param({"LANES", "BUCKETS"})
    public Batcher.Layout layout;

    private Batcher batcher;
    private Batch batch;
    private int epoch;

    @Setup
    public void setup() {
        SplittableRandom rnd = new SplittableRandom(1);
        int[][] lists = new int[25_000][];
        for (int p = 0; p < lists.length; p++) {
            int n = 2 + (int) Math.min(168, -Math.log(1 - rnd.nextDouble()) * 5); // geometric-like, mean ~7
            lists[p] = rnd.ints(n, 0, 3168).toArray();
        }
        batcher = Batcher.create(layout, Playlists.of(3168, lists), 100, 20);
        batch = new Batch(100, 20);
    }

    /** One full epoch; returns the scored positions so the work cannot be elided. */
    @Benchmark
    public long epoch() {
        Batcher.Epoch e = batcher.epoch(7, epoch++);
        long positions = 0;
        while (e.next(batch)) positions += batch.positions;
        return positions;
    }
}
