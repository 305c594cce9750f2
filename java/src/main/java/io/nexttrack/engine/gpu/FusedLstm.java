package io.nexttrack.engine.gpu;

import io.nexttrack.data.Batch;
import io.nexttrack.data.Batcher;
import io.nexttrack.model.Parameters;
import java.util.Optional;

/**
 * Our LSTM kernels ({@link KernelCatalog#LSTM_FORWARD}, {@link KernelCatalog#LSTM_BACKWARD}) on the lanes layout, resets inside
 * a chunk included: per layer, the input half of the gates for all positions is one cuBLAS GEMM, the recurrence is
 * one kernel, and backward forms the weight, bias and input gradients with four GEMMs, as the kernel
 * contract describes. Same layout and arithmetic as the CPU engine's {@code CpuLstmLayer}.
 */
final class FusedLstm extends GpuLstm {
    private final DeviceBuffer[] gates, hPrev, cPrev, tanhC, out;
    private final DeviceBuffer dA, dB;
    /** With dropout: the masks, each layer's masked input and the masked top output; else null. */
    private final DropoutMasks masks;
    private final DeviceBuffer[] dropped;
    private final DeviceBuffer droppedTop;
    private boolean droppedLast;
    /** The input of each layer in the last forward: x for layer 0, the output of the layer below otherwise. */
    private final long[] inputs;

    /** {@code masks}: the dropout masks for training, or null (no dropout, or scoring). */
    FusedLstm(GpuContext ctx, DeviceParameters params, DeviceBuffer state, int lanes, int steps, DropoutMasks masks) {
        super(ctx, params, state, lanes, steps);
        int layers = config.layers();
        gates = new DeviceBuffer[layers];
        hPrev = new DeviceBuffer[layers];
        cPrev = new DeviceBuffer[layers];
        tanhC = new DeviceBuffer[layers];
        out = new DeviceBuffer[layers];
        inputs = new long[layers];
        for (int l = 0; l < layers; l++) {
            gates[l] = ctx.floats("LSTM layer " + l + " gates [" + positions + ", " + 4 * hidden + "]", 4L * positions * hidden);
            hPrev[l] = ctx.floats("LSTM layer " + l + " h_prev", (long) positions * hidden);
            cPrev[l] = ctx.floats("LSTM layer " + l + " c_prev", (long) positions * hidden);
            tanhC[l] = ctx.floats("LSTM layer " + l + " tanh(c)", (long) positions * hidden);
            out[l] = ctx.floats("LSTM layer " + l + " output", (long) positions * hidden);
        }
        this.masks = masks;
        this.dropped = new DeviceBuffer[layers];
        if (masks != null) {
            for (int l = 0; l < layers; l++) {
                dropped[l] = ctx.floats("LSTM layer " + l + " input after dropout", (long) positions * config.layerInput(l));
            }
        }
        this.droppedTop = masks == null ? null : ctx.floats("LSTM output after dropout", (long) positions * hidden);
        dA = ctx.floats("LSTM output gradient A", (long) positions * hidden);
        dB = ctx.floats("LSTM output gradient B", (long) positions * hidden);
    }

    @Override public Batch prepare(Batch batch) { return batch; }

    @Override public int batchLane(int lane) { return lane; }

    @Override public Optional<Batcher.Layout> requiredLayout() { return Optional.empty(); }

    private long h(int l) { return state.at(LaneCompaction.stateOffset(l, false, 0, lanes, hidden)); }

    private long c(int l) { return state.at(LaneCompaction.stateOffset(l, true, 0, lanes, hidden)); }

    @Override
    public long forward(DeviceChunk chunk, long x, boolean training) {
        long input = x;
        boolean drop = training && masks != null; // inverted dropout on every connection that does not recur, as CpuModel
        for (int l = 0; l < config.layers(); l++) {
            int in = config.layerInput(l), g = 4 * hidden;
            Parameters.Tensor w = params.host.lstmWeight(l);
            if (drop) {
                ctx.kernels.multiply(input, masks.input(l), dropped[l].address(), positions * in);
                input = dropped[l].address();
            }
            inputs[l] = input;
            // gates [P, 4H] = X [P, in] . W[0, in)   (the recurrent half and the bias are the kernel's)
            ctx.blas.gemm(new RowMajorGemm(false, false, positions, g, in, in, g, g), 1f, input, params.value(w), 0f, gates[l].address());
            ctx.kernels.lstmForward(gates[l].address(), params.value(params.host.lstmBias(l)), params.value(w) + 4L * in * g,
                    chunk.lengths(), chunk.resets(), h(l), c(l), hPrev[l].address(), cPrev[l].address(), tanhC[l].address(),
                    out[l].address(), lanes, steps, hidden);
            input = out[l].address();
        }
        if (drop) {
            ctx.kernels.multiply(input, masks.output(), droppedTop.address(), positions * hidden);
            input = droppedTop.address();
        }
        droppedLast = drop;
        return input;
    }

    @Override
    public void backward(DeviceChunk chunk, long dTop, long dX) {
        if (droppedLast) ctx.kernels.multiply(dTop, masks.output(), dTop, positions * hidden);
        long dOut = dTop;
        for (int l = config.layers() - 1; l >= 0; l--) {
            int in = config.layerInput(l), g = 4 * hidden;
            Parameters.Tensor w = params.host.lstmWeight(l);
            long dG = gates[l].address(), recurrent = params.value(w) + 4L * in * g;
            ctx.kernels.lstmBackward(dG, recurrent, chunk.lengths(), chunk.resets(), dOut, cPrev[l].address(), tanhC[l].address(),
                    lanes, steps, hidden);
            // dW[0, in) = X^T . dG;  dW[in, in + H) = h_prev^T . dG;  db = column sums of dG
            ctx.blas.gemm(new RowMajorGemm(true, false, in, g, positions, in, g, g), 1f, inputs[l], dG, 0f, params.gradient(w));
            ctx.blas.gemm(new RowMajorGemm(true, false, hidden, g, positions, hidden, g, g), 1f, hPrev[l].address(), dG, 0f,
                    params.gradient(w) + 4L * in * g);
            ctx.addColumnSums(dG, params.gradient(params.host.lstmBias(l)), positions, g);
            // dX [P, in] = dG . W[0, in)^T: the gradient of the layer below's output (or of the embedding rows)
            long dInput = l == 0 ? dX : (dOut == dA.address() ? dB.address() : dA.address());
            ctx.blas.gemm(new RowMajorGemm(false, true, positions, in, g, g, g, in), 1f, dG, params.value(w), 0f, dInput);
            if (droppedLast) ctx.kernels.multiply(dInput, masks.input(l), dInput, positions * in);
            dOut = dInput;
        }
    }

    @Override
    public void close() {} // buffers belong to the context
}
