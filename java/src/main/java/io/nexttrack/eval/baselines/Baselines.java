package io.nexttrack.eval.baselines;

import io.nexttrack.data.Playlists;
import io.nexttrack.eval.NextSongModel;
import java.util.List;

/** The four baselines every report compares with. */
public final class Baselines {
    private Baselines() {}

    /**
     * Popularity, bigram, item-kNN and session-kNN fitted on {@code train}; the bigram's weight is tuned on
     * {@code validation} when it holds a transition.
     */
    public static List<NextSongModel> fit(Playlists train, Playlists validation) {
        return List.of(new Popularity().fit(train), new Bigram().fit(train).tune(validation), new ItemKnn().fit(train),
                new SessionKnn().fit(train));
    }
}
