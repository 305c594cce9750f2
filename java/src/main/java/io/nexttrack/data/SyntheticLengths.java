package io.nexttrack.data;

import java.util.SplittableRandom;

/**
 * Playlist lengths drawn like the real yes_small data (41,480 playlists, mean 4.24 songs): exact
 * counts for 1..10 songs, and the long tail (>= 11, up to 170) as buckets with the counts measured
 * there, each spread over its lengths with weights falling as 1/n^2 (the tail decays about that fast).
 */
final class SyntheticLengths {
    static final int MAX = 170;
    /** {first length, last length, playlists} from yes_small/train.txt. */
    private static final int[][] HISTOGRAM = {
        {1, 1, 16726}, {2, 2, 7409}, {3, 3, 4373}, {4, 4, 2720}, {5, 5, 2014},
        {6, 6, 1443}, {7, 7, 1062}, {8, 8, 835}, {9, 9, 701}, {10, 10, 560},
        {11, 15, 1703}, {16, 20, 775}, {21, 30, 653}, {31, 50, 356}, {51, 100, 137}, {101, 170, 13},
    };

    /** MPD's playlists have 5 to 250 songs (the Million Playlist Dataset kept only those), 66.3 on average. */
    static final int MPD_MIN = 5, MPD_MAX = 250;

    private final SyntheticAliasTable table;
    /** The shortest length drawn: {@code sample} adds it to the table's index. */
    private final int shortest;

    SyntheticLengths() {
        shortest = 1;
        double[] weight = new double[MAX]; // index n - 1
        for (int[] b : HISTOGRAM) {
            double shape = 0;
            for (int n = b[0]; n <= b[1]; n++) shape += 1.0 / ((double) n * n);
            for (int n = b[0]; n <= b[1]; n++) weight[n - 1] = b[2] / ((double) n * n) / shape;
        }
        table = new SyntheticAliasTable(weight);
    }

    /** The share of real playlists with exactly {@code n} songs (1..10) or with {@code n} or more (n = 11). */
    static double realShare(int n) {
        int total = 0, match = 0;
        for (int[] b : HISTOGRAM) {
            total += b[2];
            if (n <= 10 ? b[0] == n : b[0] >= n) match += b[2];
        }
        return (double) match / total;
    }

    /**
     * Lengths like the MPD's, at any mean: {@code min..max} songs, each length {@code q} times as likely as the one
     * before (a geometric tail, as playlist lengths fall off), with {@code q} chosen so that the mean is {@code mean}.
     */
    SyntheticLengths(int min, int max, double mean) {
        if (min < 1 || max < min || !(mean >= min && mean <= max)) {
            throw new IllegalArgumentException("a mean length of " + mean + " is outside " + min + ".." + max);
        }
        shortest = min;
        table = new SyntheticAliasTable(weights(min, max, ratioForMean(min, max, mean)));
    }

    /** The ratio q of a geometric distribution on {@code min..max} whose mean is {@code mean} (q > 1 for a mean above the middle). */
    static double ratioForMean(int min, int max, double mean) {
        double lo = 1e-9, hi = 1e9;
        for (int it = 0; it < 200; it++) {
            double q = Math.sqrt(lo * hi);
            if (meanOf(min, max, q) < mean) lo = q; else hi = q;
        }
        return Math.sqrt(lo * hi);
    }

    static double meanOf(int min, int max, double q) {
        double[] w = weights(min, max, q);
        double sum = 0, weighted = 0;
        for (int i = 0; i < w.length; i++) {
            sum += w[i];
            weighted += w[i] * (min + i);
        }
        return weighted / sum;
    }

    /** Weights proportional to q^(n - min) for n = min..max, scaled so that the largest is 1 (no overflow for large q). */
    private static double[] weights(int min, int max, double q) {
        double[] w = new double[max - min + 1];
        for (int i = 0; i < w.length; i++) {
            w[i] = q <= 1 ? StrictMath.pow(q, i) : StrictMath.pow(1 / q, w.length - 1 - i); // StrictMath: the same bits everywhere
        }
        return w;
    }

    int sample(SplittableRandom r) {
        return table.sample(r) + shortest;
    }
}
