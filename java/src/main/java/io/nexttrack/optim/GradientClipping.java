package io.nexttrack.optim;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Global-norm gradient clipping over the one flat gradient buffer; the specification a GPU kernel must match:
 * <pre>
 * norm = sqrt(sum_j g[j]^2)          (squares accumulated in double)
 * if norm > maxNorm: g[j] *= maxNorm / norm
 * </pre>
 */
public final class GradientClipping {
    public static final float DEFAULT_MAX_NORM = 5f;

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;

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
        if (norm > maxNorm) scale(grads, (float) (maxNorm / norm));
        return norm;
    }

    /** The L2 norm of {@code a}, each vector widened to double in two halves, squared and summed in double. */
    public static double norm(float[] a) {
        DoubleVector acc = DoubleVector.zero(D);
        int j = 0;
        for (int bound = F.loopBound(a.length); j < bound; j += F.length()) {
            FloatVector x = FloatVector.fromArray(F, a, j);
            DoubleVector lo = (DoubleVector) x.convertShape(VectorOperators.F2D, D, 0);
            DoubleVector hi = (DoubleVector) x.convertShape(VectorOperators.F2D, D, 1);
            acc = hi.fma(hi, lo.fma(lo, acc));
        }
        double sum = acc.reduceLanes(VectorOperators.ADD);
        for (; j < a.length; j++) sum += (double) a[j] * a[j];
        return Math.sqrt(sum);
    }

    private static void scale(float[] a, float k) {
        int j = 0;
        for (int bound = F.loopBound(a.length); j < bound; j += F.length()) {
            FloatVector.fromArray(F, a, j).mul(k).intoArray(a, j);
        }
        for (; j < a.length; j++) a[j] *= k;
    }
}
