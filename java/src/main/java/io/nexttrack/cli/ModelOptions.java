package io.nexttrack.cli;

import io.nexttrack.data.Batcher;
import io.nexttrack.engine.Loss;
import io.nexttrack.model.ModelConfig;
import io.nexttrack.train.TrainingConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The model, its optimiser and how batches are made: what one training step needs (train, demo and bench; defaults:
 * the seed report's). How long training goes is {@link ScheduleOptions} (train and demo only).
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

    @Option(names = "--dropout", paramLabel = "P", description = "Dropout between LSTM layers, 0 = off (default: ${DEFAULT-VALUE}).")
    float dropout = 0f;

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

    @Option(names = "--threads", paramLabel = "N", description = "CPU worker threads (default: all cores; more than the cores are not used).")
    int threads = Runtime.getRuntime().availableProcessors();

    /** {@code --threads}, at most the number of cores (see {@link #capThreads}; the note is printed once). */
    int threads() {
        return threads = capThreads(threads);
    }

    /**
     * More threads than cores add no compute (and cost a lot when they spin: 64 threads on 2 cores once ran 10-20x
     * slower than 2): use the cores, and say so.
     */
    static int capThreads(int requested) {
        if (requested < 1) throw new Main.UserError("at least one thread is needed (--threads " + requested + ")");
        int cores = Runtime.getRuntime().availableProcessors();
        if (requested <= cores) return requested;
        System.err.printf("nexttrack: note: --threads %d is more than the %d cores of this machine: using %d%n", requested, cores, cores);
        return cores;
    }

    /** Whether the user gave {@code option}, on the command line or in a {@code --config} file. */
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

    /** The given options whose values differ from the run's model and training settings, e.g. "--hidden 32 (the run has 16)". */
    List<String> differencesFrom(ModelConfig m, TrainingConfig t) {
        List<String> d = new ArrayList<>();
        differs(d, "--embedding", embedding, m.embedding());
        differs(d, "--hidden", hidden, m.hidden());
        differs(d, "--layers", layers, m.layers());
        differs(d, "--init-scale", initScale, m.initScale());
        differs(d, "--xavier", xavier, m.xavier());
        differs(d, "--dropout", dropout, m.dropout());
        differs(d, "--batch", batch, t.batch());
        differs(d, "--unroll", unroll, t.unroll());
        differs(d, "--layout", layout, t.layout());
        differs(d, "--lr", learningRate, t.learningRate());
        differs(d, "--clip", clip, t.clipNorm());
        differs(d, "--seed", seed, t.seed());
        differs(d, "--loss", loss, t.loss().kind());
        differs(d, "--samples", samples, t.loss().samples());
        differs(d, "--sample-alpha", sampleAlpha, t.loss().alpha());
        return d;
    }

    private void differs(List<String> out, String option, Object given, Object run) {
        if (given(option) && !Objects.equals(given, run)) out.add(option + " " + given + " (the run has " + run + ")");
    }

    ModelConfig model(int songs) {
        return new ModelConfig(songs, embedding, hidden, layers, initScale, xavier, dropout);
    }

    /** The training settings with {@code schedule}'s epochs, decay, patience and checkpoint interval (null: the defaults). */
    TrainingConfig training(ScheduleOptions schedule) {
        ScheduleOptions s = schedule != null ? schedule : new ScheduleOptions();
        return new TrainingConfig(s.epochs == null ? DEFAULTS.epochs() : s.epochs, batch, unroll, layout, learningRate, s.lrDecay,
                DEFAULTS.beta1(), DEFAULTS.beta2(), DEFAULTS.epsilon(), clip, seed, s.patience, s.checkpointMinutes,
                new Loss(loss, samples, sampleAlpha));
    }
}
