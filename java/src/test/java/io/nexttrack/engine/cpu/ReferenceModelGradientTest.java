package io.nexttrack.engine.cpu;

import static io.nexttrack.engine.cpu.FiniteDifferences.assertClose;
import static io.nexttrack.engine.cpu.FiniteDifferences.numeric;
import static io.nexttrack.engine.cpu.FiniteDifferences.random;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexttrack.data.Batch;
import io.nexttrack.model.Parameters;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The double-precision reference's analytic gradients against central finite differences, layer by layer. */
class ReferenceModelGradientTest {
    private static final double TOLERANCE = 1e-6;

    @Test
    void lstmLayerWithCarriedStateResetsAndPadding() {
        int in = 3, hd = 4, lanes = 3, steps = 5, n = lanes * steps;
        SplittableRandom rnd = new SplittableRandom(11);
        int wSize = (in + hd) * 4 * hd, bOff = wSize;
        double[] p = random(rnd, wSize + 4 * hd, 0.7);
        double[] x = random(rnd, n * in, 1.0);
        double[] h0 = random(rnd, lanes * hd, 0.8), c0 = random(rnd, lanes * hd, 0.8);
        double[] r = random(rnd, n * hd, 1.0); // loss = sum(out * r): any upstream gradient
        Batch batch = TestData.batch(lanes, steps, 5, 3);

        ToDoubleFunction<double[]> lossOfWeights = w -> lstmLoss(w, bOff, in, hd, batch, x, h0, c0, r);
        ToDoubleFunction<double[]> lossOfInput = xs -> lstmLoss(p, bOff, in, hd, batch, xs, h0, c0, r);

        ReferenceModel.Lstm layer = new ReferenceModel.Lstm(p, 0, bOff, in, hd);
        layer.forward(batch, x, h0.clone(), c0.clone());
        double[] grad = new double[p.length];
        double[] dx = layer.backward(batch, r, grad, 0, bOff);

        assertClose("lstm weight", grad, numeric(p, 0, wSize, lossOfWeights), 0, wSize, TOLERANCE);
        assertClose("lstm bias", grad, numeric(p, bOff, 4 * hd, lossOfWeights), bOff, 4 * hd, TOLERANCE);
        assertClose("lstm input", dx, numeric(x, 0, n * in, lossOfInput), 0, n * in, TOLERANCE);
    }

    private static double lstmLoss(double[] p, int bOff, int in, int hd, Batch batch, double[] x, double[] h0, double[] c0, double[] r) {
        double[] out = new ReferenceModel.Lstm(p, 0, bOff, in, hd).forward(batch, x, h0.clone(), c0.clone());
        double s = 0;
        for (int i = 0; i < out.length; i++) s += out[i] * r[i];
        return s;
    }

    @Test
    void outputLayerWithPadTargets() {
        int hd = 4, v = 7, n = 9;
        SplittableRandom rnd = new SplittableRandom(5);
        double[] p = random(rnd, hd * v + v, 0.9);
        double[] h = random(rnd, n * hd, 1.0);
        int[] targets = new int[n];
        for (int i = 0; i < n; i++) targets[i] = i % 3 == 1 ? Batch.PAD : rnd.nextInt(v);
        double scale = 1.0 / 6;
        double[] grad = new double[p.length], dh = new double[h.length];
        ReferenceModel.outputLoss(p, 0, hd * v, hd, v, h, targets, scale, grad, dh);

        ToDoubleFunction<double[]> lossOfWeights = w -> scale * ReferenceModel.outputLoss(w, 0, hd * v, hd, v, h, targets, 0, null, null);
        ToDoubleFunction<double[]> lossOfHidden = hs -> scale * ReferenceModel.outputLoss(p, 0, hd * v, hd, v, hs, targets, 0, null, null);
        assertClose("output weight", grad, numeric(p, 0, hd * v, lossOfWeights), 0, hd * v, TOLERANCE);
        assertClose("output bias", grad, numeric(p, hd * v, v, lossOfWeights), hd * v, v, TOLERANCE);
        double[] numericDh = numeric(h, 0, h.length, lossOfHidden);
        assertClose("output hidden", dh, numericDh, 0, h.length, TOLERANCE);
        for (int i = 0; i < n; i++) {
            if (targets[i] != Batch.PAD) continue;
            for (int j = 0; j < hd; j++) assertTrue(dh[i * hd + j] == 0 && Math.abs(numericDh[i * hd + j]) < 1e-12, "PAD row has a gradient");
        }
    }

    /** With dropout, masks fixed (as in one training step) at every site on the second chunk: the masked model's gradient. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void wholeModelOnSecondChunkEveryTensor(boolean dropout) {
        Parameters params = TestData.parameters(7, 3, 4, 2, 42);
        ReferenceModel model = new ReferenceModel(params);
        double[] p = TestData.toDouble(params.values());
        ReferenceModel.State state = new ReferenceModel.State(2, 3, 4);
        model.run(p, TestData.batch(3, 5, 7, 1), state, null); // first chunk: leaves a non-zero carried state
        Batch second = TestData.batch(3, 5, 7, 2);
        ReferenceModel.State carried = state.copy();
        if (dropout) model.masks = TestData.dropoutMasks(params.config(), 15, 0.4f, 5);

        double[] grad = new double[p.length];
        double loss = model.run(p, second, state.copy(), grad);
        assertTrue(loss > 0);
        double[] num = numeric(p, 0, p.length, w -> model.run(w, second, carried.copy(), null) / second.positions);
        for (Parameters.Tensor t : params.tensors()) assertClose(t.name(), grad, num, t.offset(), t.size(), TOLERANCE);
    }
}
