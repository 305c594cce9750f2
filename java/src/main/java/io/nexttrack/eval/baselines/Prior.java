package io.nexttrack.eval.baselines;

/** Popularity from training counts, shared by the baselines. */
final class Prior {
    private Prior() {}

    /** Add-one smoothed unigram probabilities: {@code (count + 1) / (tokens + V)}, so unseen songs keep some mass. */
    static double[] unigram(int[] counts) {
        long tokens = 0;
        for (int c : counts) tokens += c;
        double denominator = tokens + counts.length;
        double[] p = new double[counts.length];
        for (int s = 0; s < counts.length; s++) p[s] = (counts[s] + 1) / denominator;
        return p;
    }

    /**
     * Scores in (-1, 0) that order songs by popularity: the kNN baselines give them to songs no neighbour
     * supports (score 0), so those rank below every supported song and by popularity among themselves,
     * instead of all tying at the bottom.
     */
    static float[] fallback(int[] counts) {
        int max = 0;
        for (int c : counts) max = Math.max(max, c);
        float[] f = new float[counts.length];
        for (int s = 0; s < counts.length; s++) f[s] = (float) (-1.0 + (counts[s] + 1.0) / (max + 2.0));
        return f;
    }

    /** Replaces each score of exactly 0 (no support) with its fallback score. */
    static void fillUnsupported(float[] out, float[] fallback) {
        for (int s = 0; s < out.length; s++) if (out[s] == 0f) out[s] = fallback[s];
    }
}
