package io.nexttrack.spark;

import io.nexttrack.data.Dataset;
import io.nexttrack.data.Split;
import io.nexttrack.data.SyntheticPlaylists;
import io.nexttrack.model.Hybrid;
import io.nexttrack.model.ModelConfig;
import io.nexttrack.model.Parameters;
import io.nexttrack.model.PlaylistNeighbours;
import io.nexttrack.model.TrainedModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Synthetic playlists (300 songs), their default split, and an untrained hybrid model on them (E = 12, H = 16, weights
 * in +-0.5 so that scores are varied; playlist neighbours from the training split), saved once per test JVM. Equality
 * with the core needs no trained model, and training one would cost the tests time.
 */
final class TinyModel {
    static final Dataset DATA = SyntheticPlaylists.generate(300, 900, 5);
    static final Split SPLIT = Split.of(DATA.playlists(), Split.DEFAULT_SEED);
    static final TrainedModel MODEL = new TrainedModel(new Parameters(new ModelConfig(300, 12, 16, 2, 0.5f, false, 0f)).initialise(3),
            DATA.vocabulary(), DATA.catalog(), new Hybrid(new PlaylistNeighbours(SPLIT.train(), PlaylistNeighbours.Settings.defaults()), 0.3, 0.2));
    private static Path file;

    private TinyModel() {}

    /** The model's file (a hybrid). */
    static synchronized Path file() {
        if (file == null) {
            try {
                Path dir = Files.createTempDirectory("nexttrack-spark-model");
                file = dir.resolve("tiny.nt");
                MODEL.save(file);
                file.toFile().deleteOnExit();
                dir.toFile().deleteOnExit();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return file;
    }
}
