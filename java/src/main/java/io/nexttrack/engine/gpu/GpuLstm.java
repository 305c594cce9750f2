package io.nexttrack.engine.gpu;

import io.nexttrack.data.Batch;
import io.nexttrack.data.Batcher;
import java.util.Optional;

/**
 * The stacked LSTM on the device, two ways: our kernels on the lanes layout ({@link FusedLstm}) and cuDNN's on
 * packed bucket chunks ({@link CudnnLstm}). Both read the weights from the flat parameter buffer and add their
 * gradients into the flat gradient buffer, and both carry the state in the engine's {@code [2L, B, H]} state
 * buffer (the layout of {@code CpuModel.state()}).
 */
interface GpuLstm extends AutoCloseable {

    /**
     * The chunk as this LSTM runs it: the batch itself, or its active lanes packed side by side. Positions of the
     * returned batch are what {@link #forward} and the output layer see; {@link #batchLane} maps its lanes back.
     */
    Batch prepare(Batch batch);

    /** The batch lane of lane {@code lane} of the prepared chunk. */
    int batchLane(int lane);

    /** Runs the layers on input {@code x [P, E]} of the prepared chunk; returns the address of the top output {@code [P, H]}. */
    long forward(DeviceChunk chunk, long x, boolean training);

    /**
     * Backpropagates {@code dTop [P, H]} through the chunk of the last {@link #forward}: adds the weight and bias
     * gradients into the gradient buffer and writes {@code dX [P, E]}.
     */
    void backward(DeviceChunk chunk, long dTop, long dX);

    /** The layout this LSTM needs, if any. */
    Optional<Batcher.Layout> requiredLayout();

    @Override
    void close();
}
