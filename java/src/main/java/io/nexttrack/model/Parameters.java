package io.nexttrack.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Every trainable weight of the model in one flat float array, with named row-major views.
 * One flat buffer keeps Adam, clipping and checkpoints to a single loop (and a single kernel on the GPU).
 *
 * <pre>
 * embedding          [songs, embedding]        row s = the vector of song s
 * lstm{l}.weight     [in_l + hidden, 4*hidden] gates = [x, h_prev] . weight + bias, gate blocks i, f, g, o
 * lstm{l}.bias       [4*hidden]
 * output.weight      [hidden, songs]           logits = h . weight + bias
 * output.bias        [songs]
 * </pre>
 */
public final class Parameters {
    /** A named view into the flat buffer: {@code rows x cols} floats starting at {@code offset}. */
    public record Tensor(String name, int offset, int rows, int cols) {
        public int size() { return rows * cols; }
    }

    private final ModelConfig config;
    private final List<Tensor> tensors;
    private final float[] values;

    public Parameters(ModelConfig config) {
        this.config = config;
        List<Tensor> t = new ArrayList<>();
        int off = 0;
        off = add(t, "embedding", off, config.songs(), config.embedding());
        for (int l = 0; l < config.layers(); l++) {
            off = add(t, "lstm" + l + ".weight", off, config.layerInput(l) + config.hidden(), 4 * config.hidden());
            off = add(t, "lstm" + l + ".bias", off, 1, 4 * config.hidden());
        }
        off = add(t, "output.weight", off, config.hidden(), config.songs());
        off = add(t, "output.bias", off, 1, config.songs());
        this.tensors = Collections.unmodifiableList(t);
        this.values = new float[off];
    }

    private static int add(List<Tensor> t, String name, int off, int rows, int cols) {
        long end = (long) off + (long) rows * cols;
        if (end > Integer.MAX_VALUE - 16) throw new IllegalArgumentException("model too large for one buffer: " + end);
        t.add(new Tensor(name, off, rows, cols));
        return (int) end;
    }

    public ModelConfig config() { return config; }

    public List<Tensor> tensors() { return tensors; }

    public float[] values() { return values; }

    public int size() { return values.length; }

    public Tensor tensor(String name) {
        for (Tensor t : tensors) if (t.name().equals(name)) return t;
        throw new IllegalArgumentException("no tensor " + name);
    }

    public Tensor embedding() { return tensors.get(0); }

    public Tensor lstmWeight(int layer) { return tensors.get(1 + 2 * layer); }

    public Tensor lstmBias(int layer) { return tensors.get(2 + 2 * layer); }

    public Tensor outputWeight() { return tensors.get(tensors.size() - 2); }

    public Tensor outputBias() { return tensors.get(tensors.size() - 1); }

    /**
     * Initialises the weights from {@code seed}: uniform in +-initScale (the seed's TensorFlow model),
     * or Glorot-uniform per tensor when {@code xavier}. Biases start at zero except the LSTM forget
     * gates, which start at 1 so that early training does not forget everything.
     */
    public Parameters initialise(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        for (Tensor t : tensors) {
            boolean bias = t.rows() == 1;
            float scale = config.xavier() ? (float) Math.sqrt(6.0 / (t.rows() + t.cols())) : config.initScale();
            for (int i = 0; i < t.size(); i++) {
                values[t.offset() + i] = bias ? 0f : (float) ((rnd.nextDouble() * 2 - 1) * scale);
            }
        }
        int h = config.hidden();
        for (int l = 0; l < config.layers(); l++) {
            Tensor b = lstmBias(l);
            for (int j = h; j < 2 * h; j++) values[b.offset() + j] = 1f;
        }
        return this;
    }
}
