package io.nexttrack.engine.cpu;

import io.nexttrack.data.Batch;
import io.nexttrack.model.ModelConfig;
import io.nexttrack.model.Parameters;

/**
 * The model written plainly in double precision, one position at a time: the readable specification
 * the fast float engine is checked against (and itself checked against finite differences).
 * Uses the parameter layout of {@link Parameters}; dropout only with given masks ({@link #masks}).
 */
final class ReferenceModel {
    final ModelConfig config;
    final Parameters layout;
    /**
     * Fixed dropout masks, one per site in {@link DropoutSites}' order (each LSTM layer's input, then the top output),
     * multiplied into those values; null: no dropout.
     */
    double[][] masks;

    ReferenceModel(Parameters layout) {
        this.layout = layout;
        this.config = layout.config();
    }

    /** Carried LSTM state: h[l] and c[l] are [lanes, H]. */
    static final class State {
        final double[][] h;
        final double[][] c;

        State(int layers, int lanes, int hidden) {
            h = new double[layers][lanes * hidden];
            c = new double[layers][lanes * hidden];
        }

        State copy() {
            State s = new State(h.length, 1, 1);
            for (int l = 0; l < h.length; l++) {
                s.h[l] = h[l].clone();
                s.c[l] = c[l].clone();
            }
            return s;
        }
    }

    /**
     * Sum of cross-entropy over the real positions (t < lengths[lane]); updates {@code state} to the final
     * state; if {@code grad} is not null, overwrites it with the gradient of (sum / real positions).
     */
    double run(double[] p, Batch batch, State state, double[] grad) {
        return run(p, batch, state, grad, null, 0, null);
    }

    /**
     * {@link #run} with the sampled loss over the candidates {@code columns[0, count)} (ascending) with their logit
     * corrections (see {@link #sampledOutputLoss}); with {@code columns} null, the full softmax.
     */
    double run(double[] p, Batch batch, State state, double[] grad, int[] columns, int count, double[] correction) {
        int n = batch.lanes * batch.steps, e = config.embedding(), hd = config.hidden();
        if (grad != null) java.util.Arrays.fill(grad, 0);
        double[] x = new double[n * e];
        int embOff = layout.embedding().offset();
        for (int pos = 0; pos < n; pos++) {
            for (int j = 0; j < e; j++) x[pos * e + j] = p[embOff + batch.inputs[pos] * e + j];
        }
        Lstm[] lstm = new Lstm[config.layers()];
        double[] input = x;
        for (int l = 0; l < lstm.length; l++) {
            lstm[l] = new Lstm(p, layout.lstmWeight(l).offset(), layout.lstmBias(l).offset(), config.layerInput(l), hd);
            input = lstm[l].forward(batch, masked(input, l), state.h[l], state.c[l]);
        }
        input = masked(input, lstm.length);
        int scored = 0;
        for (int b = 0; b < batch.lanes; b++) scored += batch.lengths[b]; // padding's targets are PAD: outputLoss skips them
        double[] dh = grad == null ? null : new double[n * hd];
        int[] targets = batch.targets.clone();
        for (int pos = 0; pos < n; pos++) if (pos / batch.lanes >= batch.lengths[pos % batch.lanes]) targets[pos] = Batch.PAD;
        double loss = columns == null
                ? outputLoss(p, layout.outputWeight().offset(), layout.outputBias().offset(), hd, config.songs(), input, targets,
                        scored == 0 ? 0 : 1.0 / scored, grad, dh)
                : sampledOutputLoss(p, layout.outputWeight().offset(), layout.outputBias().offset(), hd, config.songs(), input,
                        targets, columns, count, correction, scored == 0 ? 0 : 1.0 / scored, grad, dh);
        if (grad == null) return loss;
        double[] dOut = masked(dh, lstm.length);
        for (int l = lstm.length - 1; l >= 0; l--) {
            dOut = masked(lstm[l].backward(batch, dOut, grad, layout.lstmWeight(l).offset(), layout.lstmBias(l).offset()), l);
        }
        for (int pos = 0; pos < n; pos++) {
            if (pos / batch.lanes >= batch.lengths[pos % batch.lanes]) continue;
            for (int j = 0; j < e; j++) grad[embOff + batch.inputs[pos] * e + j] += dOut[pos * e + j];
        }
        return loss;
    }

    /** {@code values} times the mask of dropout site {@code site} (a copy), or {@code values} without masks. */
    private double[] masked(double[] values, int site) {
        if (masks == null) return values;
        double[] out = new double[values.length];
        for (int i = 0; i < out.length; i++) out[i] = values[i] * masks[site][i];
        return out;
    }

    /**
     * Sum over positions with target != PAD of -log softmax(h . W + b)[target]; adds scale times its
     * gradient into grad (W at wOff, b at bOff) and writes the gradient w.r.t. h into dh.
     */
    static double outputLoss(double[] p, int wOff, int bOff, int hd, int v, double[] h, int[] targets, double scale,
                             double[] grad, double[] dh) {
        double loss = 0;
        double[] z = new double[v];
        for (int pos = 0; pos < targets.length; pos++) {
            if (targets[pos] == Batch.PAD) continue;
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < v; k++) {
                double s = p[bOff + k];
                for (int j = 0; j < hd; j++) s += h[pos * hd + j] * p[wOff + j * v + k];
                z[k] = s;
                max = Math.max(max, s);
            }
            double sum = 0;
            for (int k = 0; k < v; k++) sum += Math.exp(z[k] - max);
            double lse = max + Math.log(sum);
            loss += lse - z[targets[pos]];
            if (grad == null) continue;
            for (int k = 0; k < v; k++) {
                double dz = scale * (Math.exp(z[k] - lse) - (k == targets[pos] ? 1 : 0));
                grad[bOff + k] += dz;
                for (int j = 0; j < hd; j++) {
                    grad[wOff + j * v + k] += h[pos * hd + j] * dz;
                    dh[pos * hd + j] += p[wOff + j * v + k] * dz;
                }
            }
        }
        return loss;
    }

    /**
     * The sampled softmax cross-entropy, written out: for each position with a target, the logits of the candidate
     * songs {@code c = columns[j]} are {@code z_j = h . W[:, c] + b[c] + correction[j]}; the target's column t is the
     * positive and every other candidate a negative (a candidate equal to the target is the positive, never also a
     * negative: the accidental hit masked), loss = -z_t + log(e^z_t + sum over the negatives of e^z_j). Adds scale
     * times its gradient into grad (W's columns at wOff, b's entries at bOff, in the dense layout) and writes dh.
     */
    static double sampledOutputLoss(double[] p, int wOff, int bOff, int hd, int v, double[] h, int[] targets, int[] columns,
                                    int count, double[] correction, double scale, double[] grad, double[] dh) {
        double loss = 0;
        double[] z = new double[count];
        for (int pos = 0; pos < targets.length; pos++) {
            if (targets[pos] == Batch.PAD) continue;
            int t = -1;
            for (int j = 0; j < count; j++) if (columns[j] == targets[pos]) t = j;
            if (t < 0) throw new AssertionError("target " + targets[pos] + " is not a candidate");
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < count; j++) {
                double s = p[bOff + columns[j]] + correction[j];
                for (int k = 0; k < hd; k++) s += h[pos * hd + k] * p[wOff + k * v + columns[j]];
                z[j] = s;
                max = Math.max(max, s);
            }
            double sum = Math.exp(z[t] - max);
            for (int j = 0; j < count; j++) if (j != t) sum += Math.exp(z[j] - max); // the negatives: every candidate but the target
            double lse = max + Math.log(sum);
            loss += lse - z[t];
            if (grad == null) continue;
            for (int j = 0; j < count; j++) {
                double dz = scale * (Math.exp(z[j] - lse) - (j == t ? 1 : 0));
                grad[bOff + columns[j]] += dz;
                for (int k = 0; k < hd; k++) {
                    grad[wOff + k * v + columns[j]] += h[pos * hd + k] * dz;
                    dh[pos * hd + k] += p[wOff + k * v + columns[j]] * dz;
                }
            }
        }
        return loss;
    }

    /** One LSTM layer, forward keeping what backward needs. */
    static final class Lstm {
        final double[] p;
        final int wOff, bOff, in, hd;
        int lanes, steps;
        double[] x, hPrev, cPrev, gi, gf, gg, go, cell;

        Lstm(double[] p, int wOff, int bOff, int in, int hd) {
            this.p = p;
            this.wOff = wOff;
            this.bOff = bOff;
            this.in = in;
            this.hd = hd;
        }

        private double w(int row, int col) { return p[wOff + row * 4 * hd + col]; }

        /** Returns the output [n, H]; {@code h}, {@code c} ([lanes, H]) carry the state in and out. */
        double[] forward(Batch batch, double[] input, double[] h, double[] c) {
            lanes = batch.lanes;
            steps = batch.steps;
            int n = lanes * steps;
            x = input;
            hPrev = new double[n * hd];
            cPrev = new double[n * hd];
            gi = new double[n * hd];
            gf = new double[n * hd];
            gg = new double[n * hd];
            go = new double[n * hd];
            cell = new double[n * hd];
            double[] out = new double[n * hd];
            for (int t = 0; t < steps; t++) {
                for (int b = 0; b < lanes; b++) {
                    int pos = t * lanes + b;
                    if (t >= batch.lengths[b]) continue;
                    if (batch.resets[pos] != 0) {
                        for (int j = 0; j < hd; j++) h[b * hd + j] = c[b * hd + j] = 0;
                    }
                    for (int j = 0; j < hd; j++) {
                        hPrev[pos * hd + j] = h[b * hd + j];
                        cPrev[pos * hd + j] = c[b * hd + j];
                    }
                    for (int j = 0; j < hd; j++) {
                        double[] z = new double[4];
                        for (int q = 0; q < 4; q++) {
                            int col = q * hd + j;
                            double s = p[bOff + col];
                            for (int i = 0; i < in; i++) s += x[pos * in + i] * w(i, col);
                            for (int i = 0; i < hd; i++) s += hPrev[pos * hd + i] * w(in + i, col);
                            z[q] = s;
                        }
                        int k = pos * hd + j;
                        gi[k] = sigmoid(z[0]);
                        gf[k] = sigmoid(z[1]);
                        gg[k] = Math.tanh(z[2]);
                        go[k] = sigmoid(z[3]);
                        cell[k] = gf[k] * cPrev[k] + gi[k] * gg[k];
                        out[k] = go[k] * Math.tanh(cell[k]);
                    }
                    for (int j = 0; j < hd; j++) {
                        h[b * hd + j] = out[pos * hd + j];
                        c[b * hd + j] = cell[pos * hd + j];
                    }
                }
            }
            return out;
        }

        /** Adds the weight and bias gradients into grad and returns the gradient w.r.t. the input [n, in]. */
        double[] backward(Batch batch, double[] dOut, double[] grad, int gwOff, int gbOff) {
            int n = lanes * steps;
            double[] dx = new double[n * in];
            double[] dhNext = new double[lanes * hd], dcNext = new double[lanes * hd];
            double[] dz = new double[4 * hd];
            for (int t = steps - 1; t >= 0; t--) {
                for (int b = 0; b < lanes; b++) {
                    int pos = t * lanes + b;
                    if (t >= batch.lengths[b]) continue;
                    for (int j = 0; j < hd; j++) {
                        int k = pos * hd + j;
                        double tc = Math.tanh(cell[k]);
                        double dh = dOut[k] + dhNext[b * hd + j];
                        double dc = dcNext[b * hd + j] + dh * go[k] * (1 - tc * tc);
                        dz[j] = dc * gg[k] * gi[k] * (1 - gi[k]);
                        dz[hd + j] = dc * cPrev[k] * gf[k] * (1 - gf[k]);
                        dz[2 * hd + j] = dc * gi[k] * (1 - gg[k] * gg[k]);
                        dz[3 * hd + j] = dh * tc * go[k] * (1 - go[k]);
                        dcNext[b * hd + j] = dc * gf[k];
                    }
                    for (int col = 0; col < 4 * hd; col++) {
                        grad[gbOff + col] += dz[col];
                        for (int i = 0; i < in; i++) grad[gwOff + i * 4 * hd + col] += x[pos * in + i] * dz[col];
                        for (int i = 0; i < hd; i++) grad[gwOff + (in + i) * 4 * hd + col] += hPrev[pos * hd + i] * dz[col];
                    }
                    for (int i = 0; i < in; i++) {
                        double s = 0;
                        for (int col = 0; col < 4 * hd; col++) s += w(i, col) * dz[col];
                        dx[pos * in + i] = s;
                    }
                    for (int i = 0; i < hd; i++) {
                        double s = 0;
                        for (int col = 0; col < 4 * hd; col++) s += w(in + i, col) * dz[col];
                        dhNext[b * hd + i] = batch.resets[pos] != 0 ? 0 : s;
                    }
                    if (batch.resets[pos] != 0) for (int j = 0; j < hd; j++) dcNext[b * hd + j] = 0;
                }
            }
            return dx;
        }

        private static double sigmoid(double z) { return 1 / (1 + Math.exp(-z)); }
    }
}
