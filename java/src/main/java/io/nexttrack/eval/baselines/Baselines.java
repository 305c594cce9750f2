package io.nexttrack.eval.baselines;

import io.nexttrack.data.Split;
import io.nexttrack.eval.NextSongModel;
import java.util.List;

/** Every baseline at once, as {@code nexttrack baselines} and {@code demo} compare them and the hybrid's tuner beats them. */
public final class Baselines {
    private Baselines() {}

    /** Popularity, bigram, item-kNN and session-kNN fitted on train; the bigram's weight is tuned on validation when there is any. */
    public static List<NextSongModel> fitAll(Split parts) {
        return List.of(new Popularity().fit(parts.train()), new Bigram().fit(parts.train()).tune(parts.validation()),
                new ItemKnn().fit(parts.train()), new SessionKnn().fit(parts.train()));
    }
}
