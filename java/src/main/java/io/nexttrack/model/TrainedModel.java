package io.nexttrack.model;

import io.nexttrack.data.SongCatalog;
import io.nexttrack.data.Vocabulary;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A model ready to score: its parameters, the songs it knows (external ids, titles and artists) and, for the
 * default model, the {@link Hybrid} that mixes the LSTM with playlist neighbours at scoring time (null: the LSTM
 * alone), in the shared {@link Checkpoint} format. A training checkpoint is the same file with more in it (see
 * Trainer).
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

    /** The model's part of a checkpoint: config in the header, vocabulary and titles, parameter tensors. */
    public Checkpoint encode() {
        ModelConfig c = config();
        Checkpoint ck = new Checkpoint()
                .put("model.songs", c.songs()).put("model.embedding", c.embedding()).put("model.hidden", c.hidden())
                .put("model.layers", c.layers()).put("model.init_scale", c.initScale()).put("model.xavier", c.xavier())
                .put("model.dropout", c.dropout());
        ck.putStrings("songs.id", vocabulary.externalIds());
        String[] titles = new String[c.songs()], artists = new String[c.songs()];
        for (int s = 0; s < c.songs(); s++) {
            titles[s] = catalog.title(s);
            artists[s] = catalog.artist(s);
        }
        ck.putStrings("songs.title", Arrays.asList(titles)).putStrings("songs.artist", Arrays.asList(artists));
        for (Parameters.Tensor t : parameters.tensors()) ck.putTensor(t.name(), t.rows(), t.cols(), parameters.values(), t.offset());
        if (hybrid != null) hybrid.encode(ck);
        return ck;
    }

    public static TrainedModel decode(Checkpoint ck) {
        ModelConfig c = new ModelConfig(ck.getInt("model.songs"), ck.getInt("model.embedding"), ck.getInt("model.hidden"),
                ck.getInt("model.layers"), Float.parseFloat(ck.get("model.init_scale")),
                Boolean.parseBoolean(ck.get("model.xavier")), Float.parseFloat(ck.get("model.dropout")));
        Parameters p = new Parameters(c);
        for (Parameters.Tensor t : p.tensors()) {
            float[] data = finite(ck, t.name());
            int[] shape = ck.shapes().get(t.name());
            if (shape[0] != t.rows() || shape[1] != t.cols()) {
                throw new Checkpoint.CheckpointException("tensor '" + t.name() + "' has shape " + shape[0] + "x" + shape[1]
                        + " but the config implies " + t.rows() + "x" + t.cols());
            }
            System.arraycopy(data, 0, p.values(), t.offset(), t.size());
        }
        List<String> ids = ck.strings().get("songs.id");
        if (ids == null || ids.size() != c.songs()) throw new Checkpoint.CheckpointException("song list missing or of wrong size");
        List<String> titles = ck.strings().get("songs.title"), artists = ck.strings().get("songs.artist");
        SongCatalog catalog = titles == null ? SongCatalog.empty(c.songs())
                : new SongCatalog(blankToNull(titles), blankToNull(artists));
        return new TrainedModel(p, new Vocabulary(ids), catalog, Hybrid.decode(ck, c.songs()));
    }

    /** The named tensor, refused if it holds NaN or an infinity (nothing nexttrack writes does). */
    public static float[] finite(Checkpoint ck, String name) {
        float[] data = ck.tensor(name);
        for (float v : data) {
            if (!Float.isFinite(v)) throw new Checkpoint.CheckpointException("tensor '" + name + "' holds " + v);
        }
        return data;
    }

    private static String[] blankToNull(List<String> values) {
        return values.stream().map(v -> v == null || v.isEmpty() ? null : v).toArray(String[]::new);
    }
}
