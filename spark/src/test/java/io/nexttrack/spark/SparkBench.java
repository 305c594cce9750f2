package io.nexttrack.spark;

import io.nexttrack.data.Dataset;
import io.nexttrack.data.ListeningEvents;
import io.nexttrack.data.PlaylistReader;
import io.nexttrack.data.PlaylistStore;
import io.nexttrack.data.Playlists;
import io.nexttrack.data.Split;
import io.nexttrack.engine.EngineFactory;
import io.nexttrack.eval.Evaluator;
import io.nexttrack.eval.HybridModel;
import io.nexttrack.eval.NextSongModel;
import io.nexttrack.model.TrainedModel;
import io.nexttrack.recommend.Recommender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.StageInfo;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The benchmark of benchmarks/README.md ("nexttrack on Spark"): not a test (surefire runs *Test classes only). Each
 * part times Spark in local mode against the single process doing the same work, and prints Spark's stages (wall
 * time, task time, shuffle write time) so the time can be split. Usage (see benchmarks/README.md for the class path):
 * {@code SparkBench sessionize EVENTS_CSV N_EVENTS | recommend MODEL DATA N_HISTORIES | evaluate MODEL DATA}.
 */
public final class SparkBench {
    public static void main(String[] args) throws Exception {
        SparkSession spark = SparkSession.builder().master("local[2]").appName("nexttrack-bench").config("spark.ui.enabled", "false")
                .config("spark.driver.memory", "3g").getOrCreate();
        spark.sparkContext().addSparkListener(new Stages());
        switch (args[0]) {
            case "sessionize" -> sessionize(spark, Path.of(args[1]), Long.parseLong(args[2]), args.length > 3 && args[3].equals("plain-only"));
            case "recommend" -> recommend(spark, Path.of(args[1]), Path.of(args[2]), Integer.parseInt(args[3]));
            case "evaluate" -> evaluate(spark, Path.of(args[1]), Path.of(args[2]));
            default -> throw new IllegalArgumentException(args[0]);
        }
        spark.stop();
    }

    static void sessionize(SparkSession spark, Path csv, long n, boolean plainOnly) throws Exception {
        if (!Files.exists(csv)) {
            long t = System.nanoTime();
            SyntheticEvents.write(csv, n, (int) Math.max(100, n / 50), 50_000, 1, false);
            say("generated %,d events (%,d bytes) in %.1f s", n, Files.size(csv), secs(t));
        }
        Path dir = csv.resolveSibling("bench-out-" + System.nanoTime());
        Files.createDirectories(dir);
        long t = System.nanoTime();
        PlaylistStore.write(dir.resolve("core.nts"), w -> ListeningEvents.importInto(csv, Duration.ofMinutes(30).toMillis(), false, w));
        say("single process (ListeningEvents.importInto, what data import runs): %.1f s", secs(t));
        var events = spark.read().option("header", true).csv(csv.toString());
        t = System.nanoTime();
        Sessionize.writePlaylists(Sessionize.sessions(events, Duration.ofMinutes(30), false), dir.resolve("plain").toString());
        say("spark sessions -> plain playlist parts: %.1f s", secs(t));
        if (plainOnly) return;
        t = System.nanoTime();
        Sessionize.writeStore(Sessionize.sessions(events, Duration.ofMinutes(30), false), dir.resolve("spark.nts"));
        say("spark sessions -> store on the driver: %.1f s; same bytes as the core's: %s", secs(t),
                java.util.Arrays.equals(Files.readAllBytes(dir.resolve("core.nts")), Files.readAllBytes(dir.resolve("spark.nts"))));
    }

    /** Histories: prefixes (1 to 30 songs) of random playlists of the data. */
    static List<int[]> histories(Playlists p, int n) {
        SplittableRandom r = new SplittableRandom(3);
        List<int[]> out = new ArrayList<>(n);
        while (out.size() < n) {
            int[] s = p.playlist(r.nextInt(p.size()));
            if (s.length == 0) continue;
            out.add(java.util.Arrays.copyOf(s, 1 + r.nextInt(Math.min(30, s.length))));
        }
        return out;
    }

    static void recommend(SparkSession spark, Path modelFile, Path data, int n) throws Exception {
        Dataset d = PlaylistReader.read(data);
        List<int[]> hs = histories(d.playlists(), n);
        long t = System.nanoTime();
        TrainedModel m = TrainedModel.load(modelFile);
        say("model load: %.2f s", secs(t));
        Recommender core = new Recommender(m, EngineFactory.cpu(1));
        t = System.nanoTime();
        singleProcess(core, hs, n);
        say("single process, 2 threads, batches of 256: %,d histories in %.1f s", n, secs(t));
        List<Row> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int[] h = hs.get(i);
            String[] names = new String[h.length];
            for (int j = 0; j < h.length; j++) names[j] = d.vocabulary().externalId(h[j]);
            rows.add(RowFactory.create((long) i, names));
        }
        StructType schema = new StructType().add("id", DataTypes.LongType).add("history", DataTypes.createArrayType(DataTypes.StringType));
        var df = spark.createDataFrame(rows, schema).repartition(8);
        Path out = modelFile.resolveSibling("bench-recs-" + System.nanoTime());
        t = System.nanoTime();
        RecommendAll.write(df, "id", "history", modelFile, RecommendAll.Options.defaults(), out.toString());
        say("spark local[2], 8 partitions, batches of 256, Parquet out: %,d histories in %.1f s", n, secs(t));
        t = System.nanoTime();
        singleProcess(core, hs, n);
        say("single process again (warm): %,d histories in %.1f s", n, secs(t));
    }

    static void evaluate(SparkSession spark, Path modelFile, Path data) throws Exception {
        Dataset d = PlaylistReader.read(data);
        Split split = Split.of(d.playlists(), Split.DEFAULT_SEED);
        TrainedModel m = TrainedModel.load(modelFile);
        int[] counts = split.train().songCounts();
        var rows = EvaluateAll.rows(spark, split.test(), d.vocabulary(), 8).cache();
        rows.count();
        for (int round = 1; round <= 2; round++) { // twice: the first round also warms the JIT
            long t = System.nanoTime();
            for (NextSongModel x : HybridModel.withItsLstm(m, EngineFactory.cpu(2))) {
                new Evaluator(Evaluator.Protocol.NEXT, false, counts).evaluate(x, split.test(), "test");
            }
            say("round %d: single process, 2 threads: %.1f s", round, secs(t));
            t = System.nanoTime();
            var reports = EvaluateAll.evaluate(rows, "songs", modelFile, counts, Evaluator.Protocol.NEXT, false, "test");
            say("round %d: spark local[2], 8 partitions: %.1f s (%,d positions)", round, secs(t), reports.get(0).positions());
        }
    }

    static void singleProcess(Recommender core, List<int[]> hs, int n) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<?>> fs = new ArrayList<>();
        for (int from = 0; from < n; from += 256) {
            int a = from, b = Math.min(n, from + 256);
            fs.add(pool.submit(() -> core.recommend(hs.subList(a, b).toArray(int[][]::new), 10, false)));
        }
        for (Future<?> f : fs) f.get();
        pool.shutdown();
    }

    static double secs(long t0) { return (System.nanoTime() - t0) / 1e9; }

    static void say(String f, Object... a) {
        System.out.println("BENCH " + String.format(Locale.ROOT, f, a));
    }

    /** Every stage: name, wall time, summed task time, shuffle write time. */
    static final class Stages extends SparkListener {
        @Override
        public void onStageCompleted(SparkListenerStageCompleted e) {
            StageInfo s = e.stageInfo();
            long wall = s.completionTime().isDefined() && s.submissionTime().isDefined()
                    ? (Long) s.completionTime().get() - (Long) s.submissionTime().get() : -1;
            var m = s.taskMetrics();
            say("  stage %d %-40s wall %6.1f s, tasks %3d, task time %6.1f s, shuffle write %.1f s (%,d bytes), gc %.1f s", s.stageId(),
                    s.name().length() > 40 ? s.name().substring(0, 40) : s.name(), wall / 1e3, s.numTasks(), m.executorRunTime() / 1e3,
                    m.shuffleWriteMetrics().writeTime() / 1e9, m.shuffleWriteMetrics().bytesWritten(), m.jvmGCTime() / 1e3);
        }
    }
}
