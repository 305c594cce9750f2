package io.nexttrack.eval;

import io.nexttrack.data.Playlists;
import io.nexttrack.model.Temperature;

/**
 * Fits a model's {@link Temperature} on validation: the coefficients w of {@code beta(h) = w . f(h)}, with
 * {@code f(h) = (1, H(h), ln n(h))} (the entropy of the uncalibrated row and the history's length), that minimise
 * the NLL of {@code P'(s | h) proportional to P(s | h)^beta(h)}. Per row, {@code log sum_s exp(beta x_s) - beta x_target}
 * (x the row of log-probabilities) is convex in beta, with derivative {@code E_beta[x] - x_target} and second
 * derivative the variance of x under {@code P'}; beta being linear in w, the mean NLL is convex in w, and a damped
 * Newton search (halving a step until it lowers the NLL) finds its minimum in a few passes over the rows kept in
 * memory. The fitted NLL is that of the temperature as applied, beta kept within the {@link Temperature}'s range.
 * No ranking changes with any w; only the probabilities move.
 */
public final class Calibration {
    private Calibration() {}

    /**
     * At most about this many log-probabilities (rows times songs, 64 MiB) are kept to fit the temperature: validation
     * playlists spread evenly over the split hold them (5,300 positions of 3,168 songs; 1,700 of 10,000).
     */
    public static final long MAX_VALUES = 1L << 24;
    private static final int FEATURES = 3, MAX_STEPS = 30, MAX_HALVINGS = 30;
    private static final double TOLERANCE = 1e-9;

    /**
     * The fitted temperature, on how many positions, and their mean NLL before ({@link Temperature#NONE}) and after. A
     * position whose target has no finite log-probability counts in neither (its NLL is infinite at any temperature).
     * When nothing is gained, the temperature is {@link Temperature#NONE}.
     */
    public record Fit(Temperature temperature, int positions, double nllBefore, double nllAfter) {}

    /**
     * Scores {@code model} (log-probabilities) on an even spread of {@code validation}'s playlists holding at most about
     * {@link #MAX_VALUES} values, and fits the temperature on those rows.
     */
    public static Fit fit(NextSongModel model, Playlists validation) {
        if (!model.givesProbabilities()) throw new IllegalArgumentException(model.name() + " gives no probabilities to calibrate");
        int songs = validation.songCount();
        Playlists sample = HybridModel.spread(validation, Math.max(1, MAX_VALUES / songs));
        long n = sample.transitions();
        if (n * songs > Integer.MAX_VALUE - 8) throw new IllegalStateException("too many positions to calibrate on: " + n);
        float[] rows = new float[(int) n * songs];
        int[] targets = new int[(int) n], played = new int[(int) n];
        int[] filled = {0};
        model.score(sample, (p, i, scores, offset) -> {
            int r = filled[0]++;
            System.arraycopy(scores, offset, rows, r * songs, songs);
            targets[r] = sample.song(p, i + 1);
            played[r] = i + 1;
        });
        return fit(new Rows(rows, targets, played, filled[0], songs));
    }

    /** Rows of log-probabilities ({@code values[r * songs ..]}), their targets and their histories' lengths. */
    record Rows(float[] values, int[] targets, int[] played, int n, int songs) {}

    /** Fits the temperature on the rows. */
    static Fit fit(Rows rows) {
        double[] entropy = new double[rows.n()];
        for (int r = 0; r < rows.n(); r++) entropy[r] = Temperature.entropy(rows.values(), r * rows.songs(), rows.songs());
        double[] w = {1, 0, 0};
        Sums at = sums(rows, entropy, w);
        double before = at.nll;
        int positions = at.counted;
        for (int step = 0; step < MAX_STEPS && positions > 0; step++) {
            // A little ridge: where a feature does not vary (every history as long), its coefficient stays as it is.
            double trace = at.hessian[0][0] + at.hessian[1][1] + at.hessian[2][2];
            for (int j = 0; j < FEATURES; j++) at.hessian[j][j] += 1e-9 + 1e-7 * trace;
            double[] direction = solve(at.hessian, at.gradient);
            if (direction == null) break;
            double scale = 1;
            Sums next = null;
            for (int k = 0; k < MAX_HALVINGS; k++, scale /= 2) {
                double[] tried = new double[FEATURES];
                for (int j = 0; j < FEATURES; j++) tried[j] = w[j] - scale * direction[j];
                Sums s = sums(rows, entropy, tried); // with the derivatives the next step needs: one pass a step
                if (s.nll < at.nll) {
                    next = s;
                    w = tried;
                    break;
                }
            }
            if (next == null) break;
            boolean done = at.nll - next.nll < TOLERANCE;
            at = next;
            if (done) break;
        }
        if (positions == 0 || !(at.nll < before)) return new Fit(Temperature.NONE, positions, before, before);
        return new Fit(new Temperature(w[0], w[1], w[2]), positions, before, at.nll);
    }

    /** The mean NLL at w over the rows whose target is finite, its gradient and its Hessian in w. */
    private static final class Sums {
        double nll;
        final double[] gradient = new double[FEATURES];
        final double[][] hessian = new double[FEATURES][FEATURES];
        int counted;
    }

    private static Sums sums(Rows rows, double[] entropy, double[] w) {
        Sums out = new Sums();
        float[] x = rows.values();
        int songs = rows.songs();
        Temperature t = new Temperature(w[0], w[1], w[2]);
        double[] f = new double[FEATURES];
        for (int r = 0; r < rows.n(); r++) {
            int base = r * songs;
            double target = x[base + rows.targets()[r]];
            if (!(Math.abs(target) < Double.POSITIVE_INFINITY) || Double.isNaN(entropy[r])) continue;
            double beta = t.beta(entropy[r], rows.played()[r]);
            double max = Double.NEGATIVE_INFINITY;
            for (int s = 0; s < songs; s++) max = Math.max(max, x[base + s]);
            double sum = 0, mean = 0, square = 0; // sums of e, e d, e d^2 with e = exp(beta d), d = x - max
            for (int s = 0; s < songs; s++) {
                double d = x[base + s] - max;
                if (!(d > Double.NEGATIVE_INFINITY)) continue;
                double e = Math.exp(beta * d);
                sum += e;
                mean += e * d;
                square += e * d * d;
            }
            out.nll += Math.log(sum) - beta * (target - max);
            out.counted++;
            mean /= sum;
            double g = mean - (target - max), h = square / sum - mean * mean;
            f[0] = 1;
            f[1] = entropy[r];
            f[2] = Math.log(Math.max(1, rows.played()[r]));
            for (int i = 0; i < FEATURES; i++) {
                out.gradient[i] += g * f[i];
                for (int j = 0; j < FEATURES; j++) out.hessian[i][j] += h * f[i] * f[j];
            }
        }
        if (out.counted == 0) {
            out.nll = Double.NaN;
            return out;
        }
        out.nll /= out.counted;
        for (int i = 0; i < FEATURES; i++) {
            out.gradient[i] /= out.counted;
            for (int j = 0; j < FEATURES; j++) out.hessian[i][j] /= out.counted;
        }
        return out;
    }

    /** The solution of {@code a y = b} (Gaussian elimination with partial pivoting), or null when a is singular. */
    static double[] solve(double[][] a, double[] b) {
        int n = b.length;
        double[][] m = new double[n][n + 1];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], 0, m[i], 0, n);
            m[i][n] = b[i];
        }
        for (int c = 0; c < n; c++) {
            int pivot = c;
            for (int r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[pivot][c])) pivot = r;
            if (!(Math.abs(m[pivot][c]) > 1e-12)) return null;
            double[] swap = m[c];
            m[c] = m[pivot];
            m[pivot] = swap;
            for (int r = 0; r < n; r++) {
                if (r == c) continue;
                double k = m[r][c] / m[c][c];
                for (int j = c; j <= n; j++) m[r][j] -= k * m[c][j];
            }
        }
        double[] y = new double[n];
        for (int i = 0; i < n; i++) y[i] = m[i][n] / m[i][i];
        return y;
    }
}
