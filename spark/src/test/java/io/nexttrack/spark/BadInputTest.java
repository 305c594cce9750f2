package io.nexttrack.spark;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexttrack.eval.Evaluator;
import io.nexttrack.model.Checkpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input fails with one message naming the column, the row or the file, and leaves no output behind. */
class BadInputTest {
    static SparkSession spark;
    @TempDir Path dir;

    @BeforeAll
    static void setUp() {
        spark = LocalSpark.session();
    }

    static final StructType EVENTS = new StructType().add("user_id", DataTypes.StringType).add("track", DataTypes.StringType)
            .add("ts", DataTypes.StringType);

    Dataset<Row> events(Object[]... rows) {
        List<Row> list = new ArrayList<>();
        for (Object[] r : rows) list.add(RowFactory.create(r));
        return spark.createDataFrame(list, EVENTS).repartition(2);
    }

    private void assertNothingIn(Path folder) throws IOException {
        try (var s = Files.list(folder)) {
            List<Path> left = s.toList();
            assertTrue(left.isEmpty(), "left behind: " + left);
        }
    }

    @Test
    void aMissingColumnIsNamedBeforeAnythingRuns() {
        Dataset<Row> noTime = events(new Object[] {"u", "a", "1"}).drop("ts");
        var e = assertThrows(SparkInputException.class, () -> Sessionize.sessions(noTime, Duration.ofMinutes(30), false));
        assertTrue(e.getMessage().contains("no timestamp column (columns: user_id, track)"), e.getMessage());
    }

    @Test
    void aNullTrackNamesTheColumnAndTheRow() throws IOException {
        Dataset<Row> in = events(new Object[] {"u1", "a", "1700000000"}, new Object[] {"u1", null, "1700000100"},
                new Object[] {"u2", "b", "1700000000"});
        Path out = dir.resolve("sessions");
        var e = assertThrows(SparkInputException.class,
                () -> Sessionize.writePlaylists(Sessionize.sessions(in, Duration.ofMinutes(30), false), out.toString()));
        assertTrue(e.getMessage().contains("column 'track' (the track) is null in the row (user_id='u1', track=null, ts='1700000100')"),
                e.getMessage());
        assertFalse(Files.exists(out));
        assertNothingIn(dir);
    }

    @Test
    void anUnparseableTimestampNamesTheValueAndTheRow() throws IOException {
        Path csv = dir.resolve("events.csv");
        Files.writeString(csv, "user,track,timestamp\nu1,a,2024-05-01T12:00:00Z\nu1,b,yesterday\nu1,c,2024-05-01T12:03:00Z\n");
        Dataset<Row> in = spark.read().option("header", true).csv(csv.toString());
        Path store = dir.resolve("out.nts");
        var e = assertThrows(SparkInputException.class, () -> Sessionize.writeStore(Sessionize.sessions(in, Duration.ofMinutes(30), false), store));
        assertTrue(e.getMessage().contains("column 'timestamp' (the timestamp) holds 'yesterday' in the row (user='u1', track='b', "
                + "timestamp='yesterday'): neither ISO-8601"), e.getMessage());
        assertFalse(Files.exists(store));
    }

    @Test
    void aCorruptModelFileIsNamedBeforeAnyTaskRuns() throws IOException {
        Path model = dir.resolve("model.nt");
        byte[] good = Files.readAllBytes(TinyModel.file());
        good[good.length / 2] ^= 0x5A; // one flipped byte in the middle
        Files.write(model, good);
        Dataset<Row> histories = spark.createDataFrame(List.of(RowFactory.create(1L, new String[] {"s1"})),
                new StructType().add("id", DataTypes.LongType).add("history", DataTypes.createArrayType(DataTypes.StringType)));
        Path out = dir.resolve("recs");
        var e = assertThrows(Checkpoint.CheckpointException.class,
                () -> RecommendAll.write(histories, "id", "history", model, RecommendAll.Options.defaults(), out.toString()));
        assertTrue(e.getMessage().contains(model.toString()), e.getMessage());
        assertFalse(Files.exists(out));
        var rows = EvaluateAll.rows(spark, TinyModel.SPLIT.test(), TinyModel.DATA.vocabulary(), 2);
        var e2 = assertThrows(Checkpoint.CheckpointException.class, () -> EvaluateAll.evaluate(rows, "songs", model,
                TinyModel.SPLIT.train().songCounts(), Evaluator.Protocol.NEXT, false, "test"));
        assertTrue(e2.getMessage().contains(model.toString()), e2.getMessage());
    }

    @Test
    void anUnknownSongInAHistoryNamesTheRowAndLeavesNoOutput() {
        Dataset<Row> histories = spark.createDataFrame(List.of(RowFactory.create(7L, new String[] {"s1"}),
                        RowFactory.create(8L, new String[] {"s2", "no-such-song"})),
                new StructType().add("id", DataTypes.LongType).add("history", DataTypes.createArrayType(DataTypes.StringType)));
        Path out = dir.resolve("recs");
        var e = assertThrows(SparkInputException.class,
                () -> RecommendAll.write(histories, "id", "history", TinyModel.file(), RecommendAll.Options.defaults(), out.toString()));
        assertTrue(e.getMessage().startsWith("column 'history'[1] in the row id=8: "), e.getMessage());
        assertFalse(Files.exists(out));
    }
}
