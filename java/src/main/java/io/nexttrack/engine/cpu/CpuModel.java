package io.nexttrack.engine.cpu;

import io.nexttrack.data.Batch;
import io.nexttrack.engine.Candidates;
import io.nexttrack.engine.Sampling;
import io.nexttrack.engine.Workspace;
import io.nexttrack.io.HeapCheck;
import io.nexttrack.model.ModelConfig;
import io.nexttrack.model.Parameters;
import io.nexttrack.optim.SparseGradient;
import java.util.Arrays;

/**
 * The model on the CPU, what its training engine and its scorer share (the twin of the GPU's {@code GpuModel}):
 * embedding -> stacked LSTMs ({@link CpuLstmLayer}) -> linear -> softmax cross-entropy ({@link CpuOutputLayer}) over
 * time-major chunks of {@code lanes x steps} positions, with the LSTM state carried from chunk to chunk
 * (truncated backpropagation through time). Weights are read live from {@link Parameters#values()}.
 * Workspaces are allocated once here; a step allocates nothing large.
 *
 * <p>Carried state layout ({@link #state()}): for each layer l, h [lanes, H] then c [lanes, H],
 * i.e. offset {@code (2 l + 0|1) * lanes * H + lane * H}.
 *
 * <p>Not thread-safe: one caller at a time. Real positions are those with {@code t < lengths[lane]}
 * ({@link Batch}); the loss sums over all of them, and training normalises it by their number
 * ({@code batch.positions}). Padding is never read. Songs are checked ({@link Batch#checkSongs}) before use.
 *
 * <p>Dropout ({@link ModelConfig#dropout()}) applies to every connection that does not recur (Zaremba et al. 2014): the
 * song embeddings entering the first layer, the output of each layer entering the next, and the top layer's output
 * entering the softmax; in every pass while {@link #setTraining training} is on (the default), never when it is off.
 * The masks are drawn in that order, position by position ({@link DropoutSites}).
 */
public final class CpuModel implements AutoCloseable {
    /** Receives the raw logits of one position: {@code logits[offset, offset + V)}. */
    public interface LogitsSink {
        void accept(int t, int lane, float[] logits, int offset);
    }

    private final Parameters params;
    private final ModelConfig config;
    private final int lanes;
    private final int steps;
    private final int positions;
    private final WorkerPool pool;
    private final CpuLstmLayer[] layers;
    private final CpuOutputLayer output;
    /** The sampled loss's output layer, when training with it (else null). */
    private final CpuSampledOutputLayer sampled;
    private final Dropout dropout;
    /** The dropout masks of this step, null without dropout (then {@code dropout.active} is never true). */
    private final DropoutSites.Masks masks;
    /** [positions, H]: gradient w.r.t. the top layer's output (zero at padding). */
    private final float[] dTop;
    /** Position of each row gathered into the output layer. */
    private final int[] rowPosition;
    private boolean training = true;

    public CpuModel(Parameters params, int lanes, int steps, int threads) {
        this(params, lanes, steps, threads, 0L);
    }

    public CpuModel(Parameters params, int lanes, int steps, int threads, long seed) {
        this(params, lanes, steps, threads, seed, null);
    }

    /** With {@code sampling}, also the sampled loss's layer ({@link #forwardBackward(Batch, SparseGradient, Candidates)}). */
    public CpuModel(Parameters params, int lanes, int steps, int threads, long seed, Sampling sampling) {
        if (lanes < 1 || steps < 1) throw new IllegalArgumentException("lanes and steps must be positive");
        Workspace needs = workspace(params.config(), lanes, steps, sampling == null ? -1 : sampling.samples());
        if (needs.largestArray() > Workspace.MAX_ARRAY) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "%d lanes x %d steps needs a buffer of %,d "
                    + "elements, more than one Java array holds", lanes, steps, needs.largestArray()));
        }
        HeapCheck.require(needs.bytes(), "the CPU engine's workspace", String.format(java.util.Locale.ROOT,
                "%d lanes x %d steps, hidden %d, %d layers, %,d songs", lanes, steps, params.config().hidden(),
                params.config().layers(), params.config().songs()));
        this.params = params;
        this.config = params.config();
        this.lanes = lanes;
        this.steps = steps;
        this.positions = lanes * steps;
        int hidden = config.hidden();
        this.layers = new CpuLstmLayer[config.layers()];
        for (int l = 0; l < layers.length; l++) layers[l] = new CpuLstmLayer(config.layerInput(l), hidden, lanes, steps);
        this.output = new CpuOutputLayer(hidden, config.songs(), positions);
        this.sampled = sampling == null ? null
                : new CpuSampledOutputLayer(hidden, config.songs(), sampling.maxCandidates(positions), positions);
        this.dropout = new Dropout(config.dropout(), seed);
        this.masks = config.dropout() > 0 ? DropoutSites.of(config, positions).allocate() : null;
        this.dTop = new float[positions * hidden];
        this.rowPosition = new int[positions];
        this.pool = new WorkerPool(threads);
    }

    /**
     * What an engine for {@code config} at {@code lanes x steps} allocates, before allocating it: the layers'
     * workspaces, the output layer's, and the engine's own buffers (see {@link Workspace}).
     */
    public static Workspace workspace(ModelConfig config, int lanes, int steps) {
        return workspace(config, lanes, steps, -1);
    }

    /**
     * {@link #workspace(ModelConfig, int, int)} of an engine that trains with the sampled loss of {@code samples} draws
     * per chunk (negative: the full softmax): the sampled layer's buffers instead of the full layer's W^T (the full
     * layer only scores).
     */
    public static Workspace workspace(ModelConfig config, int lanes, int steps, int samples) {
        boolean sampling = samples >= 0;
        long positions = (long) lanes * steps, hidden = config.hidden();
        Workspace w = Workspace.NONE;
        for (int l = 0; l < config.layers(); l++) w = w.plus(CpuLstmLayer.workspace(config.layerInput(l), hidden, lanes, steps));
        if (positions > Integer.MAX_VALUE) return w.plus(Workspace.floats(positions * hidden)); // too large in any case
        w = w.plus(CpuOutputLayer.workspace(config.hidden(), config.songs(), (int) positions, !sampling));
        if (sampling) {
            w = w.plus(CpuSampledOutputLayer.workspace(config.hidden(), Sampling.maxCandidates(config.songs(), samples, (int) positions),
                    (int) positions));
        }
        if (config.dropout() > 0) w = w.plus(Workspace.floats(DropoutSites.of(config, positions).floats()));
        return w.plus(Workspace.floats(positions * hidden)).plus(Workspace.ints(positions));
    }

    public void setTraining(boolean training) { this.training = training; }

    public boolean isTraining() { return training; }

    /** Restarts the dropout masks' random stream at {@code stream} (the training step), for exact resumes. */
    public void restartDropout(long stream) { dropout.restart(stream); }

    /**
     * One training step on {@code batch}: returns the summed cross-entropy (nats) over its real positions
     * and overwrites {@code grads} with the gradient of (sum / real positions).
     */
    public double forwardBackward(Batch batch, float[] grads) {
        check(batch, true);
        if (grads.length != params.size()) throw new IllegalArgumentException("grads has " + grads.length + " floats, parameters " + params.size());
        float[] p = params.values();
        Arrays.fill(grads, 0f);
        forwardLayers(batch, p);
        int rows = gatherRows(batch, null);
        if (rows == 0) return 0;
        Parameters.Tensor w = params.outputWeight(), b = params.outputBias();
        double loss = output.loss(p, w.offset(), b.offset(), rows, grads, w.offset(), b.offset(), 1f / rows, pool);

        float[] dOut = backwardLayers(batch, p, rows, grads, 0);
        scatterEmbeddingGradient(batch, dOut, config.embedding(), grads, params.embedding().offset());
        return loss;
    }

    /**
     * Backpropagates the output layer's gradient w.r.t. its {@code rows} hidden rows ({@code output.dHidden}) through
     * the LSTM layers, top down, adding their weight and bias gradients to {@code g}, where each tensor sits
     * {@code shift} floats before its offset in the parameters; returns the gradient of the first layer's input (the
     * embedding rows, position by position).
     */
    private float[] backwardLayers(Batch batch, float[] p, int rows, float[] g, int shift) {
        int hidden = config.hidden();
        Arrays.fill(dTop, 0f);
        for (int r = 0; r < rows; r++) System.arraycopy(output.dHidden, r * hidden, dTop, rowPosition[r] * hidden, hidden);
        boolean drop = dropout.active(training);
        if (drop) multiply(dTop, masks.output(), positions * hidden);
        float[] dOut = dTop;
        for (int l = layers.length - 1; l >= 0; l--) {
            CpuLstmLayer layer = layers[l];
            Parameters.Tensor lw = params.lstmWeight(l), lb = params.lstmBias(l);
            layer.backward(p, lw.offset(), g, lw.offset() - shift, lb.offset() - shift, dOut, true, batch, pool);
            dOut = layer.dInput;
            if (drop) multiply(dOut, masks.input(l), positions * config.layerInput(l));
        }
        return dOut;
    }

    /**
     * One training step of the sampled loss on {@code batch}, whose candidate set {@code c} was made for it
     * ({@link Candidates#prepare}): returns the summed sampled cross-entropy (nats) over its real positions and fills
     * {@code grads} with the gradient of (sum / real positions). {@code grads} must have been laid out for the chunk:
     * its dense range the LSTM tensors, then three blocks, the embedding rows of {@code c.inputs()}, the output weights'
     * and the output bias's columns {@code c.columns()}, {@link SparseGradient#arrange arranged} (zeroed).
     */
    public double forwardBackward(Batch batch, SparseGradient grads, Candidates c) {
        if (sampled == null) throw new IllegalStateException("this model was made without the sampled loss");
        check(batch, true);
        float[] p = params.values();
        forwardLayers(batch, p);
        int rows = gatherRows(batch, null);
        if (rows == 0) return 0;
        for (int r = 0; r < rows; r++) sampled.targets[r] = c.targetColumn()[rowPosition[r]];
        SparseGradient.Block emb = grads.blocks().get(0), w = grads.blocks().get(1), b = grads.blocks().get(2);
        Parameters.Tensor wt = params.outputWeight(), bt = params.outputBias();
        double loss = sampled.loss(p, wt.offset(), bt.offset(), c, output.hidden, output.dHidden, sampled.targets, rows, grads.values,
                w.offset(), b.offset(), 1f / rows, pool);
        float[] dOut = backwardLayers(batch, p, rows, grads.values, grads.denseOffset());
        // The embedding rows of the chunk's input songs, added in position order: the dense scatter's additions.
        int dim = config.embedding();
        float[] g = grads.values;
        for (int pos = 0; pos < batch.lanes * batch.steps; pos++) {
            if (pos / batch.lanes >= batch.lengths[pos % batch.lanes]) continue;
            int dst = emb.offset() + c.inputRow()[pos] * dim, src = pos * dim;
            for (int j = 0; j < dim; j++) g[dst + j] += dOut[src + j];
        }
        return loss;
    }

    /**
     * The compact gradient of the sampled loss for this model's parameters ({@code optim.SparseGradient}): dense over
     * the LSTM tensors, then the embedding's rows, the output weights' columns and the output bias's columns, with room
     * for chunks of {@code positions} positions and {@code maxCandidates} candidates.
     */
    public static SparseGradient sparseGradient(Parameters params, int positions, int maxCandidates) {
        Parameters.Tensor first = params.lstmWeight(0), w = params.outputWeight(), b = params.outputBias();
        ModelConfig c = params.config();
        int dense = w.offset() - first.offset();
        long capacity = sparseGradientCapacity(c, positions, maxCandidates);
        if (capacity > Workspace.MAX_ARRAY) throw new IllegalArgumentException("the sampled gradient needs " + capacity + " floats");
        return new SparseGradient(first.offset(), dense, java.util.List.of(
                SparseGradient.Block.rows("embedding", params.embedding().offset(), c.embedding()),
                SparseGradient.Block.columns("output.weight", w.offset(), c.hidden(), c.songs()),
                SparseGradient.Block.columns("output.bias", b.offset(), 1, c.songs())), (int) capacity);
    }

    /** Floats of {@link #sparseGradient}'s buffer. */
    public static long sparseGradientCapacity(ModelConfig c, long positions, long maxCandidates) {
        long dense = c.parameterCount() - (long) c.songs() * c.embedding() - (long) c.hidden() * c.songs() - c.songs();
        return dense + positions * c.embedding() + maxCandidates * (c.hidden() + 1);
    }

    /** The forward pass alone, carrying state; returns the summed cross-entropy over the real positions. */
    public double forward(Batch batch) {
        check(batch, true);
        float[] p = params.values();
        forwardLayers(batch, p);
        int rows = gatherRows(batch, null);
        if (rows == 0) return 0;
        Parameters.Tensor w = params.outputWeight(), b = params.outputBias();
        return output.loss(p, w.offset(), b.offset(), rows, null, 0, 0, 0f, pool);
    }

    /** The forward pass, handing the raw logits of every real position ({@code t < lengths[lane]}) to {@code sink}. */
    public void forward(Batch batch, LogitsSink sink) {
        forward(batch, null, sink);
    }

    /**
     * The forward pass through the LSTM layers at every position, and through the output layer only at step
     * {@code steps[lane]} of each lane with {@code steps[lane] >= 0} (every real position when {@code steps} is null),
     * in position order: the logits cost V * H multiply-adds per position, the LSTM about 8 H^2 per layer, so
     * recommendations, which need the last position of each history only, skip most of the work.
     * The batch may have fewer lanes or steps than the engine (see {@link CpuLstmLayer#forward}).
     */
    public void forward(Batch batch, int[] steps, LogitsSink sink) {
        check(batch, false);
        if (steps != null) {
            if (steps.length != batch.lanes) throw new IllegalArgumentException(steps.length + " steps for " + batch.lanes + " lanes");
            for (int b = 0; b < batch.lanes; b++) {
                if (steps[b] >= batch.lengths[b]) throw new IllegalArgumentException("step " + steps[b] + " of lane " + b + " is not real");
            }
        }
        float[] p = params.values();
        forwardLayers(batch, p);
        int rows = gatherRows(batch, steps);
        Parameters.Tensor w = params.outputWeight(), b = params.outputBias();
        int n = batch.lanes;
        output.logits(p, w.offset(), b.offset(), rows, (row, logits, offset) -> {
            int pos = rowPosition[row];
            sink.accept(pos / n, pos % n, logits, offset);
        }, pool);
    }

    public void resetState() {
        for (CpuLstmLayer layer : layers) layer.resetState();
    }

    /** A copy of the carried state; layout in the class comment. */
    public float[] state() {
        int n = lanes * config.hidden();
        float[] s = new float[2 * layers.length * n];
        for (int l = 0; l < layers.length; l++) {
            System.arraycopy(layers[l].h, 0, s, 2 * l * n, n);
            System.arraycopy(layers[l].c, 0, s, (2 * l + 1) * n, n);
        }
        return s;
    }

    public void setState(float[] state) {
        int n = lanes * config.hidden();
        if (state.length != 2 * layers.length * n) throw new IllegalArgumentException("state must have " + 2 * layers.length * n + " floats");
        for (int l = 0; l < layers.length; l++) {
            System.arraycopy(state, 2 * l * n, layers[l].h, 0, n);
            System.arraycopy(state, (2 * l + 1) * n, layers[l].c, 0, n);
        }
    }

    public int lanes() { return lanes; }

    /** The worker threads (the training engine runs lazy Adam on them). */
    WorkerPool pool() { return pool; }

    public int steps() { return steps; }

    @Override
    public void close() { pool.close(); }

    /** Training takes batches of the engine's shape; the forward pass alone also smaller ones. */
    private void check(Batch batch, boolean training) {
        if (training ? batch.lanes != lanes || batch.steps != steps : batch.lanes > lanes || batch.steps > steps) {
            throw new IllegalArgumentException("batch is " + batch.lanes + "x" + batch.steps + ", engine " + lanes + "x" + steps);
        }
        batch.checkSongs(config.songs(), training);
    }

    /**
     * Row {@code pos} of {@code out} (rows {@code width} floats apart) = the embedding of the input at real
     * position {@code pos}, zeros at padding. Twin of the GPU kernel nt_embedding_gather.
     */
    public static void gatherEmbedding(Batch batch, float[] table, int tableOff, int dim, float[] out, int width) {
        for (int pos = 0; pos < batch.lanes * batch.steps; pos++) {
            if (pos / batch.lanes < batch.lengths[pos % batch.lanes]) {
                System.arraycopy(table, tableOff + batch.inputs[pos] * dim, out, pos * width, dim);
            } else {
                Arrays.fill(out, pos * width, pos * width + dim, 0f);
            }
        }
    }

    private void forwardLayers(Batch batch, float[] p) {
        int hidden = config.hidden(), positions = batch.lanes * batch.steps;
        CpuLstmLayer first = layers[0];
        gatherEmbedding(batch, p, params.embedding().offset(), config.embedding(), first.xh, first.width);
        boolean drop = dropout.active(training);
        if (drop) masks.draw(dropout);
        for (int l = 0; l < layers.length; l++) {
            CpuLstmLayer layer = layers[l];
            int in = config.layerInput(l);
            float[] below = l == 0 ? first.xh : layers[l - 1].out;
            int belowWidth = l == 0 ? first.width : hidden;
            if (l > 0 || drop) {
                for (int pos = 0; pos < positions; pos++) {
                    int src = pos * belowWidth, dst = pos * layer.width;
                    if (drop) {
                        float[] mask = masks.input(l);
                        for (int j = 0; j < in; j++) layer.xh[dst + j] = below[src + j] * mask[pos * in + j];
                    } else {
                        System.arraycopy(below, src, layer.xh, dst, in);
                    }
                }
            }
            layer.forward(p, params.lstmWeight(l).offset(), params.lstmBias(l).offset(), batch, pool);
        }
    }

    /**
     * Copies the top layer's output into the output layer's rows: at every real position, or with {@code steps}
     * only at step {@code steps[lane]} of each lane (none where it is negative).
     */
    private int gatherRows(Batch batch, int[] steps) {
        int hidden = config.hidden(), lanes = batch.lanes, positions = lanes * batch.steps;
        float[] top = layers[layers.length - 1].out;
        float[] topMask = dropout.active(training) ? masks.output() : null; // drawn by the forward pass just made
        int rows = 0;
        for (int pos = 0; pos < positions; pos++) {
            int t = pos / lanes, lane = pos % lanes;
            if (steps == null ? t >= batch.lengths[lane] : t != steps[lane]) continue;
            rowPosition[rows] = pos;
            output.targets[rows] = batch.targets[pos];
            System.arraycopy(top, pos * hidden, output.hidden, rows * hidden, hidden);
            if (topMask != null) for (int j = 0; j < hidden; j++) output.hidden[rows * hidden + j] *= topMask[pos * hidden + j];
            rows++;
        }
        return rows;
    }

    /**
     * Adds row {@code pos} of {@code dRows} ({@code [positions, dim]}) into the embedding gradient of the input
     * song at every real position, positions in ascending order. Twin of the GPU kernel nt_embedding_grad.
     */
    public static void scatterEmbeddingGradient(Batch batch, float[] dRows, int dim, float[] grads, int tableOff) {
        for (int pos = 0; pos < batch.lanes * batch.steps; pos++) {
            if (pos / batch.lanes >= batch.lengths[pos % batch.lanes]) continue;
            int dst = tableOff + batch.inputs[pos] * dim, src = pos * dim;
            for (int j = 0; j < dim; j++) grads[dst + j] += dRows[src + j];
        }
    }

    private static void multiply(float[] a, float[] mask, int n) {
        for (int i = 0; i < n; i++) a[i] *= mask[i];
    }
}
