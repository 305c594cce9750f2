package io.nexttrack.eval;

import static org.junit.jupiter.api.Assertions.*;

import io.nexttrack.model.Temperature;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CalibrationTest {
    /**
     * Rows of log-probabilities whose targets are drawn from the rows raised to the power {@code trueBeta} (an
     * over-confident model when below 1) and renormalised.
     */
    static Calibration.Rows rows(int n, int songs, double trueBeta, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] values = new float[n * songs];
        int[] targets = new int[n], played = new int[n];
        double[] z = new double[songs];
        for (int i = 0; i < n; i++) {
            double spread = 1 + 2 * r.nextDouble(), max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int s = 0; s < songs; s++) max = Math.max(max, z[s] = spread * r.nextGaussian());
            for (int s = 0; s < songs; s++) sum += Math.exp(z[s] - max);
            for (int s = 0; s < songs; s++) values[i * songs + s] = (float) (z[s] - max - Math.log(sum));
            double tsum = 0;
            for (int s = 0; s < songs; s++) tsum += Math.exp(trueBeta * (z[s] - max));
            double u = r.nextDouble() * tsum, acc = 0;
            int target = songs - 1;
            for (int s = 0; s < songs; s++) {
                acc += Math.exp(trueBeta * (z[s] - max));
                if (acc >= u) {
                    target = s;
                    break;
                }
            }
            targets[i] = target;
            played[i] = 1 + r.nextInt(30);
        }
        return new Calibration.Rows(values, targets, played, n, songs);
    }

    @Test
    void anOverConfidentModelIsFlattened() {
        Calibration.Rows rows = rows(3000, 50, 0.6, 1);
        Calibration.Fit fit = Calibration.fit(rows);
        assertEquals(3000, fit.positions());
        assertTrue(fit.nllAfter() < fit.nllBefore() - 0.02, fit.toString());
        for (double h : new double[] {2, 3}) {
            for (int n : new int[] {2, 20}) {
                assertEquals(0.6, fit.temperature().beta(h, n), 0.1, "the true temperature, whatever the history: " + fit);
            }
        }
        // Applying the fitted temperature to the rows gives the NLL the fit reports.
        double nll = 0;
        for (int i = 0; i < rows.n(); i++) {
            float[] row = java.util.Arrays.copyOfRange(rows.values(), i * rows.songs(), (i + 1) * rows.songs());
            fit.temperature().apply(row, 0, rows.songs(), rows.played()[i]);
            nll -= row[rows.targets()[i]];
        }
        assertEquals(fit.nllAfter(), nll / rows.n(), 1e-4);
    }

    @Test
    void aCalibratedModelStaysNearlyAsItIs() {
        Calibration.Fit fit = Calibration.fit(rows(3000, 50, 1, 2));
        assertEquals(1, fit.temperature().beta(2.5, 10), 0.06, fit.toString());
        assertTrue(fit.nllBefore() - fit.nllAfter() < 0.005, fit.toString());
        assertTrue(fit.nllAfter() <= fit.nllBefore());
    }

    @Test
    void nothingToFitIsNoTemperature() {
        Calibration.Rows none = new Calibration.Rows(new float[] {Float.NEGATIVE_INFINITY, 0}, new int[] {0}, new int[] {1}, 1, 2);
        Calibration.Fit fit = Calibration.fit(none);
        assertEquals(0, fit.positions(), "a target without probability does not count");
        assertSame(Temperature.NONE, fit.temperature());
        assertArrayEquals(new double[] {2, 3}, Calibration.solve(new double[][] {{2, 0}, {0, 1}}, new double[] {4, 3}), 1e-12);
        assertNull(Calibration.solve(new double[][] {{1, 1}, {1, 1}}, new double[] {1, 1}));
    }
}
