package io.nexttrack.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RankingMetricsTest {
    private static final float NAN = Float.NaN;
    private static final float NEG_INF = Float.NEGATIVE_INFINITY;

    private static int rank(float[] scores, int target, int... excluded) {
        return RankingMetrics.rank(scores, 0, scores.length, target, excluded, excluded.length);
    }

    @Test
    void rankCountsStrictlyHigherSongs() {
        float[] s = {0.1f, 0.5f, 0.3f, 0.2f};
        assertEquals(1, rank(s, 1));
        assertEquals(2, rank(s, 2));
        assertEquals(4, rank(s, 0));
    }

    @Test
    void tiesArePessimistic() {
        float[] s = {1, 2, 2, 2, 0};
        assertEquals(3, rank(s, 1), "two other songs tie with the target: both count as ahead");
        assertEquals(3, rank(s, 3));
        assertEquals(4, rank(s, 0));
        assertEquals(5, rank(new float[] {7, 7, 7, 7, 7}, 2), "all equal: last place");
        assertEquals(2, rank(new float[] {-0.0f, 0.0f}, 0), "-0 and +0 tie");
    }

    @Test
    void excludedSongsLeaveTheRanking() {
        float[] s = {5, 4, 3, 3, 2};
        assertEquals(4, rank(s, 2));
        assertEquals(3, rank(s, 2, 0), "one higher song excluded");
        assertEquals(2, rank(s, 2, 0, 1));
        assertEquals(1, rank(s, 2, 0, 1, 3), "the tied song excluded too");
        assertEquals(4, rank(s, 2, 4), "excluding a lower song changes nothing");
    }

    @Test
    void nanRanksBelowEveryNumber() {
        assertEquals(2, rank(new float[] {NAN, 1, 0}, 2), "a NaN competitor is not ahead");
        // A NaN or -Inf target is at the bottom and ties with every NaN and -Inf song.
        assertEquals(4, rank(new float[] {NAN, 1, NAN, NEG_INF}, 0));
        assertEquals(4, rank(new float[] {NAN, 1, NAN, NEG_INF}, 3));
        assertEquals(3, rank(new float[] {NAN, 1, NAN, NEG_INF}, 3, 0));
        assertEquals(2, rank(new float[] {NAN, 1, NAN, NEG_INF}, 3, 0, 2));
        assertEquals(1, rank(new float[] {Float.POSITIVE_INFINITY, 1}, 0));
    }

    @Test
    void rankMatchesADirectCountOnRandomTiedScores() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int trial = 0; trial < 500; trial++) {
            int v = 1 + rnd.nextInt(40), offset = rnd.nextInt(3);
            float[] s = new float[offset + v + 2];
            for (int j = 0; j < s.length; j++) s[j] = rnd.nextInt(10) == 0 ? NAN : rnd.nextInt(5);
            int target = rnd.nextInt(v);
            boolean[] excluded = new boolean[v];
            int[] list = new int[v];
            int n = 0;
            for (int j = 0; j < v; j++) {
                if (j != target && rnd.nextInt(4) == 0) {
                    excluded[j] = true;
                    list[n++] = j;
                }
            }
            float t = s[offset + target];
            int expected = 1;
            for (int j = 0; j < v; j++) {
                if (j == target || excluded[j]) continue;
                float x = s[offset + j];
                boolean ahead = Float.isNaN(t) ? true : !Float.isNaN(x) && x >= t;
                if (ahead) expected++;
            }
            assertEquals(expected, RankingMetrics.rank(s, offset, v, target, list, n), "trial " + trial);
        }
    }

    /** Scores 0, -1, -2, ... so that song r - 1 has rank r. */
    private static float[] descending(int v) {
        float[] s = new float[v];
        for (int j = 0; j < v; j++) s[j] = -j;
        return s;
    }

    @Test
    void metricsFromHandComputedRanks() {
        RankingMetrics m = new RankingMetrics(false);
        float[] s = descending(1000);
        for (int r : new int[] {1, 3, 7, 600}) assertEquals(r, m.add(s, 0, s.length, r - 1));
        assertEquals(4, m.positions());
        assertEquals(0.25, m.hitRate(1), 1e-12);
        assertEquals(0.5, m.hitRate(5), 1e-12);
        assertEquals(0.75, m.hitRate(10), 1e-12);
        assertEquals(0.75, m.hitRate(500), 1e-12);
        assertEquals(1.0, m.hitRate(600), 1e-12);
        assertEquals((1 + 1 / 3.0) / 4, m.mrr(5), 1e-12);
        assertEquals((1 + 1 / 3.0 + 1 / 7.0) / 4, m.mrr(20), 1e-12);
        assertEquals((1 + 1 / 2.0 + 1 / 3.0) / 4, m.ndcg(10), 1e-12); // 1/log2(2), 1/log2(4), 1/log2(8)
        assertEquals(0.25, m.ndcg(1), 1e-12);
        assertTrue(Double.isNaN(m.nll()), "no probabilities, no NLL");
    }

    @Test
    void nllAndPerplexityOfLogProbabilities() {
        RankingMetrics m = new RankingMetrics(true);
        float[] uniform = new float[4];
        java.util.Arrays.fill(uniform, (float) Math.log(0.25));
        m.add(uniform, 0, 4, 0);
        m.add(uniform, 0, 4, 3);
        assertEquals(Math.log(4), m.nll(), 1e-6);
        assertEquals(4, m.perplexity(), 1e-5);
        assertEquals(0.0, m.hitRate(3), "all four tie: pessimistic rank 4");
        assertEquals(1.0, m.hitRate(4));

        RankingMetrics bad = new RankingMetrics(true);
        bad.add(new float[] {0, NAN}, 0, 2, 1);
        assertEquals(Double.POSITIVE_INFINITY, bad.nll(), "a NaN target probability is an infinite loss");
    }

    @Test
    void mergeAddsPositions() {
        float[] s = descending(10);
        RankingMetrics a = new RankingMetrics(true), b = new RankingMetrics(true), all = new RankingMetrics(true);
        a.add(s, 0, 10, 0);
        all.add(s, 0, 10, 0);
        b.add(s, 0, 10, 4);
        all.add(s, 0, 10, 4);
        a.merge(b);
        assertEquals(all.positions(), a.positions());
        assertEquals(all.mrr(10), a.mrr(10), 1e-12);
        assertEquals(all.nll(), a.nll(), 1e-12);
    }

    @Test
    void rejectsBadInput() {
        RankingMetrics m = new RankingMetrics(false);
        assertThrows(IllegalArgumentException.class, () -> m.add(new float[3], 0, 3, 3));
        assertThrows(IllegalArgumentException.class, () -> m.add(new float[3], 1, 3, 0));
        assertTrue(Double.isNaN(m.hitRate(1)), "no positions yet");
    }

    /** The counts against a plain loop (InnerLoopsTest compares the Vector API's and the scalar inner loops too). */
    @Test
    void countsAgreeWithAPlainLoop() {
        SplittableRandom rnd = new SplittableRandom(13);
        float[] special = {NAN, NEG_INF, Float.POSITIVE_INFINITY, -0.0f, 0.0f};
        for (int trial = 0; trial < 200; trial++) {
            float[] s = new float[rnd.nextInt(100)];
            for (int j = 0; j < s.length; j++) s[j] = rnd.nextInt(6) == 0 ? special[rnd.nextInt(special.length)] : rnd.nextInt(4);
            int from = s.length == 0 ? 0 : rnd.nextInt(s.length), to = from + rnd.nextInt(s.length - from + 1);
            float t = rnd.nextBoolean() ? special[rnd.nextInt(special.length)] : rnd.nextInt(4);
            int greater = 0, equal = 0;
            for (int j = from; j < to; j++) {
                if (s[j] > t) greater++;
                if (s[j] == t) equal++;
            }
            assertEquals((long) greater << 32 | equal, ScoreCounts.greaterAndEqual(s, from, to, t), "trial " + trial);
        }
    }
}
