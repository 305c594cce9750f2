package io.nexttrack.model;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TemperatureTest {
    @Test
    void aRowBecomesItsDistributionToThePowerBeta() {
        double[] p = {0.5, 0.25, 0.125, 0.0625, 0.0625};
        float[] row = new float[p.length + 2]; // at offset 1, with a value either side that must not move
        row[0] = 7;
        row[row.length - 1] = 9;
        double entropy = 0;
        for (int s = 0; s < p.length; s++) {
            row[1 + s] = (float) Math.log(p[s]);
            entropy -= p[s] * Math.log(p[s]);
        }
        Temperature t = new Temperature(1.5, -0.25, 0.1);
        double beta = 1.5 - 0.25 * entropy + 0.1 * Math.log(4);
        assertEquals(beta, t.beta(entropy, 4), 1e-12);
        t.apply(row, 1, p.length, 4);
        double z = 0;
        for (double x : p) z += Math.pow(x, beta);
        double sum = 0;
        for (int s = 0; s < p.length; s++) {
            assertEquals(Math.log(Math.pow(p[s], beta) / z), row[1 + s], 1e-6, "song " + s);
            sum += Math.exp(row[1 + s]);
        }
        assertEquals(1, sum, 1e-6);
        assertEquals(7, row[0]);
        assertEquals(9, row[row.length - 1]);

        float[] same = {(float) Math.log(0.5), (float) Math.log(0.5)};
        Temperature.NONE.apply(same, 0, 2, 3);
        assertArrayEquals(new float[] {(float) Math.log(0.5), (float) Math.log(0.5)}, same, "none: the row as it was");
        assertTrue(Temperature.NONE.none());
        assertEquals(1, Temperature.NONE.beta(5, 100));
        assertEquals(Temperature.MIN_BETA, new Temperature(-3, 0, 0).beta(1, 1), "beta stays above 0: the order never flips");
        assertEquals(Temperature.MAX_BETA, new Temperature(50, 0, 0).beta(1, 1));
        assertThrows(IllegalArgumentException.class, () -> new Temperature(Double.NaN, 0, 0));
    }

    @Test
    void noSongOvertakesAnotherAndTiesStay() {
        SplittableRandom r = new SplittableRandom(3);
        int songs = 3000;
        for (Temperature t : new Temperature[] {new Temperature(0.6, 0, 0), new Temperature(2.2, -0.25, 0.1), new Temperature(1.3, 0, 0)}) {
            float[] row = new float[songs];
            for (int s = 0; s < songs; s++) row[s] = (float) (-8 + 3 * r.nextGaussian());
            row[10] = row[11]; // a tie
            row[12] = Float.NEGATIVE_INFINITY; // a song without probability
            float[] before = row.clone();
            t.apply(row, 0, songs, 1 + r.nextInt(50));
            assertEquals(row[10], row[11], "a tie stays a tie");
            assertEquals(Float.NEGATIVE_INFINITY, row[12]);
            for (int a = 0; a < songs; a += 7) {
                for (int b = 0; b < songs; b++) {
                    if (before[a] > before[b]) assertTrue(row[a] >= row[b], t + ": " + a + " fell below " + b);
                }
            }
        }
    }
}
