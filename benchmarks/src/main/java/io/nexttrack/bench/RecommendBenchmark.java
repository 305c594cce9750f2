package io.nexttrack.bench;

import io.nexttrack.data.SongCatalog;
import io.nexttrack.data.Vocabulary;
import io.nexttrack.model.ModelConfig;
import io.nexttrack.model.Parameters;
import io.nexttrack.model.TrainedModel;
import io.nexttrack.recommend.Recommender;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * What batching buys the service: 64 histories of 1 to 20 songs (as in benchmarks/serve/recommend.lua)
 * answered in batched Recommender calls of {@code batch} histories, at the seed's shape (V = 3,168,
 * E = H = 100, 2 layers), top 10 with played songs excluded. The score is the time for all 64.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class RecommendBenchmark {
    private static final int SONGS = 3168, HISTORIES = 64;

    @Param({"1", "8", "16", "64"})
    public int batch;

    private Recommender recommender;
    private int[][] histories;

    @Setup
    public void setup() {
        ModelConfig c = ModelConfig.seed(SONGS);
        recommender = new Recommender(new TrainedModel(new Parameters(c).initialise(1), Vocabulary.identity(SONGS),
                SongCatalog.empty(SONGS)));
        SplittableRandom rnd = new SplittableRandom(1);
        histories = new int[HISTORIES][];
        for (int i = 0; i < HISTORIES; i++) histories[i] = rnd.ints(1 + rnd.nextInt(20), 0, SONGS).toArray();
    }

    @Benchmark
    public int all64() {
        int sink = 0;
        for (int from = 0; from < HISTORIES; from += batch) {
            var lists = recommender.recommend(Arrays.copyOfRange(histories, from, Math.min(HISTORIES, from + batch)), 10, true);
            sink += lists.getFirst().getFirst().song();
        }
        return sink;
    }
}
