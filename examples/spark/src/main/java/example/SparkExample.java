package example;

import io.nexttrack.NextTrack;
import io.nexttrack.data.Dataset;
import io.nexttrack.data.PlaylistReader;
import io.nexttrack.data.Split;
import io.nexttrack.engine.EngineFactory;
import io.nexttrack.eval.EvaluationReport;
import io.nexttrack.eval.Evaluator;
import io.nexttrack.eval.HybridModel;
import io.nexttrack.model.ModelConfig;
import io.nexttrack.model.TrainedModel;
import io.nexttrack.spark.EvaluateAll;
import io.nexttrack.spark.RecommendAll;
import io.nexttrack.spark.Sessionize;
import io.nexttrack.spark.SyntheticEvents;
import io.nexttrack.train.TrainingConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;

/**
 * A listening log to sessions, a model, next songs for every listener and an evaluation, on Spark: run by the build in
 * local mode ({@code -Dspark.master=local[2]}), or on a cluster with spark-submit (docs/spark.md). Each step checks its
 * result; a failed check exits with 1, which fails the build that runs it.
 *
 * <p>Argument: a work folder, in which each run makes its own {@code run-DATE} folder (on a cluster a shared path such as {@code hdfs:///user/me/nexttrack}, except
 * for the model file, which this example trains and writes on the driver's local disk).
 */
public final class SparkExample {
    public static void main(String[] args) throws Exception {
        // A fresh folder for this run inside the one given, so that a second run writes beside the first (the jobs refuse
        // to overwrite output).
        Path work = Files.createDirectories(Path.of(args.length > 0 ? args[0] : "spark-example"))
                .resolve("run-" + java.time.LocalDateTime.now().toString().replace(':', '-'));
        Files.createDirectories(work);
        SparkSession spark = SparkSession.builder().appName("nexttrack-spark-example")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4").getOrCreate();

        // 1. A listening log: 30,000 plays by 300 listeners of 300 tracks (made up), as CSV with a header.
        Path log = work.resolve("events.csv");
        SyntheticEvents.write(log, 30_000, 300, 300, 1, false);
        var events = spark.read().option("header", true).option("escape", "\"").csv(log.toString());

        // 2. Sessions (a pause over 30 minutes starts a new one; repeats dropped): playlist files, and the store training reads.
        var sessions = Sessionize.sessions(events, Duration.ofMinutes(30), true).cache();
        String playlists = work.resolve("playlists").toString();
        Sessionize.writePlaylists(sessions, playlists);
        Path store = work.resolve("sessions.nts");
        Sessionize.Summary s = Sessionize.writeStore(sessions, store);
        System.out.printf("sessions: %,d (%,d plays of %,d songs) in %s and %s%n", s.sessions(), s.plays(), s.songs(), playlists, store);
        check(s.sessions() > 1000, "more than 1,000 sessions");

        // 3. A small model on the sessions (in this process: training is not a Spark job), with its hybrid.
        Dataset data = PlaylistReader.read(store);
        Split split = Split.of(data.playlists(), 42);
        ModelConfig shape = ModelConfig.seed(data.songCount()).withEmbedding(16).withHidden(16).withLayers(1);
        TrainedModel model = NextTrack.train(data, split, shape, TrainingConfig.defaults().withEpochs(2).withLearningRate(1e-2),
                EngineFactory.cpu(2));
        Path modelFile = work.resolve("model.nt");
        model.save(modelFile);

        // 4. Next songs for every listener, after their latest session.
        var latest = sessions.withColumn("newest", functions.row_number().over(Window.partitionBy("user").orderBy(functions.desc("session"))))
                .where("newest = 1").select("user", "tracks");
        String recommendations = work.resolve("recommendations").toString();
        RecommendAll.write(latest, "user", "tracks", modelFile, RecommendAll.Options.defaults().withK(5).withExcludeSeen(true), recommendations);
        var written = spark.read().parquet(recommendations);
        long listeners = written.count();
        System.out.printf("recommendations for %,d listeners in %s, e.g.:%n", listeners, recommendations);
        for (Row r : written.orderBy("user").limit(3).collectAsList()) {
            List<Row> recs = r.getList(1);
            System.out.println("  " + r.getString(0) + " -> " + recs.stream().map(x -> x.getString(1)).toList());
        }
        check(listeners == latest.count(), "one row per listener");

        // 5. The test split, evaluated over partitions: the numbers `nexttrack evaluate` prints for it.
        var test = EvaluateAll.rows(spark, split.test(), data.vocabulary(), 4);
        List<EvaluationReport> reports = EvaluateAll.evaluate(test, "songs", modelFile, split.train().songCounts(),
                Evaluator.Protocol.NEXT, false, "test (split seed 42)");
        System.out.print(EvaluationReport.table(reports));
        EvaluationReport single = new Evaluator(Evaluator.Protocol.NEXT, false, split.train().songCounts())
                .evaluate(HybridModel.of(model, 100, 20, EngineFactory.cpu(2)), split.test(), "test (split seed 42)");
        check(reports.get(0).toJson().equals(single.toJson()), "Spark's evaluation equals the single-process one");
        spark.stop();
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            System.err.println("check failed: " + what);
            System.exit(1);
        }
        System.out.println("ok: " + what);
    }
}
