package io.nexttrack.eval;

import io.nexttrack.data.Playlists;

/**
 * Anything that scores every song as the next one after a playlist prefix: the baselines and (through
 * an adapter) the LSTM.
 *
 * <p>At position {@code i} of playlist {@code p} the history is songs {@code 0..i} and the target is song
 * {@code i + 1}; so a playlist of length n has positions {@code 0..n-2}. Scores cover the FULL catalogue
 * ({@code playlists.songCount()} songs, no sampled negatives); higher is better.
 */
public interface NextSongModel {

    /** A short, unique name for tables and JSON keys, e.g. {@code "bigram"}. */
    String name();

    /**
     * True when scores are normalised log-probabilities (log-softmax): then the score of the target is
     * its log-likelihood, and NLL and perplexity are reported.
     */
    boolean givesProbabilities();

    /**
     * Scores every position of every playlist: calls {@code sink.accept(p, i, scores, offset)} once for each
     * {@code p} and each {@code i in 0..length(p)-2}, sequentially on the calling thread.
     */
    void score(Playlists playlists, PositionSink sink);

    /**
     * Scores only the last position of each playlist ({@code i = length(p) - 2}), with all earlier songs as
     * history. The default runs {@link #score} and drops the other positions; models that can skip the
     * work of unwanted positions override it.
     */
    default void scoreLast(Playlists playlists, PositionSink sink) {
        score(playlists, (p, i, scores, offset) -> {
            if (i == playlists.length(p) - 2) sink.accept(p, i, scores, offset);
        });
    }
}
