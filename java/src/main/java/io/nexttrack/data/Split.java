package io.nexttrack.data;

import java.util.stream.IntStream;

/**
 * A split of playlists into train, validation and test, by whole playlists, deterministic from a seed.
 * Playlists of one song are left out: they hold no transition to learn from or to score.
 * The default is 80/10/10.
 */
public record Split(Playlists train, Playlists validation, Playlists test) {
    public static final double DEFAULT_VALIDATION = 0.1;
    public static final double DEFAULT_TEST = 0.1;
    public static final long DEFAULT_SEED = 42;

    public enum Part { TRAIN, VALIDATION, TEST }

    /**
     * How playlists are split: the seed and the fractions for validation and test (a training run records them, and
     * a resume checks them).
     */
    public record Settings(long seed, double validation, double test) {
        public static Settings defaults() {
            return new Settings(DEFAULT_SEED, DEFAULT_VALIDATION, DEFAULT_TEST);
        }

        /** The split of {@code all} these settings make. */
        public Split apply(Playlists all) {
            return Split.of(all, seed, validation, test);
        }
    }

    /**
     * "2,000 songs; 14,330/1,791/1,791 playlists for train/validation/test (78,708/9,433/9,364 transitions)": what a
     * training run prints before it starts.
     */
    public String summary(int songs) {
        return String.format(java.util.Locale.ROOT, "%,d songs; %,d/%,d/%,d playlists for train/validation/test (%,d/%,d/%,d transitions)",
                songs, train.size(), validation.size(), test.size(), train.transitions(), validation.transitions(), test.transitions());
    }

    public static Split of(Playlists all, long seed) {
        return of(all, seed, DEFAULT_VALIDATION, DEFAULT_TEST);
    }

    public static Split of(Playlists all, long seed, double validation, double test) {
        if (validation < 0 || test < 0 || validation + test >= 1) {
            throw new IllegalArgumentException("validation and test fractions must be >= 0 and sum to < 1");
        }
        int[] order = Batcher.shuffle(IntStream.range(0, all.size()).filter(p -> all.length(p) >= 2).toArray(), seed, 0);
        int nTest = (int) Math.round(order.length * test);
        int nVal = (int) Math.round(order.length * validation);
        int[] testIdx = sortedRange(order, 0, nTest);
        int[] valIdx = sortedRange(order, nTest, nTest + nVal);
        int[] trainIdx = sortedRange(order, nTest + nVal, order.length);
        return new Split(all.select(trainIdx), all.select(valIdx), all.select(testIdx));
    }

    /** Indices kept in file order inside each part, so that a part reads like the original file. */
    private static int[] sortedRange(int[] order, int from, int to) {
        int[] r = java.util.Arrays.copyOfRange(order, from, to);
        java.util.Arrays.sort(r);
        return r;
    }

    public Playlists part(Part part) {
        return switch (part) {
            case TRAIN -> train;
            case VALIDATION -> validation;
            case TEST -> test;
        };
    }
}
