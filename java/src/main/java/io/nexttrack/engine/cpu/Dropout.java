package io.nexttrack.engine.cpu;

import java.util.SplittableRandom;

/**
 * Inverted dropout between LSTM layers: each unit is kept with probability 1 - p and then scaled by
 * 1 / (1 - p), so evaluation needs no rescaling. Masks are drawn from one seeded stream, in position order;
 * the trainer restarts the stream at every step from the step number, so resuming reproduces the masks.
 * The GPU engine draws its masks with this class too, so both engines drop the same units.
 */
public final class Dropout {
    private final float probability;
    private final float keepScale;
    private final long seed;
    private SplittableRandom random;

    public Dropout(float probability, long seed) {
        this.probability = probability;
        this.keepScale = 1f / (1f - probability);
        this.seed = seed;
        this.random = new SplittableRandom(seed);
    }

    /** Restarts the stream at a point that depends only on (seed, stream): a resumed run draws the same masks. */
    public void restart(long stream) {
        random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + stream);
    }

    public boolean active(boolean training) { return training && probability > 0; }

    /** Fills {@code mask[0, n)} with 0 or 1 / (1 - p). */
    public void draw(float[] mask, int n) {
        for (int i = 0; i < n; i++) mask[i] = random.nextFloat() < probability ? 0f : keepScale;
    }
}
