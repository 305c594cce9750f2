package io.nexttrack.eval;

import java.util.Arrays;

/**
 * Accumulates next-song metrics over scored positions.
 *
 * <p><b>Rank.</b> The target is ranked in the FULL ranking over all songs, ties counted pessimistically:
 * {@code rank = 1 + #songs scoring strictly higher + #other songs scoring equal}, so a model cannot gain by
 * giving many songs the same score. NaN ranks below every number: a NaN or -Inf target ties with every
 * other NaN or -Inf song. Songs passed as {@code excluded} are removed from the ranking altogether.
 *
 * <p><b>Metrics.</b> For a cut-off k: HitRate@k (= Recall@k with one relevant song) is the share of positions
 * with {@code rank <= k}; MRR@k averages {@code 1/rank} (0 beyond k); NDCG@k averages
 * {@code 1/log2(rank + 1)} (0 beyond k). Ranks are kept as a histogram, so any k can be read afterwards.
 * When scores are log-probabilities, NLL is the mean of {@code -score[target]} per position (the model's own,
 * unrenormalised probability, even when songs are excluded from the ranking); a NaN or -Inf target makes
 * it +Inf, and perplexity is {@code exp(NLL)}. The sums are exact ({@link ExactFloatSum}, a rank histogram), so
 * accumulators {@link #merge merged} in any order and split give exactly the numbers of one accumulator.
 */
public final class RankingMetrics implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    /** The cut-offs every report lists. */
    public static final int[] CUTOFFS = {1, 5, 10, 20, 50, 100, 500};

    private final boolean probabilities;
    private long[] rankCounts = new long[0]; // rankCounts[r]: positions whose target had rank r (1-based)
    private long positions;
    /** The sum of {@code -score[target]}, exact: merged accumulators give the bits of one (see {@link ExactFloatSum}). */
    private final ExactFloatSum nllSum = new ExactFloatSum();

    /** @param probabilities whether scores are log-probabilities (then NLL is accumulated) */
    public RankingMetrics(boolean probabilities) {
        this.probabilities = probabilities;
    }

    public boolean probabilities() { return probabilities; }

    /** Records one position scored over all songs; returns the target's rank. */
    public int add(float[] scores, int offset, int songCount, int target) {
        return add(scores, offset, songCount, target, null, 0);
    }

    /**
     * Records one position with {@code excluded[0 .. excludedCount)} removed from the ranking; those must be
     * distinct songs other than the target. Returns the target's rank.
     */
    public int add(float[] scores, int offset, int songCount, int target, int[] excluded, int excludedCount) {
        int rank = rank(scores, offset, songCount, target, excluded, excludedCount);
        record(rank, scores[offset + target]);
        return rank;
    }

    /**
     * Records one position whose target's rank is already known ({@link #rank}), with the target's score (its
     * log-probability when this accumulator has probabilities, else ignored).
     */
    public void record(int rank, float targetScore) {
        if (rank < 1) throw new IllegalArgumentException("rank must be >= 1, got " + rank);
        if (rank >= rankCounts.length) rankCounts = Arrays.copyOf(rankCounts, Math.max(rank + 1, 2 * rankCounts.length));
        rankCounts[rank]++;
        positions++;
        if (probabilities) nllSum.add(targetScore != targetScore ? Float.POSITIVE_INFINITY : -targetScore);
    }

    /** The pessimistic rank of {@code target} among {@code songCount} scores, less the excluded songs. */
    public static int rank(float[] scores, int offset, int songCount, int target, int[] excluded, int excludedCount) {
        if (target < 0 || target >= songCount) {
            throw new IllegalArgumentException("target " + target + " outside 0.." + (songCount - 1));
        }
        if (offset < 0 || offset + songCount > scores.length) {
            throw new IllegalArgumentException("scores hold " + scores.length + " values, need " + (offset + songCount));
        }
        float t = scores[offset + target];
        int higher = 0, equal;
        if (t != t || t == Float.NEGATIVE_INFINITY) {
            // Bottom of the ranking: everything that is a number above -Inf is higher, the rest ties.
            higher = (int) (ScoreCounts.greaterAndEqual(scores, offset, offset + songCount, Float.NEGATIVE_INFINITY) >>> 32);
            equal = songCount - 1 - higher;
            for (int x = 0; x < excludedCount; x++) {
                if (scores[offset + excluded[x]] > Float.NEGATIVE_INFINITY) higher--; else equal--;
            }
        } else {
            long counts = ScoreCounts.greaterAndEqual(scores, offset, offset + songCount, t); // the one O(V) pass
            higher = (int) (counts >>> 32);
            equal = (int) counts - 1; // less the target itself
            for (int x = 0; x < excludedCount; x++) {
                float s = scores[offset + excluded[x]];
                if (s > t) higher--; else if (s == t) equal--;
            }
        }
        return 1 + higher + equal;
    }

    /** Adds another accumulator's positions to this one. */
    public void merge(RankingMetrics other) {
        if (other.probabilities != probabilities) throw new IllegalArgumentException("cannot merge with and without probabilities");
        if (other.rankCounts.length > rankCounts.length) rankCounts = Arrays.copyOf(rankCounts, other.rankCounts.length);
        for (int r = 0; r < other.rankCounts.length; r++) rankCounts[r] += other.rankCounts[r];
        positions += other.positions;
        nllSum.merge(other.nllSum);
    }

    public long positions() { return positions; }

    /** Mean NLL per position (nats); NaN without probabilities or positions. */
    public double nll() { return probabilities && positions > 0 ? nllSum.value() / positions : Double.NaN; }

    /** {@code exp(nll())}; NaN without probabilities or positions. */
    public double perplexity() { return Math.exp(nll()); }

    public double hitRate(int k) { return mean(k, Weight.HIT); }

    public double mrr(int k) { return mean(k, Weight.RECIPROCAL); }

    public double ndcg(int k) { return mean(k, Weight.DCG); }

    private enum Weight { HIT, RECIPROCAL, DCG }

    private double mean(int k, Weight w) {
        if (k < 1) throw new IllegalArgumentException("k must be >= 1, got " + k);
        if (positions == 0) return Double.NaN;
        double sum = 0;
        for (int r = 1, end = Math.min(k, rankCounts.length - 1); r <= end; r++) {
            if (rankCounts[r] == 0) continue;
            double v = switch (w) {
                case HIT -> 1;
                case RECIPROCAL -> 1.0 / r;
                case DCG -> 1.0 / (Math.log(r + 1) / Math.log(2));
            };
            sum += rankCounts[r] * v;
        }
        return sum / positions;
    }
}
