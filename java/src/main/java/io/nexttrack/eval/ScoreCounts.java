package io.nexttrack.eval;

import io.nexttrack.engine.cpu.CpuKernels;

/**
 * The hot loop of ranking: how many scores are greater than, and equal to, a threshold
 * ({@link CpuKernels#greaterAndEqual}: with the Vector API about 5x faster than the plain loop, whose
 * data-dependent compares the JIT leaves as mispredicted branches). NaN compares false both ways in both
 * paths, and -0 equals +0.
 */
final class ScoreCounts {
    private ScoreCounts() {}

    /** {@code (greater << 32) | equal} over {@code scores[from .. to)}. */
    static long greaterAndEqual(float[] scores, int from, int to, float t) {
        return CpuKernels.CHOSEN.greaterAndEqual(scores, from, to, t);
    }
}
