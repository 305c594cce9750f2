package io.nexttrack.engine;

import io.nexttrack.data.Playlists;

/**
 * What a training engine needs to train with the sampled loss ({@link Loss.Kind#SAMPLED}): the number of extra
 * negatives per chunk, the popularity exponent of their draw, and each song's popularity: how often it is a target
 * (a song after the first) in the training playlists. Null in {@link EngineSettings} means the full softmax.
 *
 * @param samples      extra negatives per chunk (N), at least 0
 * @param alpha        the draw's popularity exponent, in [0, 1]
 * @param targetCounts per song, its plays as a target in the training playlists (its length is the catalogue's size)
 */
public record Sampling(int samples, double alpha, int[] targetCounts) {
    public Sampling {
        new Loss(Loss.Kind.SAMPLED, samples, alpha); // the same checks, the same messages
        if (targetCounts == null || targetCounts.length == 0) throw new IllegalArgumentException("the sampled loss needs the songs' plays");
        for (int c : targetCounts) if (c < 0) throw new IllegalArgumentException("a negative play count: " + c);
    }

    /** The settings of {@code loss} with the popularity of {@code train}'s targets, or null when {@code loss} is the full softmax there. */
    public static Sampling of(Loss loss, Playlists train) {
        if (!loss.sampledAt(train.songCount())) return null;
        return new Sampling(loss.samples(), loss.alpha(), targetCounts(train));
    }

    /** How often each song is a target in {@code playlists}: every song but the first of each playlist. */
    public static int[] targetCounts(Playlists playlists) {
        int[] counts = new int[playlists.songCount()];
        for (int p = 0; p < playlists.size(); p++) {
            for (int i = playlists.start(p) + 1; i < playlists.start(p) + playlists.length(p); i++) counts[playlists.songs()[i]]++;
        }
        return counts;
    }

    public int songs() { return targetCounts.length; }

    /** Most candidates a chunk of {@code positions} real positions can have: its targets and the draws, at most every song. */
    public int maxCandidates(int positions) {
        return maxCandidates(songs(), samples, positions);
    }

    /** {@link #maxCandidates(int)} for {@code songs} songs and {@code samples} draws. */
    public static int maxCandidates(int songs, int samples, int positions) {
        return (int) Math.min(songs, (long) positions + samples);
    }
}
