package io.nexttrack.engine.cpu;

import java.util.SplittableRandom;

/**
 * Inverted dropout between LSTM layers: each unit is kept with probability 1 - p and then scaled by
 * 1 / (1 - p), so evaluation needs no rescaling. Masks are drawn from one seeded stream, in position order.
 */
final class Dropout {
    private final float probability;
    private final float keepScale;
    private final SplittableRandom random;

    Dropout(float probability, long seed) {
        this.probability = probability;
        this.keepScale = 1f / (1f - probability);
        this.random = new SplittableRandom(seed);
    }

    boolean active(boolean training) { return training && probability > 0; }

    /** Fills {@code mask[0, n)} with 0 or 1 / (1 - p). */
    void draw(float[] mask, int n) {
        for (int i = 0; i < n; i++) mask[i] = random.nextFloat() < probability ? 0f : keepScale;
    }
}
