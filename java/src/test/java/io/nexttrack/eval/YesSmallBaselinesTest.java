package io.nexttrack.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexttrack.YesData;
import io.nexttrack.data.PlaylistReader;
import io.nexttrack.data.Split;
import io.nexttrack.eval.baselines.Bigram;
import io.nexttrack.eval.baselines.ItemKnn;
import io.nexttrack.eval.baselines.Popularity;
import io.nexttrack.eval.baselines.SessionKnn;
import org.junit.jupiter.api.Test;

/** The baselines on the real yes_small data, default 80/10/10 split (seed 42), test part. */
class YesSmallBaselinesTest {
    private static Split cached;
    private static final Evaluator NEXT = new Evaluator(Evaluator.Protocol.NEXT, false);

    /** Read once, on first use: a test (not the class) is what gets skipped without the data, so the reason shows. */
    private static synchronized Split split() throws Exception {
        if (cached == null) cached = Split.of(PlaylistReader.read(YesData.require()).playlists(), Split.DEFAULT_SEED);
        return cached;
    }

    @Test
    void popularityAndBigramLandInThePlausibleRange() throws Exception {
        Split split = split();
        EvaluationReport pop = NEXT.evaluate(new Popularity().fit(split.train()), split.test(), "test");
        Bigram bigram = new Bigram().fit(split.train()).tune(split.validation());
        EvaluationReport bi = NEXT.evaluate(bigram, split.test(), "test");
        System.out.print(EvaluationReport.table(java.util.List.of(pop, bi)));

        assertEquals(split.test().transitions(), pop.positions());
        double popPpl = pop.perplexity().orElseThrow(), biPpl = bi.perplexity().orElseThrow();
        assertTrue(popPpl > 1700 && popPpl < 2300, "popularity perplexity " + popPpl);
        assertTrue(biPpl < popPpl, "bigram perplexity " + biPpl);
        assertTrue(bi.hit(20) > 0.15, "bigram hit@20 " + bi.hit(20));
        assertTrue(bi.hit(20) > pop.hit(20) && bi.mrr(20) > pop.mrr(20));
        assertTrue(bigram.lambda() > 0.05 && bigram.lambda() < 0.99, "an interior weight: " + bigram.lambda());
    }

    @Test
    void neighbourhoodBaselinesBeatPopularity() throws Exception {
        Split split = split();
        EvaluationReport pop = NEXT.evaluate(new Popularity().fit(split.train()), split.test(), "test");
        EvaluationReport item = NEXT.evaluate(new ItemKnn().fit(split.train()), split.test(), "test");
        EvaluationReport session = NEXT.evaluate(new SessionKnn().fit(split.train()), split.test(), "test");
        System.out.print(EvaluationReport.table(java.util.List.of(pop, item, session)));
        assertTrue(item.hit(20) > 1.5 * pop.hit(20), "item-knn hit@20 " + item.hit(20));
        assertTrue(session.hit(20) > 1.5 * pop.hit(20), "session-knn hit@20 " + session.hit(20));
        assertTrue(item.nll().isEmpty() && session.nll().isEmpty());
    }
}
