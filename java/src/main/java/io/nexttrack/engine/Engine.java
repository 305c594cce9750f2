package io.nexttrack.engine;

import io.nexttrack.data.Batch;

/**
 * Where the arithmetic of training happens: one chunk at a time, with the LSTM state carried from chunk
 * to chunk. The CPU implementation is the reference; a GPU one keeps parameters, gradients and the
 * optimiser state on the device and copies them to the host only in {@link #syncToHost()}.
 */
public interface Engine extends AutoCloseable {

    /** Forward and backward on one chunk, global-norm clipping and one Adam step; returns the summed NLL. */
    double train(Batch batch);

    /** Forward only (no dropout, no update); returns the summed NLL over the chunk's real positions. */
    double loss(Batch batch);

    /** Zeroes the carried LSTM state (start of an epoch or of an evaluation pass). */
    void resetState();

    /** The carried LSTM state, for resumable checkpoints. */
    float[] state();

    void setState(float[] state);

    /** Makes the host copies of parameters and optimiser state current (checkpoints, evaluation on the host). */
    void syncToHost();

    /** Copies the host parameters and optimiser state to the engine (after restoring a checkpoint). */
    void syncFromHost();

    /** Gradient norm before clipping in the last {@link #train} call (for logs). */
    double lastGradientNorm();

    @Override
    void close();
}
