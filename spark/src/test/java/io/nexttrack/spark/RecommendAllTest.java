package io.nexttrack.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexttrack.data.Playlists;
import io.nexttrack.recommend.Recommendation;
import io.nexttrack.recommend.Recommender;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Spark's recommendations for every listener are the core Recommender's, song for song and score for score. */
class RecommendAllTest {
    static SparkSession spark;
    static final Map<Long, int[]> HISTORIES = new HashMap<>();
    static Dataset<Row> histories;

    @BeforeAll
    static void setUp() {
        spark = LocalSpark.session();
        Playlists test = TinyModel.SPLIT.test();
        SplittableRandom r = new SplittableRandom(11);
        List<Row> rows = new ArrayList<>();
        for (long id = 0; id < 240; id++) {
            int[] p = test.playlist(r.nextInt(test.size()));
            // 1 to 90 songs (over the recommender's 64-song chunk), repeats allowed
            int n = 1 + r.nextInt(id % 10 == 0 ? 90 : 12);
            int[] h = new int[n];
            for (int i = 0; i < n; i++) h[i] = i < p.length ? p[i] : r.nextInt(TinyModel.DATA.songCount());
            HISTORIES.put(1000 + id, h);
            String[] names = Arrays.stream(h).mapToObj(s -> TinyModel.DATA.vocabulary().externalId(s)).toArray(String[]::new);
            rows.add(RowFactory.create(1000 + id, names));
        }
        StructType schema = new StructType().add("listener", DataTypes.LongType, false)
                .add("history", DataTypes.createArrayType(DataTypes.StringType, false), false);
        histories = spark.createDataFrame(rows, schema).repartition(3);
    }

    @Test
    void everyListenersListIsTheRecommenders() {
        for (boolean lstmOnly : new boolean[] {false, true}) {
            for (boolean excludeSeen : new boolean[] {false, true}) {
                var o = RecommendAll.Options.defaults().withK(7).withExcludeSeen(excludeSeen).withLstmOnly(lstmOnly).withBatch(32);
                List<Row> out = RecommendAll.recommend(histories, "listener", "history", TinyModel.file(), o).collectAsList();
                assertEquals(HISTORIES.size(), out.size());
                Recommender core = new Recommender(lstmOnly ? TinyModel.MODEL.withHybrid(null) : TinyModel.MODEL);
                for (Row row : out) {
                    List<Recommendation> expected = core.recommend(HISTORIES.get(row.getLong(0)), 7, excludeSeen);
                    List<Row> got = row.getList(1);
                    assertEquals(expected.size(), got.size());
                    for (int i = 0; i < got.size(); i++) {
                        Recommendation e = expected.get(i);
                        Row g = got.get(i);
                        String where = "listener " + row.getLong(0) + " rank " + (i + 1) + " lstmOnly=" + lstmOnly + " excludeSeen=" + excludeSeen;
                        assertEquals(e.rank(), g.getInt(0), where);
                        assertEquals(e.externalId(), g.getString(1), where);
                        assertEquals(e.title(), g.getString(2), where);
                        assertEquals(e.score(), g.getFloat(4), where); // the same float, not a close one
                    }
                }
            }
        }
    }

    @Test
    void theModelIsReadOncePerJvmNotPerTask() {
        var o = RecommendAll.Options.defaults();
        RecommendAll.recommend(histories, "listener", "history", TinyModel.file(), o).count();
        int loaded = ModelShipping.loadedModels();
        RecommendAll.recommend(histories, "listener", "history", TinyModel.file(), o.withK(3)).count();
        assertEquals(loaded, ModelShipping.loadedModels(), "the same model file is not read again");
        assertTrue(loaded >= 1);
    }
}
