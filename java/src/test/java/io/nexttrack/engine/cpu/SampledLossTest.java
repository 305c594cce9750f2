package io.nexttrack.engine.cpu;

import static io.nexttrack.engine.cpu.FiniteDifferences.assertClose;
import static io.nexttrack.engine.cpu.FiniteDifferences.numeric;
import static io.nexttrack.engine.cpu.FiniteDifferences.random;

import static org.junit.jupiter.api.Assertions.*;

import io.nexttrack.data.Batch;
import io.nexttrack.engine.Candidates;
import io.nexttrack.engine.Sampling;
import io.nexttrack.model.Parameters;
import io.nexttrack.optim.SparseGradient;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The sampled softmax cross-entropy ({@link CpuSampledOutputLayer}, {@link CpuModel#forwardBackward(Batch,
 * SparseGradient, Candidates)}): the double reference against central finite differences, the float engine against
 * the reference, padding, accidental hits, and the full softmax as the limit where every song is a candidate.
 */
class SampledLossTest {
    private static final double GRADIENT_TOLERANCE = 1e-6, ENGINE_TOLERANCE = 1e-4;

    /** The reference's analytic gradients of the sampled output layer (W, b, h) against finite differences; PAD rows give none. */
    @Test
    void sampledOutputLayerGradientsMatchFiniteDifferences() {
        int hd = 4, v = 11, n = 9;
        SplittableRandom rnd = new SplittableRandom(8);
        double[] p = random(rnd, hd * v + v, 0.9);
        double[] h = random(rnd, n * hd, 1.0);
        int[] columns = {0, 2, 3, 5, 8, 9, 10};
        double[] correction = random(rnd, columns.length, 2.0);
        int[] targets = new int[n];
        for (int i = 0; i < n; i++) targets[i] = i % 4 == 1 ? Batch.PAD : columns[rnd.nextInt(columns.length)];
        double scale = 1.0 / 7;
        double[] grad = new double[p.length], dh = new double[h.length];
        ReferenceModel.sampledOutputLoss(p, 0, hd * v, hd, v, h, targets, columns, columns.length, correction, scale, grad, dh);

        ToDoubleFunction<double[]> ofWeights = w -> scale * ReferenceModel.sampledOutputLoss(w, 0, hd * v, hd, v, h, targets, columns,
                columns.length, correction, 0, null, null);
        ToDoubleFunction<double[]> ofHidden = hs -> scale * ReferenceModel.sampledOutputLoss(p, 0, hd * v, hd, v, hs, targets, columns,
                columns.length, correction, 0, null, null);
        assertClose("output weight", grad, numeric(p, 0, hd * v, ofWeights), 0, hd * v, GRADIENT_TOLERANCE);
        assertClose("output bias", grad, numeric(p, hd * v, v, ofWeights), hd * v, v, GRADIENT_TOLERANCE);
        double[] numericDh = numeric(h, 0, h.length, ofHidden);
        assertClose("output hidden", dh, numericDh, 0, h.length, GRADIENT_TOLERANCE);
        for (int k = 0; k < hd; k++) {
            for (int s = 0; s < v; s++) {
                boolean candidate = java.util.Arrays.binarySearch(columns, s) >= 0;
                if (!candidate) assertEquals(0.0, grad[k * v + s], "a song outside the candidates has no gradient");
            }
        }
        for (int i = 0; i < n; i++) {
            if (targets[i] != Batch.PAD) continue;
            for (int j = 0; j < hd; j++) assertTrue(dh[i * hd + j] == 0 && Math.abs(numericDh[i * hd + j]) < 1e-12, "PAD row has a gradient");
        }
    }

    /** Every tensor of the whole model under the sampled loss, in double, against finite differences (second chunk: carried state). */
    @Test
    void wholeModelSampledLossEveryTensorMatchesFiniteDifferences() {
        Parameters params = TestData.parameters(13, 3, 4, 2, 42);
        ReferenceModel model = new ReferenceModel(params);
        double[] p = TestData.toDouble(params.values());
        ReferenceModel.State state = new ReferenceModel.State(2, 3, 4);
        model.run(p, TestData.batch(3, 5, 13, 1), state, null);
        Batch second = TestData.batch(3, 5, 13, 2);
        Candidates c = candidates(13, 4, 0.5, second, 3);
        double[] correction = corrections(c);
        ReferenceModel.State carried = state.copy();
        double[] grad = new double[p.length];
        double loss = model.run(p, second, state.copy(), grad, c.columns(), c.count(), correction);
        assertTrue(loss > 0);
        assertTrue(c.count() < 13, "some songs are not candidates: the test covers untouched columns");
        double[] num = numeric(p, 0, p.length, w -> model.run(w, second, carried.copy(), null, c.columns(), c.count(), correction)
                / second.positions);
        for (Parameters.Tensor t : params.tensors()) assertClose(t.name(), grad, num, t.offset(), t.size(), GRADIENT_TOLERANCE);
    }

    /** The float engine's loss and compact gradient (expanded to the dense layout) against the double reference. */
    @ParameterizedTest
    @CsvSource({"7, 3, 4, 2, 3, 5, 2, 1", "203, 19, 21, 2, 9, 6, 40, 2", "150, 40, 32, 3, 6, 4, 500, 2", "5000, 16, 24, 1, 8, 5, 64, 2"})
    void engineMatchesReferenceOverConsecutiveChunks(int v, int e, int h, int l, int lanes, int steps, int samples, int threads) {
        Parameters params = TestData.parameters(v, e, h, l, 7);
        ReferenceModel reference = new ReferenceModel(params);
        double[] p = TestData.toDouble(params.values());
        ReferenceModel.State state = new ReferenceModel.State(l, lanes, h);
        Sampling sampling = new Sampling(samples, 0.5, counts(v, 3));
        Candidates c = new Candidates(sampling, 9, lanes * steps);
        SparseGradient grads = CpuModel.sparseGradient(params, lanes * steps, sampling.maxCandidates(lanes * steps));
        double[] expected = new double[params.size()];
        try (CpuModel engine = new CpuModel(params, lanes, steps, threads, 0, sampling)) {
            for (int chunk = 0; chunk < 3; chunk++) {
                Batch batch = TestData.batch(lanes, steps, v, 100 + chunk);
                c.prepare(batch, chunk);
                CpuTrainingEngine.layOut(grads, c);
                double loss = engine.forwardBackward(batch, grads, c);
                double expectedLoss = reference.run(p, batch, state, expected, c.columns(), c.count(), corrections(c));
                assertEquals(expectedLoss, loss, ENGINE_TOLERANCE * expectedLoss, "loss of chunk " + chunk);
                double[] actual = dense(grads, params.size());
                for (Parameters.Tensor t : params.tensors()) {
                    double err = TestData.relativeError(actual, expected, t.offset(), t.size());
                    assertTrue(err < ENGINE_TOLERANCE, t.name() + " of chunk " + chunk + ": relative error " + err);
                }
            }
        }
    }

    /** Padding's inputs, targets and reset flags touch nothing: not the candidates, the touched rows, the loss or the gradient. */
    @Test
    void paddingDoesNotCount() {
        Parameters params = TestData.parameters(30, 8, 8, 2, 3);
        Batch a = TestData.batch(4, 6, 30, 9), b = TestData.batch(4, 6, 30, 9);
        int padding = 0;
        for (int pos = 0; pos < 24; pos++) {
            int t = pos / 4, lane = pos % 4;
            if (t >= b.lengths[lane]) {
                b.inputs[pos] = 1000 + t;
                b.targets[pos] = 29 - t; // a song: it must still not become a candidate
                b.resets[pos] = 1;
                padding++;
            }
        }
        assertTrue(padding > 0);
        Sampling sampling = new Sampling(3, 0.5, counts(30, 5));
        Candidates ca = new Candidates(sampling, 1, 24).prepare(a, 0), cb = new Candidates(sampling, 1, 24).prepare(b, 0);
        assertEquals(ca.count(), cb.count());
        assertArrayEquals(java.util.Arrays.copyOf(ca.columns(), ca.count()), java.util.Arrays.copyOf(cb.columns(), cb.count()));
        assertArrayEquals(java.util.Arrays.copyOf(ca.inputs(), ca.inputCount()), java.util.Arrays.copyOf(cb.inputs(), cb.inputCount()));
        SparseGradient ga = CpuModel.sparseGradient(params, 24, sampling.maxCandidates(24)), gb = CpuModel.sparseGradient(params, 24,
                sampling.maxCandidates(24));
        CpuTrainingEngine.layOut(ga, ca);
        CpuTrainingEngine.layOut(gb, cb);
        try (CpuModel ea = new CpuModel(params, 4, 6, 1, 0, sampling); CpuModel eb = new CpuModel(params, 4, 6, 1, 0, sampling)) {
            assertEquals(ea.forwardBackward(a, ga, ca), eb.forwardBackward(b, gb, cb));
            assertEquals(ga.used(), gb.used());
            assertArrayEquals(java.util.Arrays.copyOf(ga.values, ga.used()), java.util.Arrays.copyOf(gb.values, gb.used()));
        }
    }

    /**
     * Accidental hits: with many draws over few songs, the draws hit every target, and in-batch targets repeat; each song is
     * still one column, the target's own, never an extra negative beside it (the reference masks explicitly: negatives are
     * every candidate but the target).
     */
    @Test
    void accidentalHitsAreMaskedNotCountedTwice() {
        int v = 9, lanes = 4, steps = 5;
        Parameters params = TestData.parameters(v, 4, 5, 1, 11);
        Sampling sampling = new Sampling(200, 0.0, counts(v, 2));
        Batch batch = TestData.batch(lanes, steps, v, 4);
        Candidates c = new Candidates(sampling, 5, lanes * steps).prepare(batch, 0);
        TreeSet<Integer> union = new TreeSet<>();
        int[] draws = new int[200];
        c.sampler().draw(0, draws, 0);
        for (int d : draws) union.add(d);
        TreeSet<Integer> targets = new TreeSet<>();
        for (int pos = 0; pos < lanes * steps; pos++) {
            if (pos / lanes < batch.lengths[pos % lanes]) targets.add(batch.targets[pos]);
        }
        assertTrue(union.containsAll(targets), "every target was also drawn: each is an accidental hit");
        union.addAll(targets);
        assertEquals(union.size(), c.count(), "one column per distinct song");
        for (int j = 0; j < c.count(); j++) assertEquals(union.toArray()[j], c.columns()[j]);
        for (int pos = 0; pos < lanes * steps; pos++) {
            if (pos / lanes < batch.lengths[pos % lanes]) assertEquals(batch.targets[pos], c.columns()[c.targetColumn()[pos]]);
        }
        SparseGradient g = CpuModel.sparseGradient(params, lanes * steps, sampling.maxCandidates(lanes * steps));
        CpuTrainingEngine.layOut(g, c);
        ReferenceModel reference = new ReferenceModel(params);
        double expected = reference.run(TestData.toDouble(params.values()), batch, new ReferenceModel.State(1, lanes, 5), null,
                c.columns(), c.count(), corrections(c));
        try (CpuModel engine = new CpuModel(params, lanes, steps, 1, 0, sampling)) {
            assertEquals(expected, engine.forwardBackward(batch, g, c), 1e-5 * expected);
        }
    }

    /**
     * Where every song is a candidate with inclusion probability 1 (correction 0), the sampled loss is the full softmax: the
     * same loss and the same output-layer gradient, bit for bit (the same GEMMs on W's columns in order).
     */
    @Test
    void everySongACertainCandidateIsTheFullSoftmax() {
        int v = 37, lanes = 5, steps = 4;
        Parameters params = TestData.parameters(v, 6, 8, 2, 13);
        Sampling sampling = new Sampling(100_000, 0.0, counts(v, 7));
        Batch batch = TestData.batch(lanes, steps, v, 6);
        Candidates c = new Candidates(sampling, 2, lanes * steps).prepare(batch, 0);
        assertEquals(v, c.count());
        for (int j = 0; j < v; j++) assertEquals(0f, c.correction()[j]);
        SparseGradient g = CpuModel.sparseGradient(params, lanes * steps, sampling.maxCandidates(lanes * steps));
        CpuTrainingEngine.layOut(g, c);
        float[] full = new float[params.size()];
        try (CpuModel a = new CpuModel(params, lanes, steps, 2); CpuModel b = new CpuModel(params, lanes, steps, 2, 0, sampling)) {
            assertEquals(a.forwardBackward(batch, full), b.forwardBackward(batch, g, c));
        }
        double[] sparse = dense(g, params.size());
        for (Parameters.Tensor t : params.tensors()) {
            for (int i = t.offset(); i < t.offset() + t.size(); i++) assertEquals(full[i], (float) sparse[i], t.name() + " at " + i);
        }
    }

    /** Plays per song: a popular head and a tail, every song at least once. */
    static int[] counts(int v, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] c = new int[v];
        for (int s = 0; s < v; s++) c[s] = 1 + (int) (50.0 / (1 + s)) + rnd.nextInt(3);
        return c;
    }

    static Candidates candidates(int v, int samples, double alpha, Batch batch, long step) {
        return new Candidates(new Sampling(samples, alpha, counts(v, 1)), 17, batch.lanes * batch.steps).prepare(batch, step);
    }

    static double[] corrections(Candidates c) {
        double[] d = new double[c.count()];
        for (int j = 0; j < c.count(); j++) d[j] = c.correction()[j];
        return d;
    }

    /** The compact gradient in the dense layout of the parameters (zeros where it touches nothing). */
    static double[] dense(SparseGradient g, int size) {
        double[] d = new double[size];
        for (int i = 0; i < g.denseLength(); i++) d[g.denseOffset() + i] = g.values[i];
        for (SparseGradient.Block b : g.blocks()) {
            for (int j = 0; j < b.count(); j++) {
                for (int k = 0; k < b.width(); k++) d[(int) b.parameter(j, k)] = g.values[b.value(j, k)];
            }
        }
        return d;
    }
}
