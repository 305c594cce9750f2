package io.nexttrack.serve;

import io.nexttrack.NextTrack;
import io.nexttrack.data.Dataset;
import io.nexttrack.data.Split;
import io.nexttrack.data.SyntheticPlaylists;
import io.nexttrack.model.ModelConfig;
import io.nexttrack.model.TrainedModel;
import io.nexttrack.train.TrainingConfig;

/** Small trained models with titles for the service tests: synthetic playlists, the seed model, two epochs. */
final class ServeModels {
    private static TrainedModel trained;

    private ServeModels() {}

    /** 150 songs with synthetic titles and artists; trained once per test run (a few seconds). */
    static synchronized TrainedModel trained() {
        if (trained == null) {
            Dataset d = SyntheticPlaylists.generate(150, 600, 7);
            trained = NextTrack.train(d, Split.of(d.playlists(), 42), ModelConfig.seed(d.songCount()),
                    TrainingConfig.defaults().withEpochs(2));
        }
        return trained;
    }
}
