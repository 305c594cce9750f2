package io.nexttrack.engine;

import io.nexttrack.data.Batch;
import io.nexttrack.data.Batcher;
import java.util.Optional;

/**
 * Where the arithmetic of training happens: one chunk at a time, with the LSTM state carried from chunk
 * to chunk. The CPU implementation is the reference; a GPU one keeps parameters, gradients and the
 * optimiser state on the device and copies them to the host only in {@link #syncToHost()}.
 */
public interface Engine extends AutoCloseable {

    /** What one training step measured: the summed NLL over its scored positions and the gradient norm before clipping. */
    record StepResult(double loss, double gradientNorm) {}

    /**
     * Queues forward and backward on one chunk, global-norm clipping and one Adam step. The CPU engine runs it
     * before returning; a GPU engine returns as soon as the work is queued (no host synchronisation inside a
     * step), and its results reach the host through {@link #trained}. The batch may be reused after the call.
     */
    void submit(Batch batch);

    /**
     * The result of the step submitted {@code ago} calls back: 0 = the latest (a GPU engine waits for it),
     * 1 = the one before (on a GPU it finished while the latest was queued, so reading it keeps the device busy).
     */
    StepResult trained(int ago);

    /** {@link #submit} and wait: returns the chunk's summed NLL. */
    default double train(Batch batch) {
        submit(batch);
        return trained(0).loss();
    }

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

    /**
     * Copies the host parameters alone to the engine, keeping its optimiser state (putting the best parameters
     * back: the host copy of the moments may be stale, the engine's are current).
     */
    void uploadParameters();

    /**
     * The batch layout this engine needs, if it needs one (cuDNN's LSTM cannot reset a lane inside a chunk, so
     * it needs {@link Batcher.Layout#BUCKETS}); training and validation batches then use it.
     */
    default Optional<Batcher.Layout> requiredLayout() { return Optional.empty(); }

    /** Gradient norm before clipping of the latest step (for logs); waits for it on a GPU. */
    default double lastGradientNorm() { return trained(0).gradientNorm(); }

    /** Peak device memory in MiB for a GPU engine, -1 for engines on the host. */
    default long devicePeakMib() { return -1; }

    @Override
    void close();
}
