package io.nexttrack.optim;

import io.nexttrack.numeric.InnerLoops;

/**
 * Global-norm gradient clipping over the one flat gradient buffer; the specification a GPU kernel must match:
 * <pre>
 * norm = sqrt(sum_j g[j]^2)          (squares accumulated in double)
 * if norm > maxNorm: g[j] *= maxNorm / norm
 * </pre>
 */
public final class GradientClipping {
    public static final float DEFAULT_MAX_NORM = 5f;

    private final float maxNorm;

    public GradientClipping() {
        this(DEFAULT_MAX_NORM);
    }

    public GradientClipping(float maxNorm) {
        if (!(maxNorm > 0)) throw new IllegalArgumentException("maxNorm must be positive: " + maxNorm);
        this.maxNorm = maxNorm;
    }

    public float maxNorm() { return maxNorm; }

    /** Scales {@code grads} in place so its L2 norm is at most the maximum; returns the norm before clipping. */
    public double clip(float[] grads) {
        double norm = norm(grads);
        if (norm > maxNorm) InnerLoops.CHOSEN.scale(grads, 0, grads.length, (float) (maxNorm / norm));
        return norm;
    }

    /**
     * Scales the used prefix of {@code g}'s compact buffer (everything the step updates: its dense range and touched
     * rows, see {@link SparseGradient}) so that its L2 norm is at most the maximum; returns the norm before clipping.
     * This is the true global norm of the step's gradient: every parameter it leaves out has a zero gradient.
     */
    public double clip(SparseGradient g) {
        double norm = Math.sqrt(InnerLoops.CHOSEN.sumSquares(g.values, 0, g.used()));
        if (norm > maxNorm) InnerLoops.CHOSEN.scale(g.values, 0, g.used(), (float) (maxNorm / norm));
        return norm;
    }

    /**
     * The L2 norm of {@code a}: squares summed in double ({@link InnerLoops#sumSquares}; the Vector API's and the
     * plain loop's sums agree within 1e-13 relative).
     */
    public static double norm(float[] a) {
        return Math.sqrt(InnerLoops.CHOSEN.sumSquares(a));
    }
}
