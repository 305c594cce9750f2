package io.nexttrack.eval;

import static org.junit.jupiter.api.Assertions.*;

import io.nexttrack.data.Playlists;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class BeyondAccuracyTest {
    private static double log2(double x) { return Math.log(x) / Math.log(2); }

    /**
     * A catalogue the size of the MPD's where most songs were never played in training (as in a sample of its
     * playlists): the percentiles of a count shared by a million songs are found by binary search. Walking back
     * over the equal counts took minutes (quadratic in the songs sharing a count), found by the MPD-scale run.
     */
    @Test
    @Timeout(20)
    void manySongsSharingACountAreQuick() {
        int[] counts = new int[2_262_292];
        for (int s = 0; s < 300_000; s++) counts[s] = 1 + s % 7;
        BeyondAccuracy b = new BeyondAccuracy(counts);
        int unplayed = counts.length - 300_000;
        assertEquals(100.0 * ((unplayed - 1) / 2.0) / (counts.length - 1), b.percentile(counts.length - 1), 1e-9, "mid-rank of the ties");
        assertEquals(b.percentile(counts.length - 1), b.percentile(300_000));
    }

    @Test
    void percentilesAndSelfInformationByHand() {
        // Counts 0, 5, 2, 2, 1: sorted 0 1 2 2 5; 10 tokens, V = 5, P(s) = (c + 1) / 15.
        BeyondAccuracy b = new BeyondAccuracy(new int[] {0, 5, 2, 2, 1});
        assertEquals(0, b.percentile(0));
        assertEquals(100, b.percentile(1));
        assertEquals(100 * (2 + 0.5) / 4, b.percentile(2), 1e-12, "two songs below, one equal other: mid-rank");
        assertEquals(b.percentile(2), b.percentile(3));
        assertEquals(25, b.percentile(4), 1e-12);
        assertEquals(log2(15), b.selfInformation(0), 1e-12, "never played: rare but finite");
        assertEquals(log2(15 / 6.0), b.selfInformation(1), 1e-12);

        b.add(new int[] {1, 2, 9}, 2); // only the first two count
        b.add(new int[] {1, 0}, 2);
        assertEquals(3 / 5.0, b.coverage(), 1e-12);
        assertEquals((100 + 62.5 + 100 + 0) / 4, b.popularityPercentile(), 1e-12);
        assertEquals((2 * log2(15 / 6.0) + log2(15 / 3.0) + log2(15)) / 4, b.novelty(), 1e-12);
        assertTrue(Double.isNaN(new BeyondAccuracy(new int[] {1, 1}).novelty()), "no list yet");
    }

    @Test
    void theEvaluatorListsTheTopTwentyAfterExclusion() {
        // IndexModel scores song j with j: the list is always songs 29 down to 10, less excluded ones.
        int v = 30;
        int[] counts = new int[v];
        for (int s = 0; s < v; s++) counts[s] = s; // popularity grows with the id
        Playlists playlists = Playlists.of(v, new int[] {29, 3}, new int[] {5, 28, 27});
        var plain = new Evaluator(Evaluator.Protocol.NEXT, false, counts)
                .evaluate(new EvaluatorTest.IndexModel(false), playlists, "toy");
        BeyondAccuracy expected = new BeyondAccuracy(counts);
        int[] top = new int[20];
        for (int r = 0; r < 20; r++) top[r] = 29 - r;
        for (int n = 0; n < 3; n++) expected.add(top, 20);
        assertEquals(20 / 30.0, plain.coverage(), 1e-12);
        assertEquals(expected.popularityPercentile(), plain.popularityPercentile(), 1e-9);
        assertEquals(expected.novelty(), plain.novelty(), 1e-9);

        // Excluding the history: after {29} the list is 28..9; after {5} 29..10; after {5, 28} 29, 27..9.
        var excluded = new Evaluator(Evaluator.Protocol.NEXT, true, counts)
                .evaluate(new EvaluatorTest.IndexModel(false), playlists, "toy");
        assertEquals(21 / 30.0, excluded.coverage(), 1e-12, "songs 9..29");
        assertTrue(excluded.toJson().contains("\"coverage@20\": 0.7"), excluded.toJson());
        var none = new Evaluator(Evaluator.Protocol.NEXT, false).evaluate(new EvaluatorTest.IndexModel(false), playlists, "toy");
        assertTrue(Double.isNaN(none.coverage()) && none.toJson().contains("\"novelty@20\": null"), none.toJson());
        assertFalse(EvaluationReport.table(java.util.List.of(none)).contains("cov@20"));
        assertTrue(EvaluationReport.table(java.util.List.of(plain)).contains("cov@20"));
    }
}
