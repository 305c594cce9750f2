package io.nexttrack.data;

import java.util.SplittableRandom;

/**
 * Cuts playlists into {@link Batch} chunks of B lanes by T steps, the seed's scheme: a playlist longer
 * than T continues in the next chunk of its lane with the LSTM state carried over. Every transition
 * (input song, next song) of playlists with at least two songs appears exactly once per epoch; the
 * playlist order is shuffled per epoch from the seed.
 */
public abstract sealed class Batcher permits LaneBatcher, BucketBatcher {
    /** Pass as seed to keep the playlists in file order (evaluation). */
    public static final long NO_SHUFFLE = Long.MIN_VALUE;

    protected final Playlists playlists;
    protected final int lanes;
    protected final int steps;

    Batcher(Playlists playlists, int lanes, int steps) {
        if (lanes < 1 || steps < 1) throw new IllegalArgumentException("lanes and steps must be positive");
        this.playlists = playlists;
        this.lanes = lanes;
        this.steps = steps;
    }

    public enum Layout {
        /** Lanes play playlists back to back; reset flags mark where a new one starts. Full chunks. */
        LANES,
        /** One playlist per lane, lanes of equal length per batch (what cuDNN's LSTM needs). */
        BUCKETS
    }

    public static Batcher create(Layout layout, Playlists playlists, int lanes, int steps) {
        return switch (layout) {
            case LANES -> new LaneBatcher(playlists, lanes, steps);
            case BUCKETS -> new BucketBatcher(playlists, lanes, steps);
        };
    }

    public int lanes() { return lanes; }

    public int steps() { return steps; }

    /** Starts epoch {@code epoch} (its order is a function of seed and epoch only). */
    public abstract Epoch epoch(long seed, int epoch);

    /** Walks one epoch's chunks. */
    public interface Epoch {
        /** Fills {@code batch} with the next chunk; false when the epoch is over. */
        boolean next(Batch batch);

        /** Chunks in this epoch (for progress and ETA). */
        int chunks();
    }

    /** Playlists with at least two songs (the others have no transition), in a seeded random order. */
    public static int[] shuffledTrainable(Playlists p, long seed, int epoch) {
        IntList keep = new IntList(p.size());
        for (int i = 0; i < p.size(); i++) if (p.length(i) >= 2) keep.add(i);
        return shuffle(keep.toArray(), seed, epoch);
    }

    /** Shuffles {@code a} in place (Fisher-Yates) from (seed, epoch), unless seed is {@link #NO_SHUFFLE}. */
    public static int[] shuffle(int[] a, long seed, int epoch) {
        if (seed == NO_SHUFFLE) return a;
        SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int tmp = a[i];
            a[i] = a[j];
            a[j] = tmp;
        }
        return a;
    }
}
