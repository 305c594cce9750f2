package io.nexttrack.engine;

import io.nexttrack.data.Batch;

/**
 * Forward passes for scoring (evaluation, recommendations): no dropout, no update, the LSTM state carried
 * from chunk to chunk of the same lanes. The CPU implementation wraps the reference engine; the GPU one
 * computes the log-softmax rows (and the top k) on the device. Not thread-safe: one caller at a time.
 *
 * <p>A batch has the scorer's shape; the CPU scorer also takes smaller ones (fewer lanes or steps), which lets a
 * {@code Recommender} reuse one scorer for requests of every size. The GPU scorer's device buffers have one shape
 * ({@link #takesSmallerBatches()} false): a caller reusing it fills the unused lanes and steps with padding.
 */
public interface Scorer extends AutoCloseable {

    /** Receives the log-probabilities over all songs at one real position: {@code row[offset, offset + V)}. */
    @FunctionalInterface
    interface RowSink {
        void accept(int t, int lane, float[] row, int offset);
    }

    /** The k best songs at one position, best first (ties to the lower song id), with their log-probabilities. */
    record Top(int[] songs, float[] logProbabilities) {}

    /** The lanes of the chunks it was made for. */
    int lanes();

    /** The steps of the chunks it was made for. */
    int steps();

    /** Whether a batch may have fewer lanes or steps than this scorer was made for (else exactly as many). */
    default boolean takesSmallerBatches() { return true; }

    /** Zeroes the carried state of every lane. */
    void resetState();

    /**
     * Runs {@code batch} and hands the log-softmax row of every real position ({@code t < lengths[lane]}) to
     * {@code sink}, in position order ({@code t} major, then lane); the array may be reused after the call.
     */
    void logProbabilities(Batch batch, RowSink sink);

    /**
     * Runs {@code batch} and hands {@code sink} the log-softmax row at step {@code steps[lane]} of each lane with
     * {@code steps[lane] >= 0} (a real position), in position order; {@code steps} null: every real position. The
     * LSTM runs at every position (its state carries over), the output layer only at those: the one implementation
     * behind recommendations and the last-song protocol of evaluation.
     */
    void logProbabilities(Batch batch, int[] steps, RowSink sink);

    /**
     * Runs {@code batch} and returns, for each lane b with {@code steps[b] >= 0}, the {@code k} best songs at step
     * {@code steps[b]} of this chunk (null for the other lanes); like {@link #logProbabilities(Batch, int[], RowSink)},
     * the output layer runs at those positions only. {@code k} is at most the number of songs.
     */
    Top[] top(Batch batch, int[] steps, int k);

    @Override
    void close();
}
