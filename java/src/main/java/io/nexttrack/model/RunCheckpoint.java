package io.nexttrack.model;

import io.nexttrack.data.Batcher;
import io.nexttrack.data.Playlists;
import io.nexttrack.data.SongCatalog;
import io.nexttrack.data.Vocabulary;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The schema of the files a training run writes: every key of a model file and of a resume file is named here and
 * nowhere else (the {@link Checkpoint} format itself knows no key). A model file holds the first two groups; a resume
 * file (the run's {@code MODEL.resume.nt}) holds the model's LSTM (no hybrid) and everything after it.
 *
 * <pre>
 * model      header  model.songs model.embedding model.hidden model.layers model.init_scale model.xavier model.dropout
 *                    model.dropout_sites                    (with dropout; older files lack it: between layers only)
 *            strings songs.id songs.title songs.artist
 *            tensors one per {@link Parameters.Tensor}, by its name
 * hybrid     header  hybrid.set_weight hybrid.sequence_weight hybrid.k hybrid.sample hybrid.decay hybrid.before
 *  (optional)         hybrid.bigram_weight                   (only when above 0; older files lack it: 0)
 *                     hybrid.repeat_weight                   (with the repeat table; older files lack both: r = 0)
 *                     hybrid.temperature_base hybrid.temperature_entropy hybrid.temperature_length
 *                                                            (only when calibrated; older files lack them: none)
 *            tensors hybrid.playlist_lengths hybrid.playlist_songs hybrid.repeat_table
 * settings   header  train.epochs train.batch train.unroll train.layout train.lr train.lr_decay train.beta1
 *                    train.beta2 train.epsilon train.clip train.seed train.patience train.checkpoint_minutes
 *                    train.loss train.samples train.sample_alpha  (the loss; older files lack it: the full softmax)
 * data       header  data.train data.validation            (fingerprints of the playlists; older files lack them)
 * split      header  split.seed split.validation split.test (how the data was split; older files lack them)
 * progress   header  progress.epoch progress.chunk progress.step progress.epoch_loss_sum progress.epoch_positions
 *                    progress.epoch_seconds progress.best_loss progress.best_epoch
 *            strings progress.history                       (one line per finished epoch)
 *            tensors progress.state                         (the carried LSTM state, only inside an epoch)
 * optimiser  header  adam.step adam.lr
 *            tensors adam.m adam.v
 * best       tensors best.parameters                        (once an epoch improved on validation)
 * </pre>
 *
 * Header values are written with {@link String#valueOf} and read back by their {@link Key}, so every file written
 * before this class existed reads the same.
 */
public final class RunCheckpoint {
    private RunCheckpoint() {}

    /** A header entry: its name and how its text is read back (errors name the key; see {@link Checkpoint}). */
    public record Key<T>(String name, BiFunction<Checkpoint, String, T> reader) {
        /** The value; a missing or malformed entry is a {@link Checkpoint.CheckpointException} naming the key. */
        public T read(Checkpoint ck) {
            return reader.apply(ck, name);
        }

        /** Whether the file holds this entry (older files lack some). */
        public boolean in(Checkpoint ck) {
            return ck.header().containsKey(name);
        }

        /** The entry's text as stored, or {@code fallback} when absent. */
        public String text(Checkpoint ck, String fallback) {
            return ck.get(name, fallback);
        }

        public void write(Checkpoint ck, T value) {
            ck.put(name, value);
        }
    }

    private static Key<Integer> integer(String name) { return new Key<>(name, Checkpoint::getInt); }

    private static Key<Long> longValue(String name) { return new Key<>(name, Checkpoint::getLong); }

    private static Key<Double> real(String name) { return new Key<>(name, Checkpoint::getDouble); }

    private static Key<Float> single(String name) {
        return new Key<>(name, (ck, k) -> {
            try {
                return Float.parseFloat(ck.get(k));
            } catch (NumberFormatException e) {
                throw new Checkpoint.CheckpointException("header entry '" + k + "' is not a number: " + io.nexttrack.io.Excerpt.of(ck.get(k)));
            }
        });
    }

    private static Key<String> text(String name) { return new Key<>(name, Checkpoint::get); }

    // ---- the model ----
    public static final Key<Integer> SONGS = integer("model.songs"), EMBEDDING = integer("model.embedding"),
            HIDDEN = integer("model.hidden"), LAYERS = integer("model.layers");
    public static final Key<Float> INIT_SCALE = single("model.init_scale"), DROPOUT = single("model.dropout");
    public static final Key<Boolean> XAVIER = new Key<>("model.xavier", (ck, k) -> Boolean.parseBoolean(ck.get(k)));
    /**
     * Where dropout applied in training ({@link #DROPOUT_EVERY_INPUT_AND_OUTPUT}, written with dropout above 0); files
     * written before lack it, and dropped units between LSTM layers only: such a run cannot resume exactly.
     */
    public static final Key<String> DROPOUT_SITES = text("model.dropout_sites");
    public static final String DROPOUT_EVERY_INPUT_AND_OUTPUT = "layer_inputs,output";
    public static final String SONG_IDS = "songs.id", SONG_TITLES = "songs.title", SONG_ARTISTS = "songs.artist";

    // ---- the hybrid ----
    public static final Key<Double> HYBRID_SET_WEIGHT = real("hybrid.set_weight"), HYBRID_SEQUENCE_WEIGHT = real("hybrid.sequence_weight"),
            HYBRID_DECAY = real("hybrid.decay"), HYBRID_BEFORE = real("hybrid.before");
    public static final Key<Integer> HYBRID_K = integer("hybrid.k"), HYBRID_SAMPLE = integer("hybrid.sample");
    public static final String HYBRID_LENGTHS = "hybrid.playlist_lengths", HYBRID_SONGS = "hybrid.playlist_songs";
    /** The bigram component's weight d (written only when above 0) and the repeat component's weight r and table. */
    public static final Key<Double> HYBRID_BIGRAM_WEIGHT = real("hybrid.bigram_weight"), HYBRID_REPEAT_WEIGHT = real("hybrid.repeat_weight");
    public static final String HYBRID_REPEAT_TABLE = "hybrid.repeat_table";
    /** The calibration's {@link Temperature} (written only when there is one). */
    public static final Key<Double> HYBRID_TEMPERATURE_BASE = real("hybrid.temperature_base"),
            HYBRID_TEMPERATURE_ENTROPY = real("hybrid.temperature_entropy"), HYBRID_TEMPERATURE_LENGTH = real("hybrid.temperature_length");

    // ---- the training settings ----
    public static final Key<Integer> EPOCHS = integer("train.epochs"), BATCH = integer("train.batch"), UNROLL = integer("train.unroll"),
            PATIENCE = integer("train.patience");
    public static final Key<Batcher.Layout> LAYOUT = new Key<>("train.layout", (ck, k) -> {
        try {
            return Batcher.Layout.valueOf(ck.get(k));
        } catch (IllegalArgumentException e) {
            throw new Checkpoint.CheckpointException("header entry '" + k + "' is no batch layout: " + io.nexttrack.io.Excerpt.of(ck.get(k)));
        }
    });
    public static final Key<Double> LEARNING_RATE = real("train.lr"), LEARNING_RATE_DECAY = real("train.lr_decay"),
            BETA1 = real("train.beta1"), BETA2 = real("train.beta2"), EPSILON = real("train.epsilon"), CLIP = real("train.clip"),
            CHECKPOINT_MINUTES = real("train.checkpoint_minutes");
    public static final Key<Long> SEED = longValue("train.seed");
    /**
     * The training loss ({@code engine.Loss}): its kind as the option spells it ("full", "sampled" or "auto"), the
     * sampled loss's extra negatives and exponent. Files written before the loss was a setting lack all three.
     */
    public static final Key<String> LOSS = text("train.loss");
    public static final Key<Integer> SAMPLES = integer("train.samples");
    public static final Key<Double> SAMPLE_ALPHA = real("train.sample_alpha");

    // ---- the data and its split ----
    /** Fingerprints of the training and validation playlists ({@link Playlists#fingerprint()}; "none" without validation). */
    public static final Key<String> DATA_TRAIN = text("data.train"), DATA_VALIDATION = text("data.validation");
    /** How the playlists were split (compared as written: {@link String#valueOf} of the long and the doubles). */
    public static final Key<Long> SPLIT_SEED = longValue("split.seed");
    public static final Key<Double> SPLIT_VALIDATION = real("split.validation"), SPLIT_TEST = real("split.test");

    // ---- progress ----
    /** Epochs finished, and chunks finished of the next one: the run continues at chunk {@code CHUNK} of epoch {@code EPOCH} (0-based). */
    public static final Key<Integer> EPOCH = integer("progress.epoch"), CHUNK = integer("progress.chunk"),
            BEST_EPOCH = integer("progress.best_epoch");
    public static final Key<Long> STEP = longValue("progress.step"), EPOCH_POSITIONS = longValue("progress.epoch_positions");
    public static final Key<Double> EPOCH_LOSS_SUM = real("progress.epoch_loss_sum"), EPOCH_SECONDS = real("progress.epoch_seconds"),
            BEST_LOSS = real("progress.best_loss");
    /** One line per finished epoch: "epoch trainLoss validationLoss positions seconds best". */
    public static final String HISTORY = "progress.history";
    public static final String STATE = "progress.state";

    // ---- the optimiser and the best parameters ----
    public static final Key<Long> ADAM_STEP = longValue("adam.step");
    /** Adam's current step size (a float; read through a double, as files before this class were). */
    public static final Key<Float> ADAM_LEARNING_RATE = new Key<>("adam.lr", (ck, k) -> (float) ck.getDouble(k));
    public static final String ADAM_M = "adam.m", ADAM_V = "adam.v", BEST_PARAMETERS = "best.parameters";

    /** Every header key, in the order of the schema above (for documentation and tests). */
    public static final List<Key<?>> HEADER = List.of(SONGS, EMBEDDING, HIDDEN, LAYERS, INIT_SCALE, XAVIER, DROPOUT, DROPOUT_SITES,
            HYBRID_SET_WEIGHT, HYBRID_SEQUENCE_WEIGHT, HYBRID_K, HYBRID_SAMPLE, HYBRID_DECAY, HYBRID_BEFORE, HYBRID_BIGRAM_WEIGHT,
            HYBRID_REPEAT_WEIGHT, HYBRID_TEMPERATURE_BASE, HYBRID_TEMPERATURE_ENTROPY, HYBRID_TEMPERATURE_LENGTH,
            EPOCHS, BATCH, UNROLL, LAYOUT, LEARNING_RATE, LEARNING_RATE_DECAY, BETA1, BETA2, EPSILON, CLIP, SEED, PATIENCE,
            CHECKPOINT_MINUTES, LOSS, SAMPLES, SAMPLE_ALPHA, DATA_TRAIN, DATA_VALIDATION, SPLIT_SEED, SPLIT_VALIDATION, SPLIT_TEST,
            EPOCH, CHUNK, STEP, EPOCH_LOSS_SUM, EPOCH_POSITIONS, EPOCH_SECONDS, BEST_LOSS, BEST_EPOCH, ADAM_STEP, ADAM_LEARNING_RATE);

    /** Whether {@code ck} is a resume file (it holds the optimiser's state), not a model file. */
    public static boolean isResumable(Checkpoint ck) {
        return ck.hasTensor(ADAM_M);
    }

    // ---- the model: encode and decode ----

    /** The model's part of a file: config in the header, vocabulary and titles, parameter tensors, the hybrid if any. */
    public static Checkpoint encode(TrainedModel model) {
        ModelConfig c = model.config();
        Checkpoint ck = new Checkpoint();
        SONGS.write(ck, c.songs());
        EMBEDDING.write(ck, c.embedding());
        HIDDEN.write(ck, c.hidden());
        LAYERS.write(ck, c.layers());
        INIT_SCALE.write(ck, c.initScale());
        XAVIER.write(ck, c.xavier());
        DROPOUT.write(ck, c.dropout());
        if (c.dropout() > 0) DROPOUT_SITES.write(ck, DROPOUT_EVERY_INPUT_AND_OUTPUT);
        ck.putStrings(SONG_IDS, model.vocabulary().externalIds());
        String[] titles = new String[c.songs()], artists = new String[c.songs()];
        for (int s = 0; s < c.songs(); s++) {
            titles[s] = model.catalog().title(s);
            artists[s] = model.catalog().artist(s);
        }
        ck.putStrings(SONG_TITLES, Arrays.asList(titles)).putStrings(SONG_ARTISTS, Arrays.asList(artists));
        Parameters parameters = model.parameters();
        for (Parameters.Tensor t : parameters.tensors()) ck.putTensor(t.name(), t.rows(), t.cols(), parameters.values(), t.offset());
        if (model.hybrid() != null) encode(model.hybrid(), ck);
        return ck;
    }

    /** The model a file holds (its hybrid too); what does not fit is a {@link Checkpoint.CheckpointException}. */
    public static TrainedModel decode(Checkpoint ck) {
        ModelConfig c = new ModelConfig(SONGS.read(ck), EMBEDDING.read(ck), HIDDEN.read(ck), LAYERS.read(ck), INIT_SCALE.read(ck),
                XAVIER.read(ck), DROPOUT.read(ck));
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
        List<String> ids = ck.strings().get(SONG_IDS);
        if (ids == null || ids.size() != c.songs()) throw new Checkpoint.CheckpointException("song list missing or of wrong size");
        List<String> titles = ck.strings().get(SONG_TITLES), artists = ck.strings().get(SONG_ARTISTS);
        SongCatalog catalog = titles == null ? SongCatalog.empty(c.songs())
                : new SongCatalog(blankToNull(titles), blankToNull(artists));
        return new TrainedModel(p, new Vocabulary(ids), catalog, decodeHybrid(ck, c.songs()));
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

    // ---- the hybrid: settings in the header, the training playlists as tensors ----

    /** Song ids and lengths are stored as float32 tensors, exact below 2^24. */
    private static final int EXACT_FLOAT_INTS = 1 << 24;

    private static void encode(Hybrid hybrid, Checkpoint ck) {
        PlaylistNeighbours.Settings s = hybrid.neighbours().settings();
        HYBRID_SET_WEIGHT.write(ck, hybrid.setWeight());
        HYBRID_SEQUENCE_WEIGHT.write(ck, hybrid.sequenceWeight());
        HYBRID_K.write(ck, s.k());
        HYBRID_SAMPLE.write(ck, s.sample());
        HYBRID_DECAY.write(ck, s.decay());
        HYBRID_BEFORE.write(ck, s.before());
        if (hybrid.bigramWeight() > 0) HYBRID_BIGRAM_WEIGHT.write(ck, hybrid.bigramWeight());
        if (!hybrid.temperature().none()) {
            HYBRID_TEMPERATURE_BASE.write(ck, hybrid.temperature().base());
            HYBRID_TEMPERATURE_ENTROPY.write(ck, hybrid.temperature().entropy());
            HYBRID_TEMPERATURE_LENGTH.write(ck, hybrid.temperature().length());
        }
        if (hybrid.repeats() != null) {
            HYBRID_REPEAT_WEIGHT.write(ck, hybrid.repeatWeight());
            float[] table = hybrid.repeats().table();
            ck.putTensor(HYBRID_REPEAT_TABLE, table.length / RepeatProfile.MAX_PLAYS, RepeatProfile.MAX_PLAYS, table);
        }
        Playlists p = hybrid.neighbours().playlists();
        if (p.songCount() > EXACT_FLOAT_INTS) throw new IllegalStateException("catalogues over 2^24 songs cannot be stored");
        float[] lengths = new float[p.size()], songs = new float[p.songs().length];
        for (int i = 0; i < lengths.length; i++) lengths[i] = p.length(i);
        for (int i = 0; i < songs.length; i++) songs[i] = p.songs()[i];
        ck.putTensor(HYBRID_LENGTHS, 1, lengths.length, lengths);
        ck.putTensor(HYBRID_SONGS, 1, songs.length, songs);
    }

    /** The hybrid stored in a model file, or null when it holds the LSTM alone. */
    private static Hybrid decodeHybrid(Checkpoint ck, int songCount) {
        if (!HYBRID_SET_WEIGHT.in(ck)) return null;
        var settings = new PlaylistNeighbours.Settings(HYBRID_K.read(ck), HYBRID_SAMPLE.read(ck), HYBRID_DECAY.read(ck),
                HYBRID_BEFORE.read(ck));
        float[] lengths = ck.tensor(HYBRID_LENGTHS), songs = ck.tensor(HYBRID_SONGS);
        int[] offsets = new int[lengths.length + 1], ids = new int[songs.length];
        for (int i = 0; i < lengths.length; i++) {
            if (!(lengths[i] >= 0 && lengths[i] == (int) lengths[i]) || offsets[i] + (long) lengths[i] > songs.length) {
                throw new Checkpoint.CheckpointException("hybrid playlists have an invalid length " + lengths[i]);
            }
            offsets[i + 1] = offsets[i] + (int) lengths[i];
        }
        for (int i = 0; i < songs.length; i++) {
            ids[i] = (int) songs[i];
            if (ids[i] != songs[i] || ids[i] < 0 || ids[i] >= songCount) {
                throw new Checkpoint.CheckpointException("hybrid playlists hold an invalid song id " + songs[i]);
            }
        }
        if (offsets[lengths.length] != ids.length) throw new Checkpoint.CheckpointException("hybrid playlist lengths do not add up");
        RepeatProfile repeats = null;
        double repeatWeight = 0;
        if (HYBRID_REPEAT_WEIGHT.in(ck)) { // files written before the repeat component have none
            repeatWeight = HYBRID_REPEAT_WEIGHT.read(ck);
            try {
                repeats = RepeatProfile.of(ck.tensor(HYBRID_REPEAT_TABLE));
            } catch (IllegalArgumentException e) {
                throw new Checkpoint.CheckpointException("hybrid repeat table: " + e.getMessage());
            }
        }
        double bigramWeight = HYBRID_BIGRAM_WEIGHT.in(ck) ? HYBRID_BIGRAM_WEIGHT.read(ck) : 0; // 0 in files written before it
        try {
            Temperature temperature = HYBRID_TEMPERATURE_BASE.in(ck) // none in files written before it
                    ? new Temperature(HYBRID_TEMPERATURE_BASE.read(ck), HYBRID_TEMPERATURE_ENTROPY.read(ck), HYBRID_TEMPERATURE_LENGTH.read(ck))
                    : Temperature.NONE;
            return new Hybrid(new PlaylistNeighbours(new Playlists(songCount, offsets, ids), settings), HYBRID_SET_WEIGHT.read(ck),
                    HYBRID_SEQUENCE_WEIGHT.read(ck), bigramWeight, repeats, repeatWeight, temperature);
        } catch (IllegalArgumentException e) {
            throw new Checkpoint.CheckpointException("hybrid: " + e.getMessage());
        }
    }

    // ---- progress, as people read it ----

    /**
     * Where a resume file continues, in words: "after epoch 3" at an epoch's end, "in epoch 4, after chunk 12"
     * inside one (epochs counted from 1).
     */
    public static String where(int epochsDone, int chunksDone) {
        return chunksDone == 0 ? "after epoch " + epochsDone : "in epoch " + (epochsDone + 1) + ", after chunk " + chunksDone;
    }

    /** {@link #where(int, int)} of a resume file. */
    public static String where(Checkpoint ck) {
        return where(EPOCH.read(ck), CHUNK.read(ck));
    }
}
