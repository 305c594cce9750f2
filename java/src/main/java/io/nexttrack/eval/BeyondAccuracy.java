package io.nexttrack.eval;

import java.util.Arrays;

/**
 * What the recommended lists look like, beyond whether they hold the right song. At every scored position the
 * model's list is its top {@link #LIST_LENGTH} songs (after removing excluded songs; equal scores ordered by song
 * id, as {@code recommend} does). Popularity is the number of occurrences of a song in the TRAINING split.
 *
 * <ul>
 *   <li><b>coverage@20</b>: the share of the catalogue (all V songs) that appears in at least one list;</li>
 *   <li><b>popularity percentile</b>: the mean, over every song of every list, of the song's percentile rank of
 *       popularity among all V songs, {@code 100 * (#songs less popular + #other songs equally popular / 2) / (V - 1)}:
 *       0 for the single least popular song, 100 for the single most popular; songs never played in training share
 *       the lowest value (mid-rank, so ties cannot move it);</li>
 *   <li><b>novelty</b>: the mean self-information {@code -log2 P(s)} in bits of every song of every list, with
 *       {@code P(s) = (count(s) + 1) / (tokens + V)} the add-one smoothed training popularity (the popularity
 *       baseline's distribution), so unseen songs count as rare but finite (Zhou et al., "Solving the apparent
 *       diversity-accuracy dilemma of recommender systems", PNAS 2010).</li>
 * </ul>
 */
public final class BeyondAccuracy implements java.io.Serializable {
    public static final int LIST_LENGTH = 20;

    private static final long serialVersionUID = 1L;
    /** Per song, from the training counts: not sent along when a partition's lists travel to be {@link #merge merged}. */
    private final transient double[] percentile;
    private final transient double[] selfInformation;
    /** How often each song was in a list: the sums are taken from it in song order, so merged parts give the same bits. */
    private final long[] listed;
    private long songs;

    /** @param trainCounts occurrences of each song in the training split */
    public BeyondAccuracy(int[] trainCounts) {
        int v = trainCounts.length;
        percentile = new double[v];
        selfInformation = new double[v];
        listed = new long[v];
        long tokens = 0;
        for (int c : trainCounts) tokens += c;
        int[] sorted = trainCounts.clone();
        Arrays.sort(sorted);
        for (int s = 0; s < v; s++) {
            int c = trainCounts[s];
            int below = lowerBound(sorted, c), equalOthers = lowerBound(sorted, c + 1) - below - 1;
            percentile[s] = v == 1 ? 100 : 100.0 * (below + equalOthers / 2.0) / (v - 1);
            selfInformation[s] = -Math.log((c + 1.0) / (tokens + v)) / Math.log(2);
        }
    }

    /** The first index of {@code sorted} holding {@code value} or more: O(log V) however many songs share a count. */
    private static int lowerBound(int[] sorted, int value) {
        int lo = 0, hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < value) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /** Records one recommended list. */
    public void add(int[] list, int length) {
        for (int i = 0; i < length; i++) {
            listed[list[i]]++;
        }
        songs += length;
    }

    /** Adds another accumulator's lists (one made with the same training counts, perhaps in another process). */
    public void merge(BeyondAccuracy other) {
        if (other.listed.length != listed.length) {
            throw new IllegalArgumentException("cannot merge lists over " + other.listed.length + " songs into lists over " + listed.length);
        }
        for (int s = 0; s < listed.length; s++) listed[s] += other.listed[s];
        songs += other.songs;
    }

    /** The popularity percentile of one song. */
    public double percentile(int song) { return percentile[song]; }

    /** The self-information of one song, in bits. */
    public double selfInformation(int song) { return selfInformation[song]; }

    public double coverage() {
        int covered = 0;
        for (long n : listed) if (n > 0) covered++;
        return (double) covered / listed.length;
    }

    public double popularityPercentile() { return songs == 0 ? Double.NaN : weighted(percentile) / songs; }

    public double novelty() { return songs == 0 ? Double.NaN : weighted(selfInformation) / songs; }

    /** {@code sum over songs of listed[s] * value[s]}, in song order. */
    private double weighted(double[] value) {
        if (value == null) throw new IllegalStateException("a deserialized accumulator has no training counts: merge it into one that has");
        double sum = 0;
        for (int s = 0; s < listed.length; s++) if (listed[s] != 0) sum += listed[s] * value[s];
        return sum;
    }
}
