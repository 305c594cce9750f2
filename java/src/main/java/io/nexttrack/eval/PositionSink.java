package io.nexttrack.eval;

/**
 * Receives the scores a {@link NextSongModel} computes at one position.
 * {@code scores[offset .. offset + songCount)} holds one score per song of the catalogue; the array
 * belongs to the model and may be overwritten after {@code accept} returns, so copy what must be kept.
 */
@FunctionalInterface
public interface PositionSink {
    void accept(int playlist, int position, float[] scores, int offset);
}
