package io.nexttrack.engine.gpu;

import io.nexttrack.data.Batch;
import io.nexttrack.data.Batcher;
import io.nexttrack.model.ModelConfig;
import java.util.Optional;

/**
 * The stacked LSTM on the device, two ways: our kernels on the lanes layout ({@link FusedLstm}) and cuDNN's on
 * packed bucket chunks ({@link CudnnLstm}). Both read the weights from the flat parameter buffer and add their
 * gradients into the flat gradient buffer, and both carry the state in the engine's {@code [2L, B, H]} state
 * buffer (the layout of {@code CpuModel.state()}). What both hold is here: the context, the parameters, the state
 * buffer and the chunk's shape.
 */
abstract sealed class GpuLstm implements AutoCloseable permits FusedLstm, CudnnLstm {
    final GpuContext ctx;
    final DeviceParameters params;
    final ModelConfig config;
    /** The engine's carried state {@code [2L, B, H]}. */
    final DeviceBuffer state;
    final int lanes, steps, positions, hidden;

    GpuLstm(GpuContext ctx, DeviceParameters params, DeviceBuffer state, int lanes, int steps) {
        this.ctx = ctx;
        this.params = params;
        this.config = params.host.config();
        this.state = state;
        this.lanes = lanes;
        this.steps = steps;
        this.positions = lanes * steps;
        this.hidden = config.hidden();
    }

    /**
     * The chunk as this LSTM runs it: the batch itself, or its active lanes packed side by side. Positions of the
     * returned batch are what {@link #forward} and the output layer see; {@link #batchLane} maps its lanes back.
     */
    abstract Batch prepare(Batch batch);

    /** The batch lane of lane {@code lane} of the prepared chunk. */
    abstract int batchLane(int lane);

    /** Runs the layers on input {@code x [P, E]} of the prepared chunk; returns the address of the top output {@code [P, H]}. */
    abstract long forward(DeviceChunk chunk, long x, boolean training);

    /**
     * Backpropagates {@code dTop [P, H]} through the chunk of the last {@link #forward}: adds the weight and bias
     * gradients into the gradient buffer and writes {@code dX [P, E]}.
     */
    abstract void backward(DeviceChunk chunk, long dTop, long dX);

    /** The layout this LSTM needs, if any. */
    abstract Optional<Batcher.Layout> requiredLayout();

    @Override
    public abstract void close();
}
