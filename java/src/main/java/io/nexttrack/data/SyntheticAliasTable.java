package io.nexttrack.data;

import java.util.SplittableRandom;

/**
 * Walker's alias method (Vose's construction) for several independent discrete distributions stored
 * flat: segment {@code k} covers the weights {@code [offsets[k], offsets[k+1])}. A draw costs O(1)
 * whatever the segment's size, which keeps generating millions of playlists cheap.
 */
final class SyntheticAliasTable {
    private final int[] offsets;
    private final double[] prob;
    private final int[] alias;

    /** One distribution over {@code weights}. */
    SyntheticAliasTable(double[] weights) {
        this(weights, new int[] {0, weights.length});
    }

    /** Several distributions; every segment must be non-empty with a positive total weight. */
    SyntheticAliasTable(double[] weights, int[] offsets) {
        this.offsets = offsets;
        this.prob = new double[weights.length];
        this.alias = new int[weights.length];
        int widest = 0;
        for (int k = 0; k + 1 < offsets.length; k++) widest = Math.max(widest, offsets[k + 1] - offsets[k]);
        double[] scaled = new double[widest];
        int[] small = new int[widest];
        int[] large = new int[widest];
        for (int k = 0; k + 1 < offsets.length; k++) build(weights, offsets[k], offsets[k + 1], scaled, small, large);
    }

    private void build(double[] w, int from, int to, double[] scaled, int[] small, int[] large) {
        int n = to - from;
        if (n <= 0) throw new IllegalArgumentException("empty segment at " + from);
        double total = 0;
        for (int i = from; i < to; i++) total += w[i];
        if (!(total > 0)) throw new IllegalArgumentException("segment at " + from + " has no positive weight");
        int ns = 0, nl = 0;
        for (int i = 0; i < n; i++) {
            scaled[i] = w[from + i] * n / total;
            if (scaled[i] < 1) small[ns++] = i; else large[nl++] = i;
        }
        while (ns > 0 && nl > 0) {
            int l = small[--ns], g = large[--nl];
            prob[from + l] = scaled[l];
            alias[from + l] = from + g;
            scaled[g] += scaled[l] - 1;
            if (scaled[g] < 1) small[ns++] = g; else large[nl++] = g;
        }
        // Whatever is left has probability 1 up to rounding error.
        while (nl > 0) { int g = large[--nl]; prob[from + g] = 1; alias[from + g] = from + g; }
        while (ns > 0) { int l = small[--ns]; prob[from + l] = 1; alias[from + l] = from + l; }
    }

    /** A draw from segment 0, as an index into the weights. */
    int sample(SplittableRandom r) {
        return sample(0, r);
    }

    /** A draw from the given segment, as an index into the weights (not relative to the segment). */
    int sample(int segment, SplittableRandom r) {
        int from = offsets[segment];
        int i = from + r.nextInt(offsets[segment + 1] - from);
        return r.nextDouble() < prob[i] ? i : alias[i];
    }
}
