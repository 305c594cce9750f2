package io.nexttrack;

import io.nexttrack.data.SongCatalog;
import io.nexttrack.data.Vocabulary;
import io.nexttrack.model.ModelConfig;
import io.nexttrack.model.Parameters;
import io.nexttrack.model.TrainedModel;

/** Small untrained models for tests. */
public final class TestModels {
    private TestModels() {}

    /** E = 12, H = 16, 2 layers, weights in +-0.5 (large, so scores are varied and confident). */
    public static TrainedModel random(int songs, long seed) {
        ModelConfig c = new ModelConfig(songs, 12, 16, 2, 0.5f, false, 0f);
        return new TrainedModel(new Parameters(c).initialise(seed), Vocabulary.identity(songs), SongCatalog.empty(songs));
    }
}
