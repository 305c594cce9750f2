package io.nexttrack.spark;

import static org.apache.spark.sql.functions.col;

import io.nexttrack.data.Playlists;
import io.nexttrack.data.Vocabulary;
import io.nexttrack.engine.EngineFactory;
import io.nexttrack.eval.EvaluationReport;
import io.nexttrack.eval.Evaluator;
import io.nexttrack.eval.HybridModel;
import io.nexttrack.eval.NextSongModel;
import io.nexttrack.model.TrainedModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalInt;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code nexttrack evaluate} over partitions: every partition of the test playlists is scored by the core's
 * {@link Evaluator} (full ranking, pessimistic ties, the same models: the hybrid default and its LSTM alone), which
 * returns sums and counts ({@link Evaluator.Tally}: a histogram of ranks, the exact sum of NLLs, per-song counts of the
 * recommended lists); the driver merges them and makes the report. The merge is exact, so the numbers are the CLI's to
 * the last bit, whatever the partitioning ({@code EvaluateAllTest}).
 */
public final class EvaluateAll {
    private EvaluateAll() {}

    /** The core's playlists as rows of {@code songs: array<string>} (external ids), in {@code slices} partitions. */
    public static Dataset<Row> rows(SparkSession spark, Playlists playlists, Vocabulary vocabulary, int slices) {
        List<Row> rows = new ArrayList<>(playlists.size());
        for (int p = 0; p < playlists.size(); p++) {
            int[] songs = playlists.playlist(p);
            String[] ids = new String[songs.length];
            for (int i = 0; i < songs.length; i++) ids[i] = vocabulary.externalId(songs[i]);
            rows.add(RowFactory.create((Object) ids));
        }
        StructType schema = new StructType().add("songs", DataTypes.createArrayType(DataTypes.StringType, false), false);
        return spark.createDataFrame(rows, schema).repartition(slices);
    }

    /**
     * Evaluates the model file on the playlists of {@code songsColumn} ({@code array<string>} of external ids, one row per
     * playlist): one report per model the CLI reports (the hybrid default, then its LSTM alone; or the LSTM).
     *
     * @param trainCounts occurrences of each song in the training split (for coverage, popularity and novelty)
     * @param split       what the report calls the playlists, e.g. "test (split seed 42)"
     */
    public static List<EvaluationReport> evaluate(Dataset<Row> playlists, String songsColumn, Path modelFile, int[] trainCounts,
                                                  Evaluator.Protocol protocol, boolean excludeSeen, String split) {
        long start = System.nanoTime();
        StructType in = playlists.schema();
        if (!List.of(in.fieldNames()).contains(songsColumn)) {
            throw new SparkInputException("the playlists have no column '" + songsColumn + "' (columns: " + String.join(", ", in.fieldNames()) + ")");
        }
        DataType t = in.apply(songsColumn).dataType();
        if (!(t instanceof ArrayType a) || !a.elementType().equals(DataTypes.StringType)) {
            throw new SparkInputException("column '" + songsColumn + "' has type " + t.simpleString() + "; expected array<string> (external song ids)");
        }
        SparkSession spark = playlists.sparkSession();
        ModelShipping shipped = ModelShipping.ship(spark, modelFile); // a bad model file fails here
        TrainedModel model = shipped.model();
        int songs = model.config().songs();
        if (trainCounts.length != songs) {
            throw new IllegalArgumentException("training counts for " + trainCounts.length + " songs; " + modelFile + " knows " + songs);
        }
        Broadcast<int[]> counts = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(trainCounts);
        Job job = new Job(shipped, counts, protocol, excludeSeen, songsColumn);
        Evaluator evaluator = new Evaluator(protocol, excludeSeen, trainCounts);
        List<NextSongModel> models = HybridModel.withItsLstm(model, EngineFactory.cpu(1)); // for their names
        List<Evaluator.Tally> merged = new ArrayList<>();
        for (NextSongModel m : models) merged.add(evaluator.emptyTally(m.givesProbabilities(), songs));
        // Merged on the executors in a tree (a tally holds two longs per song: the driver gets a few, not one per partition).
        Evaluator.Tally[] parts = Jobs.run(() -> {
            var tallies = playlists.select(col(Columns.quoted(songsColumn))).javaRDD().mapPartitions(job);
            return tallies.isEmpty() ? null : tallies.treeReduce(EvaluateAll::merge, 2);
        });
        if (parts == null) throw new SparkInputException("there are no playlists to evaluate");
        for (int i = 0; i < parts.length; i++) merged.get(i).merge(parts[i]);
        double seconds = (System.nanoTime() - start) / 1e9;
        List<EvaluationReport> reports = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) reports.add(evaluator.report(models.get(i).name(), merged.get(i), split, seconds));
        counts.destroy();
        return reports;
    }

    private static Evaluator.Tally[] merge(Evaluator.Tally[] a, Evaluator.Tally[] b) {
        for (int i = 0; i < a.length; i++) a[i].merge(b[i]);
        return a;
    }

    /** One partition: its playlists, scored by each model: one tally per model (none for an empty partition). */
    private record Job(ModelShipping shipped, Broadcast<int[]> counts, Evaluator.Protocol protocol, boolean excludeSeen,
                       String songsColumn) implements FlatMapFunction<Iterator<Row>, Evaluator.Tally[]> {
        @Override
        public Iterator<Evaluator.Tally[]> call(Iterator<Row> rows) {
            TrainedModel model = shipped.model();
            Vocabulary v = model.vocabulary();
            List<Integer> offsets = new ArrayList<>(List.of(0));
            io.nexttrack.data.IntList songs = new io.nexttrack.data.IntList(1024);
            while (rows.hasNext()) {
                Row row = rows.next();
                if (row.isNullAt(0)) throw new SparkInputException("column '" + songsColumn + "' is null in a row");
                List<String> names = row.getList(0);
                for (int i = 0; i < names.size(); i++) {
                    String name = names.get(i);
                    OptionalInt id = name == null ? OptionalInt.empty() : v.lookup(name);
                    if (id.isEmpty()) {
                        throw new SparkInputException("column '" + songsColumn + "'[" + i + "] holds " + (name == null ? "null" : "'" + name + "'")
                                + ", which is not a song of the model (playlist " + names + ")");
                    }
                    songs.add(id.getAsInt());
                }
                offsets.add(songs.size());
            }
            if (offsets.size() == 1) return List.<Evaluator.Tally[]>of().iterator();
            Playlists playlists = new Playlists(model.config().songs(), offsets.stream().mapToInt(Integer::intValue).toArray(), songs.toArray());
            Evaluator evaluator = new Evaluator(protocol, excludeSeen, counts.value());
            List<NextSongModel> models = HybridModel.withItsLstm(model, EngineFactory.cpu(1));
            Evaluator.Tally[] out = new Evaluator.Tally[models.size()];
            for (int m = 0; m < out.length; m++) out[m] = evaluator.tally(models.get(m), playlists);
            return List.<Evaluator.Tally[]>of(out).iterator();
        }
    }
}
