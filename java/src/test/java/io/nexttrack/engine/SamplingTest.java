package io.nexttrack.engine;

import static org.junit.jupiter.api.Assertions.*;

import io.nexttrack.data.Batch;
import io.nexttrack.data.Playlists;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The sampled loss's settings, its draws (the sample store) and its candidate sets with their logQ correction. */
class SamplingTest {

    static Sampling sampling(int samples, double alpha, int... counts) { return new Sampling(samples, alpha, counts); }

    @Test
    void autoIsFullBelowTheThresholdAndSampledFromIt() {
        Loss auto = Loss.auto();
        assertFalse(auto.sampledAt(3_168));
        assertFalse(auto.sampledAt(Loss.AUTO_THRESHOLD - 1));
        assertTrue(auto.sampledAt(Loss.AUTO_THRESHOLD));
        assertTrue(auto.sampledAt(2_262_292));
        assertTrue(Loss.sampled(10).sampledAt(3));
        assertFalse(Loss.full().sampledAt(10_000_000));
        assertTrue(auto.describe(3_168).contains("full softmax (auto: 3,168 songs is below"), auto.describe(3_168));
        assertTrue(auto.describe(3_168).contains("--loss sampled"), "says how to change it");
        assertTrue(auto.describe(2_262_292).contains("--loss full"), auto.describe(2_262_292));
        assertEquals(Loss.Kind.SAMPLED, Loss.kind("Sampled"));
        assertThrows(IllegalArgumentException.class, () -> Loss.kind("smapled"));
        assertThrows(IllegalArgumentException.class, () -> new Loss(Loss.Kind.SAMPLED, -1, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new Loss(Loss.Kind.SAMPLED, 10, 1.5));
        assertThrows(IllegalArgumentException.class, () -> new Loss(Loss.Kind.SAMPLED, 10, Double.NaN));
    }

    @Test
    void samplingOfPlaylistsCountsTargetsAndIsNullForTheFullSoftmax() {
        Playlists p = Playlists.of(5, new int[] {0, 1, 2}, new int[] {1, 1}, new int[] {4});
        assertArrayEquals(new int[] {0, 2, 1, 0, 0}, Sampling.targetCounts(p), "every song but the first of each playlist");
        assertNull(Sampling.of(Loss.auto(), p));
        assertNull(Sampling.of(Loss.full(), p));
        Sampling s = Sampling.of(Loss.sampled(7), p);
        assertEquals(7, s.samples());
        assertEquals(5, s.maxCandidates(100), "at most every song");
        assertEquals(9, Sampling.maxCandidates(1000, 7, 2));
    }

    /** The draws of a step depend on the seed and the step alone: in any order, across refills of the store, from a fresh sampler. */
    @Test
    void drawsAreAFunctionOfSeedAndStep() {
        Sampling s = sampling(3000, 0.5, 5, 0, 100, 7, 1, 1, 40);
        NegativeSampler a = new NegativeSampler(s, 11), b = new NegativeSampler(s, 11), other = new NegativeSampler(s, 12);
        int k = a.stepsPerGeneration();
        assertEquals(NegativeSampler.STORE / 3000, k);
        long[] steps = {0, 1, k - 1, k, 5L * k + 3, 2};
        int[] x = new int[3000], y = new int[3000];
        for (long step : steps) a.draw(step, x, 0);
        for (int i = steps.length - 1; i >= 0; i--) {
            a.draw(steps[i], x, 0);
            b.draw(steps[i], y, 0);
            assertArrayEquals(x, y, "step " + steps[i]);
        }
        a.draw(0, x, 0);
        a.draw(1, y, 0);
        assertFalse(Arrays.equals(x, y), "steps draw different songs");
        other.draw(0, y, 0);
        assertFalse(Arrays.equals(x, y), "seeds draw different songs");
    }

    /** Draw frequencies follow (plays + 1)^alpha: a chi-square-like check over many draws; songs never played are drawn too. */
    @Test
    void drawsFollowPopularityToTheAlpha() {
        int[] counts = {0, 3, 15, 80, 400, 0, 1};
        for (double alpha : new double[] {0, 0.5, 1}) {
            NegativeSampler s = new NegativeSampler(sampling(4096, alpha, counts), 3);
            long[] seen = new long[counts.length];
            int[] d = new int[4096];
            int steps = 200;
            for (int step = 0; step < steps; step++) {
                s.draw(step, d, 0);
                for (int song : d) seen[song]++;
            }
            double total = 0;
            for (int c : counts) total += Math.pow(c + 1, alpha);
            long n = 4096L * steps;
            for (int song = 0; song < counts.length; song++) {
                double q = Math.pow(counts[song] + 1, alpha) / total;
                assertEquals(q, s.probability(song), 1e-12);
                double expected = n * q, sd = Math.sqrt(n * q * (1 - q));
                assertEquals(expected, seen[song], 5 * sd + 1, "alpha " + alpha + ", song " + song);
                assertTrue(seen[song] > 0);
            }
        }
    }

    /** The correction is -log of the probability of being in the set: 1 - exp(-R p(c)) (1 - q(c))^N, by hand. */
    @Test
    void correctionIsMinusLogInclusionProbability() {
        int[] counts = {10, 0, 30, 60};
        Sampling s = sampling(5, 1.0, counts);
        Batch batch = new Batch(2, 3);
        batch.clear();
        batch.put(0, 0, 1, 2, true);
        batch.put(1, 0, 2, 3, false);
        batch.put(0, 1, 0, 0, true); // lane 1 has one real step; the rest is padding
        Candidates c = new Candidates(s, 4, 6).prepare(batch, 0);
        int real = 3;
        double total = 100, qTotal = 11 + 1 + 31 + 61;
        for (int j = 0; j < c.count(); j++) {
            int song = c.columns()[j];
            double p = counts[song] / total, q = (counts[song] + 1) / qTotal;
            double pi = 1 - Math.exp(-real * p) * Math.pow(1 - q, 5);
            assertEquals(-Math.log(pi), c.correction()[j], 1e-6 * Math.max(1, -Math.log(pi)), "song " + song);
        }
        for (int song : new int[] {0, 2, 3}) assertTrue(Arrays.binarySearch(c.columns(), 0, c.count(), song) >= 0, "target " + song);
        assertEquals(-1, c.targetColumn()[batch.index(1, 1)], "padding has no target column");
        assertEquals(3, c.inputCount());
        assertArrayEquals(new int[] {0, 1, 2}, Arrays.copyOf(c.inputs(), 3));
        assertEquals(Arrays.binarySearch(c.inputs(), 0, 3, 2), c.inputRow()[batch.index(1, 0)]);
    }

    @Test
    void noDrawsMeansInBatchNegativesOnly() {
        Sampling s = sampling(0, 0.5, 3, 3, 3, 3);
        Batch batch = new Batch(1, 2);
        batch.clear();
        batch.put(0, 0, 0, 1, true);
        batch.put(1, 0, 1, 3, false);
        Candidates c = new Candidates(s, 1, 2).prepare(batch, 0);
        assertEquals(2, c.count());
        assertArrayEquals(new int[] {1, 3}, Arrays.copyOf(c.columns(), 2));
    }
}
