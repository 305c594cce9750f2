package io.nexttrack.spark;

import static org.apache.spark.sql.functions.col;

import io.nexttrack.data.SongLookup;
import io.nexttrack.engine.EngineFactory;
import io.nexttrack.model.TrainedModel;
import io.nexttrack.recommend.Recommendation;
import io.nexttrack.recommend.Recommender;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The top k next songs for every listener at once: {@code (id, history)} rows in, {@code (id, recommendations)} rows
 * out, scored by the core's {@link Recommender} (the same scores, the same ranking, the same {@code exclude_seen} as
 * {@code nexttrack recommend} and {@code serve}). Each partition reads the model once per executor
 * ({@link ModelShipping}) and sends its histories through the recommender in batches ({@link Options#batch} at a time:
 * the LSTM reads a batch's histories together, one matrix product per step for all of them).
 *
 * <p>Histories are arrays of songs named as in the data the model was trained on: external ids, or titles
 * ({@code "Grenade"}, {@code "Grenade - Bruno Mars"}), as the CLI and the service take them ({@link SongLookup#resolve}
 * with external ids first). A song the model does not know fails the job, naming the row's id and the song.
 * Recommendations are {@code array<struct<rank, song, title, artist, score>>}: {@code song} the external id, {@code score}
 * the log-probability.
 */
public final class RecommendAll {
    /** One recommended song. */
    public static final StructType RECOMMENDATION = new StructType()
            .add("rank", DataTypes.IntegerType, false)
            .add("song", DataTypes.StringType, false)
            .add("title", DataTypes.StringType, true)
            .add("artist", DataTypes.StringType, true)
            .add("score", DataTypes.FloatType, false);

    private static final ConcurrentHashMap<String, Recommender> RECOMMENDERS = new ConcurrentHashMap<>();

    private RecommendAll() {}

    /**
     * @param k           songs per listener
     * @param excludeSeen leave out songs already in the history, as {@code exclude_seen} in {@code serve}
     * @param lstmOnly    score with the LSTM alone, not the hybrid default (a model without a hybrid is always the LSTM)
     * @param batch       histories scored together (the CLI and the service batch up to 256)
     */
    public record Options(int k, boolean excludeSeen, boolean lstmOnly, int batch) implements Serializable {
        public Options {
            if (k < 1) throw new IllegalArgumentException("k must be at least 1, got " + k);
            if (batch < 1) throw new IllegalArgumentException("batch must be at least 1, got " + batch);
        }

        public static Options defaults() { return new Options(10, false, false, 256); }

        public Options withK(int k) { return new Options(k, excludeSeen, lstmOnly, batch); }

        public Options withExcludeSeen(boolean e) { return new Options(k, e, lstmOnly, batch); }

        public Options withLstmOnly(boolean l) { return new Options(k, excludeSeen, l, batch); }

        public Options withBatch(int b) { return new Options(k, excludeSeen, lstmOnly, b); }
    }

    /**
     * Recommends for every row of {@code histories}; lazy. A bad row fails the job when it runs, as a
     * {@link SparkInputException} once unwrapped ({@link #write} does that; {@code Jobs}-free callers see Spark's
     * wrapper with it as the cause).
     *
     * @param idColumn      any type: copied to the output as it is
     * @param historyColumn {@code array<string>}
     */
    public static Dataset<Row> recommend(Dataset<Row> histories, String idColumn, String historyColumn, Path modelFile, Options o) {
        StructType in = histories.schema();
        for (String c : List.of(idColumn, historyColumn)) {
            if (!List.of(in.fieldNames()).contains(c)) {
                throw new SparkInputException("the histories have no column '" + c + "' (columns: " + String.join(", ", in.fieldNames()) + ")");
            }
        }
        DataType h = in.apply(historyColumn).dataType();
        if (!(h instanceof ArrayType a) || !a.elementType().equals(DataTypes.StringType)) {
            throw new SparkInputException("column '" + historyColumn + "' has type " + h.simpleString()
                    + "; expected array<string> (songs by external id or title)");
        }
        ModelShipping model = ModelShipping.ship(histories.sparkSession(), modelFile); // a bad model file fails here
        int songs = model.model().config().songs();
        if (o.k() > songs) throw new IllegalArgumentException("k = " + o.k() + " is more than the model's " + songs + " songs");
        StructField id = in.apply(idColumn);
        StructType out = new StructType()
                .add(id.name(), id.dataType(), id.nullable())
                .add("recommendations", DataTypes.createArrayType(RECOMMENDATION, false), false);
        return histories.select(col(Columns.quoted(idColumn)), col(Columns.quoted(historyColumn)))
                .mapPartitions(new Score(model, o, idColumn, historyColumn), Encoders.row(out));
    }

    /** Recommends and writes the result as Parquet into {@code out}, committed by rename (a failure leaves no {@code out}). */
    public static void write(Dataset<Row> histories, String idColumn, String historyColumn, Path modelFile, Options o, String out) {
        Dataset<Row> r = recommend(histories, idColumn, historyColumn, modelFile, o);
        Jobs.commit(histories.sparkSession(), out, tmp -> r.write().parquet(tmp));
    }

    /** The model's recommender for this JVM: one per model and variant, shared by the tasks (it is thread-safe). */
    static Recommender recommender(ModelShipping shipped, boolean lstmOnly) {
        return RECOMMENDERS.computeIfAbsent(shipped.name() + (lstmOnly ? "#lstm" : ""), n -> {
            TrainedModel m = shipped.model();
            return new Recommender(lstmOnly ? m.withHybrid(null) : m, EngineFactory.cpu(1));
        });
    }

    /** A partition's rows, scored a batch at a time as they are pulled. */
    private record Score(ModelShipping model, Options o, String idColumn, String historyColumn)
            implements MapPartitionsFunction<Row, Row> {
        @Override
        public Iterator<Row> call(Iterator<Row> rows) {
            Recommender r = recommender(model, o.lstmOnly());
            SongLookup songs = r.songs();
            return new Iterator<>() {
                private final List<Row> ready = new ArrayList<>();
                private int at;

                @Override
                public boolean hasNext() {
                    if (at < ready.size()) return true;
                    ready.clear();
                    at = 0;
                    List<Object> ids = new ArrayList<>();
                    List<int[]> histories = new ArrayList<>();
                    while (histories.size() < o.batch() && rows.hasNext()) {
                        Row row = rows.next();
                        ids.add(row.get(0));
                        histories.add(history(row, songs));
                    }
                    if (histories.isEmpty()) return false;
                    List<List<Recommendation>> lists = r.recommend(histories.toArray(int[][]::new), o.k(), o.excludeSeen());
                    for (int i = 0; i < lists.size(); i++) {
                        List<Recommendation> list = lists.get(i);
                        Row[] recs = new Row[list.size()];
                        for (int j = 0; j < recs.length; j++) {
                            Recommendation x = list.get(j);
                            recs[j] = RowFactory.create(x.rank(), x.externalId(), x.title(), x.artist(), x.score());
                        }
                        ready.add(RowFactory.create(ids.get(i), recs));
                    }
                    return true;
                }

                @Override
                public Row next() {
                    if (!hasNext()) throw new NoSuchElementException();
                    return ready.get(at++);
                }
            };
        }

        private int[] history(Row row, SongLookup songs) {
            if (row.isNullAt(1)) throw new SparkInputException("column '" + historyColumn + "' is null in the row " + idColumn + "=" + row.get(0));
            List<String> names = row.getList(1);
            if (names.isEmpty()) throw new SparkInputException("column '" + historyColumn + "' is empty in the row " + idColumn + "=" + row.get(0)
                    + ": a history needs at least one song");
            int[] ids = new int[names.size()];
            for (int i = 0; i < ids.length; i++) {
                String name = names.get(i);
                if (name == null) {
                    throw new SparkInputException("column '" + historyColumn + "'[" + i + "] is null in the row " + idColumn + "=" + row.get(0));
                }
                try {
                    ids[i] = songs.resolve(name, SongLookup.Ids.EXTERNAL).id();
                } catch (SongLookup.NotFound e) {
                    throw new SparkInputException("column '" + historyColumn + "'[" + i + "] in the row " + idColumn + "=" + row.get(0)
                            + ": " + e.getMessage());
                }
            }
            return ids;
        }
    }
}
