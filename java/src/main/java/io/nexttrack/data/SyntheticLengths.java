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

    private final SyntheticAliasTable table;

    SyntheticLengths() {
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

    int sample(SplittableRandom r) {
        return table.sample(r) + 1;
    }
}
