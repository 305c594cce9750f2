package io.nexttrack.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexttrack.data.Batch;
import io.nexttrack.model.ModelConfig;
import io.nexttrack.model.Parameters;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The float engine against the double reference, and its own consistency (threads, passes, state). */
class CpuModelTest {
    private static final double TOLERANCE = 1e-4;

    /** Sizes: the tiny model, and one whose odd widths run every tile and tail path of the kernels. */
    @ParameterizedTest
    @CsvSource({"7, 3, 4, 2, 3, 5, 1", "203, 19, 21, 2, 9, 6, 2", "150, 40, 32, 3, 6, 4, 2"})
    void matchesReferenceOverConsecutiveChunks(int v, int e, int h, int l, int lanes, int steps, int threads) {
        Parameters params = TestData.parameters(v, e, h, l, 7);
        ReferenceModel reference = new ReferenceModel(params);
        double[] p = TestData.toDouble(params.values());
        ReferenceModel.State state = new ReferenceModel.State(l, lanes, h);
        float[] grads = new float[params.size()];
        double[] expected = new double[params.size()];
        try (CpuModel engine = new CpuModel(params, lanes, steps, threads)) {
            for (int chunk = 0; chunk < 3; chunk++) {
                Batch batch = TestData.batch(lanes, steps, v, 100 + chunk);
                double loss = engine.forwardBackward(batch, grads);
                double expectedLoss = reference.run(p, batch, state, expected);
                assertEquals(expectedLoss, loss, TOLERANCE * expectedLoss, "loss of chunk " + chunk);
                double[] actual = TestData.toDouble(grads);
                for (Parameters.Tensor t : params.tensors()) {
                    double err = TestData.relativeError(actual, expected, t.offset(), t.size());
                    assertTrue(err < TOLERANCE, t.name() + " of chunk " + chunk + ": relative error " + err);
                }
                assertStateEquals(state, engine.state(), lanes, h);
            }
        }
    }

    private static void assertStateEquals(ReferenceModel.State expected, float[] actual, int lanes, int h) {
        int n = lanes * h;
        for (int l = 0; l < expected.h.length; l++) {
            for (int i = 0; i < n; i++) {
                assertEquals(expected.h[l][i], actual[2 * l * n + i], 1e-5, "h of layer " + l);
                assertEquals(expected.c[l][i], actual[(2 * l + 1) * n + i], 1e-5, "c of layer " + l);
            }
        }
    }

    @Test
    void paddingContentDoesNotMatter() {
        Parameters params = TestData.parameters(30, 8, 8, 2, 3);
        Batch a = TestData.batch(4, 6, 30, 9);
        Batch b = TestData.batch(4, 6, 30, 9);
        for (int pos = 0; pos < 24; pos++) {
            int t = pos / 4, lane = pos % 4;
            if (t >= b.lengths[lane]) {
                b.inputs[pos] = 1000 + t; // not even a song: padding is never read
                b.targets[pos] = 29 - t;
                b.resets[pos] = 1;
            }
        }
        assertNotEquals(0, countPadding(a));
        float[] ga = new float[params.size()], gb = new float[params.size()];
        try (CpuModel ea = new CpuModel(params, 4, 6, 1); CpuModel eb = new CpuModel(params, 4, 6, 1)) {
            assertEquals(ea.forwardBackward(a, ga), eb.forwardBackward(b, gb));
            assertArrayEquals(ga, gb);
            assertArrayEquals(ea.state(), eb.state());
        }
    }

    /** Every real position is scored, so it needs a target; input-only chunks (recommending) only give logits. */
    @Test
    void realPositionsNeedSongsInRange() {
        Parameters params = TestData.parameters(30, 8, 8, 2, 3);
        try (CpuModel engine = new CpuModel(params, 4, 6, 1)) {
            Batch noTarget = TestData.batch(4, 6, 30, 9);
            noTarget.targets[noTarget.index(2, 0)] = Batch.PAD;
            float[] grads = new float[params.size()];
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> engine.forwardBackward(noTarget, grads));
            assertEquals("target song -1 at step 2 of lane 0 is outside [0, 30)", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> engine.forward(noTarget));
            int[] logits = {0};
            engine.forward(noTarget, (t, lane, z, offset) -> logits[0]++);
            assertEquals(noTarget.positions, logits[0]);

            Batch badInput = TestData.batch(4, 6, 30, 9);
            badInput.inputs[badInput.index(5, 0)] = 30;
            e = assertThrows(IllegalArgumentException.class, () -> engine.forward(badInput, (t, lane, z, offset) -> {}));
            assertEquals("input song 30 at step 5 of lane 0 is outside [0, 30)", e.getMessage());
        }
    }

    private static int countPadding(Batch batch) {
        int n = 0;
        for (int lane = 0; lane < batch.lanes; lane++) n += batch.steps - batch.lengths[lane];
        return n;
    }

    @Test
    void twoThreadsEqualOneThread() {
        Parameters params = TestData.parameters(300, 24, 36, 2, 5);
        float[] g1 = new float[params.size()], g2 = new float[params.size()];
        try (CpuModel one = new CpuModel(params, 10, 7, 1); CpuModel two = new CpuModel(params, 10, 7, 2)) {
            for (int chunk = 0; chunk < 2; chunk++) {
                Batch batch = TestData.batch(10, 7, 300, chunk);
                double l1 = one.forwardBackward(batch, g1), l2 = two.forwardBackward(batch, g2);
                assertEquals(l1, l2, 1e-5 * l1);
                double err = TestData.relativeError(TestData.toDouble(g2), TestData.toDouble(g1), 0, g1.length);
                assertTrue(err < 1e-5, "gradient differs by " + err);
            }
        }
    }

    @Test
    void gradientsAreOverwrittenNotAccumulated() {
        Parameters params = TestData.parameters(60, 8, 12, 2, 12);
        Batch batch = TestData.batch(4, 5, 60, 12);
        float[] clean = new float[params.size()], dirty = new float[params.size()];
        java.util.Arrays.fill(dirty, Float.NaN);
        try (CpuModel a = new CpuModel(params, 4, 5, 2); CpuModel b = new CpuModel(params, 4, 5, 2)) {
            a.forwardBackward(batch, clean);
            b.forwardBackward(batch, dirty);
            assertArrayEquals(clean, dirty);
        }
    }

    @Test
    void forwardLossEqualsTrainingLossAndCarriesTheSameState() {
        Parameters params = TestData.parameters(50, 8, 12, 2, 8);
        float[] grads = new float[params.size()];
        try (CpuModel train = new CpuModel(params, 5, 6, 2); CpuModel eval = new CpuModel(params, 5, 6, 2)) {
            for (int chunk = 0; chunk < 2; chunk++) {
                Batch batch = TestData.batch(5, 6, 50, 30 + chunk);
                assertEquals(train.forwardBackward(batch, grads), eval.forward(batch), 1e-9);
                assertArrayEquals(train.state(), eval.state());
            }
        }
    }

    @Test
    void logitsSinkSeesEveryRealPositionAndAgreesWithTheLoss() {
        int v = 400, lanes = 5, steps = 60; // 300 positions: more than one row block at this V
        Parameters params = TestData.parameters(v, 8, 12, 2, 4);
        Batch batch = TestData.batch(lanes, steps, v, 77);
        try (CpuModel sinkEngine = new CpuModel(params, lanes, steps, 2); CpuModel lossEngine = new CpuModel(params, lanes, steps, 2)) {
            double[] sum = {0};
            List<Integer> seen = new ArrayList<>();
            sinkEngine.forward(batch, (t, lane, logits, offset) -> {
                assertTrue(t < batch.lengths[lane]);
                seen.add(batch.index(t, lane));
                int target = batch.targets[batch.index(t, lane)];
                if (target == Batch.PAD) return;
                double max = Double.NEGATIVE_INFINITY, z = 0;
                for (int k = 0; k < v; k++) max = Math.max(max, logits[offset + k]);
                for (int k = 0; k < v; k++) z += Math.exp(logits[offset + k] - max);
                sum[0] += max + Math.log(z) - logits[offset + target];
            });
            int real = 0;
            for (int lane = 0; lane < lanes; lane++) real += batch.lengths[lane];
            assertEquals(real, seen.size());
            for (int i = 1; i < seen.size(); i++) assertTrue(seen.get(i) > seen.get(i - 1), "positions out of order");
            double loss = lossEngine.forward(batch);
            assertEquals(loss, sum[0], 1e-5 * loss);
            assertArrayEquals(lossEngine.state(), sinkEngine.state());
        }
    }

    @Test
    void savedStateResumesTheSequence() {
        Parameters params = TestData.parameters(40, 6, 10, 2, 6);
        Batch first = TestData.batch(3, 5, 40, 1), second = TestData.batch(3, 5, 40, 2);
        try (CpuModel a = new CpuModel(params, 3, 5, 1); CpuModel b = new CpuModel(params, 3, 5, 1)) {
            a.forward(first);
            float[] saved = a.state();
            double expected = a.forward(second);
            b.setState(saved);
            assertEquals(expected, b.forward(second));
            b.resetState();
            assertNotEquals(expected, b.forward(second));
        }
    }

    /**
     * Dropout at every site that does not recur (each layer's input, the top output), against the double reference
     * given the same masks: the masks the engine draws at a step are {@link Dropout}'s, restarted at that step, in
     * {@link DropoutSites}' order; loss and every tensor's gradient agree, over chunks that carry the state.
     */
    @ParameterizedTest
    @CsvSource({"7, 3, 4, 1, 3, 5, 1", "203, 19, 21, 2, 9, 6, 2", "150, 40, 32, 3, 6, 4, 2"})
    void dropoutMatchesTheReferenceWithTheSameMasks(int v, int e, int h, int l, int lanes, int steps, int threads) {
        float probability = 0.4f;
        long seed = 9;
        Parameters params = new Parameters(new ModelConfig(v, e, h, l, 0.5f, false, probability));
        System.arraycopy(TestData.parameters(v, e, h, l, 7).values(), 0, params.values(), 0, params.size());
        ReferenceModel reference = new ReferenceModel(params);
        double[] p = TestData.toDouble(params.values());
        ReferenceModel.State state = new ReferenceModel.State(l, lanes, h);
        float[] grads = new float[params.size()];
        double[] expected = new double[params.size()];
        try (CpuModel engine = new CpuModel(params, lanes, steps, threads, seed)) {
            for (int step = 1; step <= 3; step++) {
                Batch batch = TestData.batch(lanes, steps, v, 100 + step);
                engine.restartDropout(step);
                reference.masks = TestData.dropoutMasks(params.config(), lanes * steps, probability, seed, step);
                double loss = engine.forwardBackward(batch, grads);
                double expectedLoss = reference.run(p, batch, state, expected);
                assertEquals(expectedLoss, loss, TOLERANCE * expectedLoss, "loss of step " + step);
                reference.masks = null;
                assertNotEquals(reference.run(p, batch, state.copy(), null), expectedLoss, "the masks change the loss");
                double[] actual = TestData.toDouble(grads);
                for (Parameters.Tensor t : params.tensors()) {
                    double err = TestData.relativeError(actual, expected, t.offset(), t.size());
                    assertTrue(err < TOLERANCE, t.name() + " of step " + step + ": relative error " + err);
                }
                assertStateEquals(state, engine.state(), lanes, h);
            }
        }
    }

    @Test
    void dropoutOnlyWhileTrainingAndSeeded() {
        Parameters plain = TestData.parameters(40, 8, 16, 3, 6);
        Parameters dropped = new Parameters(new ModelConfig(40, 8, 16, 3, 0.5f, false, 0.3f));
        System.arraycopy(plain.values(), 0, dropped.values(), 0, plain.size());
        Batch batch = TestData.batch(4, 5, 40, 3);
        float[] g = new float[plain.size()];
        try (CpuModel reference = new CpuModel(plain, 4, 5, 1);
             CpuModel a = new CpuModel(dropped, 4, 5, 1, 9);
             CpuModel b = new CpuModel(dropped, 4, 5, 2, 9)) {
            double noDropout = reference.forward(batch);
            double withDropout = a.forwardBackward(batch, g);
            assertNotEquals(noDropout, withDropout);
            assertEquals(withDropout, b.forwardBackward(batch, new float[plain.size()]), 1e-5 * withDropout);
            a.setTraining(false);
            a.resetState();
            reference.resetState();
            assertEquals(reference.forward(batch), a.forward(batch));
        }
    }

    /**
     * The output layer only where asked: the rows at the asked steps are the full pass's rows, bit for bit (each
     * logit is the same sum whatever the block it is computed in), and no other row is handed over; a batch smaller
     * than the engine (as a reused scorer gets) gives the bits of an engine of its own size.
     */
    @Test
    void selectedRowsAndSmallerBatchesGiveTheFullPassBits() {
        int v = 203, lanes = 5, steps = 6;
        Parameters params = TestData.parameters(v, 19, 21, 2, 5);
        Batch batch = TestData.batch(lanes, steps, v, 77);
        java.util.Map<Integer, float[]> full = new java.util.HashMap<>();
        try (CpuModel engine = new CpuModel(params, lanes, steps, 2)) {
            engine.setTraining(false);
            engine.forward(batch, (t, lane, logits, offset) -> full.put(t * lanes + lane,
                    java.util.Arrays.copyOfRange(logits, offset, offset + v)));
        }
        int[] asked = {steps - 1, -1, 2, 0, batch.lengths[4] - 1};
        List<Integer> seen = new ArrayList<>();
        try (CpuModel engine = new CpuModel(params, lanes, steps, 2)) {
            engine.setTraining(false);
            engine.forward(batch, asked, (t, lane, logits, offset) -> {
                assertEquals(asked[lane], t, "lane " + lane);
                assertArrayEquals(full.get(t * lanes + lane), java.util.Arrays.copyOfRange(logits, offset, offset + v));
                seen.add(t * lanes + lane);
            });
            assertEquals(List.of(3, 0 * lanes + 3, 2 * lanes + 2, (batch.lengths[4] - 1) * lanes + 4, (steps - 1) * lanes).stream()
                    .distinct().sorted().toList(), seen, "in position order, none where the step is negative");
            assertThrows(IllegalArgumentException.class, () -> engine.forward(batch, new int[] {steps, -1, -1, -1, -1}, (t, l, z, o) -> {}));
        }
        // The same batch run in an engine with more lanes and steps than it has.
        List<float[]> exact = new ArrayList<>(), bigger = new ArrayList<>();
        try (CpuModel small = new CpuModel(params, lanes, steps, 1); CpuModel large = new CpuModel(params, lanes + 3, steps + 4, 2)) {
            small.setTraining(false);
            large.setTraining(false);
            for (int chunk = 0; chunk < 2; chunk++) {
                Batch b = TestData.batch(lanes, steps, v, 90 + chunk);
                small.forward(b, (t, lane, logits, offset) -> exact.add(java.util.Arrays.copyOfRange(logits, offset, offset + v)));
                large.forward(b, (t, lane, logits, offset) -> bigger.add(java.util.Arrays.copyOfRange(logits, offset, offset + v)));
            }
            assertThrows(IllegalArgumentException.class, () -> small.forward(new Batch(lanes + 1, steps), (t, l, z, o) -> {}));
        }
        assertEquals(exact.size(), bigger.size());
        for (int i = 0; i < exact.size(); i++) assertArrayEquals(exact.get(i), bigger.get(i), "row " + i);
    }
}
