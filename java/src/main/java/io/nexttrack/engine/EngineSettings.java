package io.nexttrack.engine;

/**
 * What a training engine needs of a training run, beyond the parameters and the optimiser: the shape of its
 * chunks, the gradient-clipping threshold and the seed of its dropout masks. The trainer's settings make one
 * ({@code TrainingConfig.engineSettings(train)}, which checks the values with the command line's option names); the
 * CPU engine's worker threads are not here but {@link EngineFactory}'s, which makes every engine.
 *
 * @param batch    lanes per chunk (B)
 * @param unroll   time steps per chunk (T)
 * @param clipNorm global gradient norm above which the gradient is scaled down to it
 * @param seed     the dropout masks' stream and the sampled loss's draws start from it
 * @param sampling the sampled softmax's settings ({@link Loss.Kind#SAMPLED}), or null for the full softmax
 */
public record EngineSettings(int batch, int unroll, double clipNorm, long seed, Sampling sampling) {
    public EngineSettings {
        if (batch < 1 || unroll < 1) throw new IllegalArgumentException("a chunk needs at least one lane and one step: " + batch + " x " + unroll);
        if (!(clipNorm > 0)) throw new IllegalArgumentException("the clipping threshold must be > 0: " + clipNorm);
    }

    /** The full softmax. */
    public EngineSettings(int batch, int unroll, double clipNorm, long seed) {
        this(batch, unroll, clipNorm, seed, null);
    }

    /** These settings with the sampled loss's {@code sampling} (null: the full softmax). */
    public EngineSettings withSampling(Sampling sampling) {
        return new EngineSettings(batch, unroll, clipNorm, seed, sampling);
    }

    public boolean sampled() { return sampling != null; }
}
