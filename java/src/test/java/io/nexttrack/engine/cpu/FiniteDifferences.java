package io.nexttrack.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/** Gradient checks in double precision: central finite differences, and the comparison that cannot pass vacuously. */
final class FiniteDifferences {
    static final double STEP = 1e-5;

    private FiniteDifferences() {}

    /** Central differences of f at every index in [off, off + n) of x (restored afterwards). */
    static double[] numeric(double[] x, int off, int n, ToDoubleFunction<double[]> f) {
        double[] g = new double[x.length];
        for (int i = off; i < off + n; i++) {
            double keep = x[i];
            x[i] = keep + STEP;
            double up = f.applyAsDouble(x);
            x[i] = keep - STEP;
            double down = f.applyAsDouble(x);
            x[i] = keep;
            g[i] = (up - down) / (2 * STEP);
        }
        return g;
    }

    /** The analytic gradient within {@code tolerance} (relative norm) of the numeric one, which must not be zero. */
    static void assertClose(String what, double[] analytic, double[] numeric, int off, int n, double tolerance) {
        double err = TestData.relativeError(analytic, numeric, off, n);
        assertTrue(err < tolerance, what + ": relative error " + err);
        double norm = 0;
        for (int i = off; i < off + n; i++) norm += numeric[i] * numeric[i];
        assertTrue(norm > 1e-12, what + ": gradient is zero, the check proves nothing");
    }

    /** n values uniform in (-scale, scale). */
    static double[] random(SplittableRandom rnd, int n, double scale) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = (rnd.nextDouble() * 2 - 1) * scale;
        return a;
    }
}
