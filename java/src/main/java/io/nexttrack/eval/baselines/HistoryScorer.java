package io.nexttrack.eval.baselines;

import io.nexttrack.data.Playlists;
import io.nexttrack.eval.NextSongModel;
import io.nexttrack.eval.PositionSink;

/**
 * The scoring loop the baselines share: a {@link Cursor} walks each playlist, taking the songs one at a time,
 * so a model can update its view of the history incrementally instead of rereading it at every position.
 */
abstract class HistoryScorer implements NextSongModel {

    /** Scoring state for one playlist at a time. */
    interface Cursor {
        /** Forgets the history: a new playlist starts. */
        void reset();

        /** The next song of the history. */
        void append(int song);

        /** Overwrites {@code out[0 .. songCount)} with a score per song for the song after the history. */
        void scoreNext(float[] out);
    }

    /** A fresh cursor over the fitted model; throws when the model is not fitted. */
    abstract Cursor cursor();

    /** The catalogue size the model was fitted on; -1 before {@code fit}. */
    abstract int songCount();

    @Override
    public final void score(Playlists playlists, PositionSink sink) { run(playlists, sink, false); }

    @Override
    public final void scoreLast(Playlists playlists, PositionSink sink) { run(playlists, sink, true); }

    private void run(Playlists playlists, PositionSink sink, boolean lastOnly) {
        int songs = songCount();
        if (songs < 0) throw new IllegalStateException(name() + " is not fitted");
        requireCatalogue(playlists, songs);
        Cursor cursor = cursor();
        float[] out = new float[songs];
        for (int p = 0; p < playlists.size(); p++) {
            cursor.reset();
            int last = playlists.length(p) - 2;
            for (int i = 0; i <= last; i++) {
                cursor.append(playlists.song(p, i));
                if (!lastOnly || i == last) {
                    cursor.scoreNext(out);
                    sink.accept(p, i, out, 0);
                }
            }
        }
    }

    void requireCatalogue(Playlists playlists, int songs) {
        if (playlists.songCount() != songs) {
            throw new IllegalArgumentException(name() + " was fitted on " + songs + " songs but the playlists have " + playlists.songCount());
        }
    }
}
