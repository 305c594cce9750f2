package io.nexttrack.cli;

import io.nexttrack.data.Batcher;
import io.nexttrack.model.ModelConfig;
import io.nexttrack.train.TrainingConfig;
import picocli.CommandLine.Option;

/** The model and training options shared by train, demo and bench (defaults: the seed report's). */
final class ModelOptions {
    private static final TrainingConfig DEFAULTS = TrainingConfig.defaults();

    @Option(names = "--epochs", description = "Passes over the training playlists (default: " + TrainingConfig.DEFAULT_EPOCHS
            + "; with --resume: the checkpoint's).")
    Integer epochs;

    @Option(names = "--embedding", description = "Song embedding size E (default: ${DEFAULT-VALUE}).")
    int embedding = ModelConfig.DEFAULT_EMBEDDING;

    @Option(names = "--hidden", description = "LSTM hidden size H (default: ${DEFAULT-VALUE}).")
    int hidden = ModelConfig.DEFAULT_HIDDEN;

    @Option(names = "--layers", description = "Stacked LSTM layers L (default: ${DEFAULT-VALUE}).")
    int layers = ModelConfig.DEFAULT_LAYERS;

    @Option(names = "--batch", description = "Playlists (lanes) per chunk B (default: ${DEFAULT-VALUE}).")
    int batch = DEFAULTS.batch();

    @Option(names = "--unroll", description = "Unrolled time steps per chunk T (default: ${DEFAULT-VALUE}).")
    int unroll = DEFAULTS.unroll();

    @Option(names = "--lr", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate = DEFAULTS.learningRate();

    @Option(names = "--lr-decay", description = "Multiply the learning rate by this after an epoch without a better "
            + "validation loss; 1 = constant (default: ${DEFAULT-VALUE}).")
    double lrDecay = DEFAULTS.learningRateDecay();

    @Option(names = "--clip", description = "Global gradient-norm clipping threshold (default: ${DEFAULT-VALUE}).")
    double clip = DEFAULTS.clipNorm();

    @Option(names = "--seed", description = "Seed for initialisation, batch order and dropout (default: ${DEFAULT-VALUE}).")
    long seed = DEFAULTS.seed();

    @Option(names = "--init-scale", description = "Uniform initialisation range +-x (default: ${DEFAULT-VALUE}).")
    float initScale = ModelConfig.DEFAULT_INIT_SCALE;

    @Option(names = "--xavier", description = "Glorot/Xavier-uniform initialisation instead of +-init-scale.")
    boolean xavier;

    @Option(names = "--dropout", description = "Dropout between LSTM layers, 0 = off (default: ${DEFAULT-VALUE}).")
    float dropout = 0f;

    @Option(names = "--layout", description = "Batch layout: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Batcher.Layout layout = DEFAULTS.layout();

    @Option(names = "--patience", description = "Stop after this many epochs without a better validation loss; 0 = never (default: ${DEFAULT-VALUE}).")
    int patience = DEFAULTS.patience();

    @Option(names = "--checkpoint-minutes", description = "Write a resumable checkpoint this often (default: ${DEFAULT-VALUE}).")
    double checkpointMinutes = DEFAULTS.checkpointMinutes();

    @Option(names = "--threads", description = "CPU worker threads (default: all cores).")
    int threads = DEFAULTS.threads();

    ModelConfig model(int songs) {
        return new ModelConfig(songs, embedding, hidden, layers, initScale, xavier, dropout);
    }

    TrainingConfig training() {
        return new TrainingConfig(epochs == null ? DEFAULTS.epochs() : epochs, batch, unroll, layout, learningRate, lrDecay,
                DEFAULTS.beta1(), DEFAULTS.beta2(), DEFAULTS.epsilon(), clip, seed, patience, checkpointMinutes, threads);
    }
}
