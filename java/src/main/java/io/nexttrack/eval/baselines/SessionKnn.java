package io.nexttrack.eval.baselines;

import io.nexttrack.data.Playlists;
import io.nexttrack.model.PlaylistNeighbours;

/**
 * Session-based nearest neighbours (SKNN) after Jannach and Ludewig, "When Recurrent Neural Networks meet the
 * Neighborhood for Session-Based Recommendation", RecSys 2017, as {@link PlaylistNeighbours} with set votes: the
 * history is compared, as a set, with the training playlists sharing a song with it (only the {@code sample} most
 * recent of them; file order stands in for recency, 0 = all), the {@code k} most similar by binary cosine are the
 * neighbours, and a song scores the sum of the similarities of the neighbours containing it. Defaults k = 100,
 * sample = 1000 as in the paper. Songs no neighbour supports rank below, by popularity. Scores are not
 * probabilities.
 */
public final class SessionKnn extends HistoryScorer {
    public static final int DEFAULT_K = 100;
    public static final int DEFAULT_SAMPLE = 1000;

    private final PlaylistNeighbours.Settings settings;
    private PlaylistNeighbours neighbours;
    private float[] fallback;

    public SessionKnn() { this(DEFAULT_K, DEFAULT_SAMPLE); }

    public SessionKnn(int k, int sample) {
        settings = new PlaylistNeighbours.Settings(k, sample, 1, 1); // decay and before: for sequence votes, unused here
    }

    /** Indexes the training playlists. */
    public SessionKnn fit(Playlists train) {
        neighbours = new PlaylistNeighbours(train, settings);
        fallback = Prior.fallback(train.songCounts());
        return this;
    }

    @Override public String name() { return "session-knn"; }

    @Override public boolean givesProbabilities() { return false; }

    @Override int songCount() { return neighbours == null ? -1 : neighbours.songCount(); }

    @Override
    Cursor cursor() {
        if (neighbours == null) throw new IllegalStateException(name() + " is not fitted");
        PlaylistNeighbours.Cursor c = neighbours.cursor();
        return new Cursor() {
            @Override public void reset() { c.reset(); }

            @Override public void append(int song) { c.play(song); }

            @Override
            public void scoreNext(float[] out) {
                c.findNeighbours();
                c.setVotes(out, false);
                Prior.fillUnsupported(out, fallback);
            }
        };
    }
}
