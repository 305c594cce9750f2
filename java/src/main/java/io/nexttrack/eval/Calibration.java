package io.nexttrack.eval;

import io.nexttrack.data.Playlists;

/**
 * Fits the temperature of a model's distribution on validation ({@link io.nexttrack.model.Hybrid#calibrate}): the tau
 * that minimises the NLL of {@code P'(s | h) = P(s | h)^(1/tau) / sum over songs of P^(1/tau)}. With
 * {@code beta = 1 / tau} the NLL, the mean over positions of {@code log sum_s exp(beta x_s) - beta x_target}
 * (x the row of log-probabilities), is convex in beta: its derivative is the mean of
 * {@code E_beta[x] - x_target} and its second derivative the mean variance of x under {@code P'}, so a safeguarded
 * Newton search (bisection where Newton leaves the bracket) finds its minimum in a few passes over the rows kept in
 * memory. The ranking of every row is unchanged by any tau; only the probabilities move.
 */
public final class Calibration {
    private Calibration() {}

    /**
     * At most about this many log-probabilities (rows times songs, 64 MiB) are kept to fit tau: validation playlists
     * spread evenly over the split hold them (5,000 positions of 3,168 songs; 1,600 of 10,000).
     */
    public static final long MAX_VALUES = 1L << 24;
    /** The temperatures searched: tau in [1/4, 4]. */
    static final double MIN_BETA = 0.25, MAX_BETA = 4;
    private static final int MAX_STEPS = 60;
    private static final double TOLERANCE = 1e-7;

    /**
     * The fitted temperature, on how many positions, and their NLL before (tau = 1) and after. A position whose target
     * has no finite log-probability counts in neither (its NLL is infinite at any tau).
     */
    public record Fit(double temperature, int positions, double nllBefore, double nllAfter) {}

    /**
     * Scores {@code model} (log-probabilities) on an even spread of {@code validation}'s playlists holding at most about
     * {@link #MAX_VALUES} values, and fits tau on those rows.
     */
    public static Fit fit(NextSongModel model, Playlists validation) {
        if (!model.givesProbabilities()) throw new IllegalArgumentException(model.name() + " gives no probabilities to calibrate");
        int songs = validation.songCount();
        Playlists sample = HybridModel.spread(validation, Math.max(1, MAX_VALUES / songs));
        long n = sample.transitions();
        if (n * songs > Integer.MAX_VALUE - 8) throw new IllegalStateException("too many positions to calibrate on: " + n);
        float[] rows = new float[(int) n * songs];
        int[] targets = new int[(int) n];
        int[] filled = {0};
        model.score(sample, (p, i, scores, offset) -> {
            int r = filled[0]++;
            System.arraycopy(scores, offset, rows, r * songs, songs);
            targets[r] = sample.song(p, i + 1);
        });
        return fit(rows, targets, filled[0], songs);
    }

    /** Fits tau on {@code n} rows of {@code songs} log-probabilities ({@code rows[r * songs ..]}) and their targets. */
    static Fit fit(float[] rows, int[] targets, int n, int songs) {
        double lo = MIN_BETA, hi = MAX_BETA, beta = 1;
        double[] at = new double[4]; // NLL, its first and second derivative in beta, positions
        for (int step = 0; step < MAX_STEPS; step++) {
            moments(rows, targets, n, songs, beta, at);
            if (at[3] == 0) break;
            double g = at[1], h = at[2];
            if (g > 0) hi = beta; else lo = beta;
            double next = h > 0 ? beta - g / h : Double.NaN;
            if (!(next > lo && next < hi)) next = (lo + hi) / 2;
            boolean done = Math.abs(next - beta) < TOLERANCE || hi - lo < TOLERANCE;
            beta = next;
            if (done) break;
        }
        moments(rows, targets, n, songs, beta, at);
        double after = at[0];
        int positions = (int) at[3];
        moments(rows, targets, n, songs, 1, at);
        if (positions == 0 || !(after < at[0])) return new Fit(1, positions, at[0], at[0]); // nothing to gain
        return new Fit(1 / beta, positions, at[0], after);
    }

    /**
     * At {@code beta}: the mean NLL over the rows whose target is finite ({@code out[0]}), its first and second
     * derivatives in beta ({@code out[1]}, {@code out[2]}) and how many rows counted ({@code out[3]}). Songs at -Inf
     * (or NaN) have no probability at any beta and are left out of the sums.
     */
    static void moments(float[] rows, int[] targets, int n, int songs, double beta, double[] out) {
        double nll = 0, first = 0, second = 0;
        int counted = 0;
        for (int r = 0; r < n; r++) {
            int base = r * songs;
            double target = rows[base + targets[r]];
            if (!(Math.abs(target) < Double.POSITIVE_INFINITY)) continue;
            double max = Double.NEGATIVE_INFINITY;
            for (int s = 0; s < songs; s++) {
                float x = rows[base + s];
                if (x > max) max = x;
            }
            double sum = 0, mean = 0, square = 0; // sums of w, w d, w d^2 with w = exp(beta d), d = x - max
            for (int s = 0; s < songs; s++) {
                double d = rows[base + s] - max;
                if (!(d > Double.NEGATIVE_INFINITY)) continue;
                double w = Math.exp(beta * d);
                sum += w;
                mean += w * d;
                square += w * d * d;
            }
            mean /= sum;
            nll += Math.log(sum) - beta * (target - max);
            first += mean - (target - max);
            second += square / sum - mean * mean;
            counted++;
        }
        out[0] = counted == 0 ? Double.NaN : nll / counted;
        out[1] = counted == 0 ? 0 : first / counted;
        out[2] = counted == 0 ? 0 : second / counted;
        out[3] = counted;
    }
}
