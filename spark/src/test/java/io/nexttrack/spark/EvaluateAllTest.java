package io.nexttrack.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nexttrack.engine.EngineFactory;
import io.nexttrack.eval.EvaluationReport;
import io.nexttrack.eval.Evaluator;
import io.nexttrack.eval.HybridModel;
import io.nexttrack.eval.NextSongModel;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Spark's evaluation over partitions gives the CLI's numbers to the last bit (the JSON of every report is the same). */
class EvaluateAllTest {
    static SparkSession spark;

    @BeforeAll
    static void setUp() {
        spark = LocalSpark.session();
    }

    @Test
    void theReportsAreTheCoreEvaluatorsExactly() {
        int[] counts = TinyModel.SPLIT.train().songCounts();
        var test = TinyModel.SPLIT.test();
        var rows = EvaluateAll.rows(spark, test, TinyModel.DATA.vocabulary(), 3);
        record Case(Evaluator.Protocol protocol, boolean excludeSeen) {}
        for (Case c : List.of(new Case(Evaluator.Protocol.NEXT, false), new Case(Evaluator.Protocol.LAST, true))) {
            List<EvaluationReport> spark = EvaluateAll.evaluate(rows, "songs", TinyModel.file(), counts, c.protocol(), c.excludeSeen(), "test");
            List<String> expected = new ArrayList<>();
            for (NextSongModel m : HybridModel.withItsLstm(TinyModel.MODEL, EngineFactory.cpu(1))) {
                expected.add(m.name() + " " + new Evaluator(c.protocol(), c.excludeSeen(), counts).evaluate(m, test, "test").toJson());
            }
            assertEquals(expected, spark.stream().map(r -> r.model() + " " + r.toJson()).toList(), c.toString());
        }
    }
}
