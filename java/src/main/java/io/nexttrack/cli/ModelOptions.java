package io.nexttrack.cli;

import io.nexttrack.data.Batcher;
import io.nexttrack.engine.Loss;
import io.nexttrack.model.ModelConfig;
import io.nexttrack.train.TrainingConfig;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The model, its optimiser and how batches are made: what one training step needs (train, demo and bench; defaults:
 * the seed report's). How long training goes is {@link ScheduleOptions} (train and demo only); the threads that compute
 * it are {@link ThreadsOption}.
 */
final class ModelOptions {
    private static final TrainingConfig DEFAULTS = TrainingConfig.defaults();

    @Spec(Spec.Target.MIXEE) CommandSpec spec;

    @Option(names = "--embedding", paramLabel = "E", description = "Song embedding size E (default: ${DEFAULT-VALUE}).")
    int embedding = ModelConfig.DEFAULT_EMBEDDING;

    @Option(names = "--hidden", paramLabel = "H", description = "LSTM hidden size H (default: ${DEFAULT-VALUE}).")
    int hidden = ModelConfig.DEFAULT_HIDDEN;

    @Option(names = "--layers", paramLabel = "L", description = "Stacked LSTM layers L (default: ${DEFAULT-VALUE}).")
    int layers = ModelConfig.DEFAULT_LAYERS;

    @Option(names = "--batch", paramLabel = "B", description = "Playlists (lanes) per chunk B (default: ${DEFAULT-VALUE}).")
    int batch = DEFAULTS.batch();

    @Option(names = "--unroll", paramLabel = "T", description = "Unrolled time steps per chunk T (default: ${DEFAULT-VALUE}).")
    int unroll = DEFAULTS.unroll();

    @Option(names = "--lr", paramLabel = "X", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate = DEFAULTS.learningRate();

    @Option(names = "--clip", paramLabel = "X", description = "Global gradient-norm clipping threshold (default: ${DEFAULT-VALUE}).")
    double clip = DEFAULTS.clipNorm();

    @Option(names = "--seed", paramLabel = "S", description = "Seed for initialisation, batch order and dropout (default: ${DEFAULT-VALUE}).")
    long seed = DEFAULTS.seed();

    @Option(names = "--init-scale", paramLabel = "X", description = "Uniform initialisation range +-x (default: ${DEFAULT-VALUE}).")
    float initScale = ModelConfig.DEFAULT_INIT_SCALE;

    @Option(names = "--xavier", description = "Glorot/Xavier-uniform initialisation instead of +-init-scale.")
    boolean xavier;

    @Option(names = "--dropout", paramLabel = "P", description = "Dropout on the LSTM's connections that do not recur: the song "
            + "embeddings entering it, between layers, and its output entering the softmax; 0 = off (default: "
            + ModelConfig.DEFAULT_DROPOUT + "; bench: 0, the seed's model).")
    Float dropout; // null: the command's default

    @Option(names = "--layout", paramLabel = "LAYOUT", description = "Batch layout: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Batcher.Layout layout = DEFAULTS.layout();

    @Option(names = "--loss", paramLabel = "LOSS", description = "Training loss: full (the exact softmax over every song), sampled "
            + "(the chunk's targets and --samples songs drawn by popularity as negatives, logQ-corrected; lazy Adam), or auto: "
            + "full below " + Loss.AUTO_THRESHOLD + " songs (default: auto). Evaluation always ranks every song.")
    Loss.Kind loss = DEFAULTS.loss().kind();

    @Option(names = "--samples", paramLabel = "N", description = "Sampled loss: songs drawn per chunk as extra negatives (default: ${DEFAULT-VALUE}).")
    int samples = DEFAULTS.loss().samples();

    @Option(names = "--sample-alpha", paramLabel = "A", description = "Sampled loss: draw songs with probability proportional to "
            + "(plays + 1)^A, 0 = uniform (default: ${DEFAULT-VALUE}).")
    double sampleAlpha = DEFAULTS.loss().alpha();

    /** Whether the user gave {@code option} (any of the command's), on the command line or in a {@code --config} file. */
    boolean given(String option) {
        return given(spec, option);
    }

    static boolean given(CommandSpec spec, String option) {
        if (spec == null) return false;
        CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
        if (parsed != null && parsed.hasMatchedOption(option)) return true;
        CommandLine.IDefaultValueProvider config = spec.defaultValueProvider();
        try {
            return config != null && config.defaultValue(spec.findOption(option)) != null;
        } catch (Exception e) {
            return false;
        }
    }

    /** The model asked for; without {@code --dropout}, {@link ModelConfig#DEFAULT_DROPOUT} (train and demo). */
    ModelConfig model(int songs) {
        return model(songs, ModelConfig.DEFAULT_DROPOUT);
    }

    /** The model asked for; without {@code --dropout}, {@code defaultDropout}. */
    ModelConfig model(int songs, float defaultDropout) {
        return new ModelConfig(songs, embedding, hidden, layers, initScale, xavier, dropout != null ? dropout : defaultDropout);
    }

    /** The training settings with {@code schedule}'s epochs, decay, patience and checkpoint interval (null: the defaults). */
    TrainingConfig training(ScheduleOptions schedule) {
        ScheduleOptions s = schedule != null ? schedule : new ScheduleOptions();
        Integer epochs = s.epochs();
        return new TrainingConfig(epochs == null ? DEFAULTS.epochs() : epochs, batch, unroll, layout, learningRate, s.lrDecay,
                DEFAULTS.beta1(), DEFAULTS.beta2(), DEFAULTS.epsilon(), clip, seed, s.patience, s.checkpointMinutes,
                new Loss(loss, samples, sampleAlpha));
    }
}
