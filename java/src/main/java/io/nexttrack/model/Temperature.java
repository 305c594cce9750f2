package io.nexttrack.model;

import java.util.Locale;

/**
 * The calibration of the hybrid's distribution: a temperature per history, fitted on validation after the mixture's
 * weights ({@code eval.Calibration}). A row of log-probabilities x becomes
 * <pre>
 *   x'(s) = beta(h) x(s) - log sum over songs of exp(beta(h) x)        beta(h) = 1 / tau(h) = base + entropy H(h) + length ln n(h)
 * </pre>
 * i.e. {@code P'(s | h) proportional to P(s | h)^beta(h)}, where {@code H(h)} is the entropy (nats) of the uncalibrated
 * distribution and {@code n(h)} the number of songs played. beta is kept within [{@link #MIN_BETA}, {@link #MAX_BETA}],
 * above 0, so the transform is monotone in each row: no ranking changes, only the probabilities (NLL, the scores of
 * recommendations). On yes_small's validation split a flatter distribution where the hybrid is unsure and a sharper one
 * after long histories fits better than one temperature for all (quality.md 8.8). {@link #NONE} (beta = 1) is no
 * calibration, as in files written before it.
 *
 * @param base    beta's constant
 * @param entropy beta's change per nat of entropy
 * @param length  beta's change per unit of ln(songs played)
 */
public record Temperature(double base, double entropy, double length) {
    /** No calibration: beta = 1 whatever the history. */
    public static final Temperature NONE = new Temperature(1, 0, 0);
    /** The range beta is kept in (a temperature between 0.1 and 10). */
    public static final double MIN_BETA = 0.1, MAX_BETA = 10;

    public Temperature {
        if (!(Double.isFinite(base) && Double.isFinite(entropy) && Double.isFinite(length))) {
            throw new IllegalArgumentException("temperature coefficients must be finite, got " + base + ", " + entropy + " and " + length);
        }
    }

    /** Whether this is {@link #NONE}. */
    public boolean none() { return equals(NONE); }

    /** beta = 1 / tau for a distribution of entropy {@code h} (nats) after {@code played} songs, within the range. */
    public double beta(double h, int played) {
        double b = base + entropy * h + length * Math.log(Math.max(1, played));
        return Math.min(MAX_BETA, Math.max(MIN_BETA, b));
    }

    /**
     * Calibrates a row of log-probabilities ({@code row[offset .. offset + songs)}) in place for a history of
     * {@code played} songs, in double with one rounding per value: no song overtakes another and songs that tied
     * still tie (two values within a float's rounding of each other may come to tie). {@link #NONE}: the row as it is.
     */
    public void apply(float[] row, int offset, int songs, int played) {
        if (none()) return;
        double max = max(row, offset, songs);
        if (!(max > Double.NEGATIVE_INFINITY && max < Double.POSITIVE_INFINITY)) return; // NaN, or no song with a probability
        double beta = beta(entropy(row, offset, songs, max), played);
        double scaled = 0;
        for (int s = 0; s < songs; s++) {
            double d = row[offset + s] - max;
            if (d > Double.NEGATIVE_INFINITY) scaled += Math.exp(beta * d);
        }
        double shift = beta * max + Math.log(scaled);
        for (int s = 0; s < songs; s++) row[offset + s] = (float) (beta * row[offset + s] - shift);
    }

    /**
     * The entropy (nats) of the distribution a row of log-probabilities gives (renormalised, songs at -Inf left out);
     * NaN when no song has a probability.
     */
    public static double entropy(float[] row, int offset, int songs) {
        return entropy(row, offset, songs, max(row, offset, songs));
    }

    /** {@link #entropy(float[], int, int)} with the row's largest value already known (one pass fewer). */
    private static double entropy(float[] row, int offset, int songs, double max) {
        double sum = 0, weighted = 0;
        for (int s = 0; s < songs; s++) {
            double d = row[offset + s] - max;
            if (!(d > Double.NEGATIVE_INFINITY)) continue;
            double w = Math.exp(d);
            sum += w;
            weighted += w * d;
        }
        return Math.log(sum) - weighted / sum;
    }

    private static double max(float[] row, int offset, int songs) {
        double max = Double.NEGATIVE_INFINITY;
        for (int s = 0; s < songs; s++) max = Math.max(max, row[offset + s]);
        return max;
    }

    /** In words, as {@code train} prints it. */
    public String describe() {
        if (none()) return "no temperature";
        return String.format(Locale.ROOT, "1/temperature %.3f %s %.3f entropy %s %.3f ln(length)", base, entropy < 0 ? "-" : "+",
                Math.abs(entropy), length < 0 ? "-" : "+", Math.abs(length));
    }
}
