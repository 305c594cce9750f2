package io.nexttrack.model;

import io.nexttrack.data.SongCatalog;
import io.nexttrack.data.Vocabulary;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A model ready to score: its parameters, the songs it knows (external ids, titles and artists) and, for the
 * default model, the {@link Hybrid} that mixes the LSTM with playlist neighbours at scoring time (null: the LSTM
 * alone), in the shared {@link Checkpoint} format with the keys of {@link RunCheckpoint}. A run's resume file is the
 * same file with more in it.
 */
public record TrainedModel(Parameters parameters, Vocabulary vocabulary, SongCatalog catalog, Hybrid hybrid) {

    /** The LSTM alone. */
    public TrainedModel(Parameters parameters, Vocabulary vocabulary, SongCatalog catalog) {
        this(parameters, vocabulary, catalog, null);
    }

    public TrainedModel {
        if (hybrid != null && hybrid.neighbours().songCount() != parameters.config().songs()) {
            throw new IllegalArgumentException("the hybrid's playlists and the LSTM know different numbers of songs");
        }
    }

    /** This model with the given hybrid (null: the LSTM alone). */
    public TrainedModel withHybrid(Hybrid h) { return new TrainedModel(parameters, vocabulary, catalog, h); }

    public ModelConfig config() { return parameters.config(); }

    /** Reads a model file; every problem with it is a {@link Checkpoint.CheckpointException} naming the file. */
    public static TrainedModel load(Path file) throws IOException {
        Checkpoint ck = Checkpoint.read(file);
        try {
            return decode(ck);
        } catch (RuntimeException e) {
            throw Checkpoint.unusable(file, e);
        }
    }

    public void save(Path file) throws IOException {
        encode().write(file);
    }

    /** The model's part of a checkpoint (see {@link RunCheckpoint} for its keys). */
    public Checkpoint encode() {
        return RunCheckpoint.encode(this);
    }

    /** The model a checkpoint holds (see {@link RunCheckpoint}). */
    public static TrainedModel decode(Checkpoint ck) {
        return RunCheckpoint.decode(ck);
    }

    /** The named tensor, refused if it holds NaN or an infinity (nothing nexttrack writes does). */
    public static float[] finite(Checkpoint ck, String name) {
        return RunCheckpoint.finite(ck, name);
    }
}
