package io.nexttrack.cli;

import io.nexttrack.train.TrainingConfig;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** How long training goes and what happens between epochs (train and demo; bench times single steps). */
final class ScheduleOptions {
    private static final TrainingConfig DEFAULTS = TrainingConfig.defaults();

    @Spec(Spec.Target.MIXEE) CommandSpec spec;

    @Option(names = "--epochs", paramLabel = "N", description = "Passes over the training playlists (default: "
            + TrainingConfig.DEFAULT_EPOCHS + ").")
    Integer epochs;

    @Option(names = "--lr-decay", paramLabel = "X", description = "Multiply the learning rate by this after an epoch without a "
            + "better validation loss; 1 = constant (default: ${DEFAULT-VALUE}).")
    double lrDecay = DEFAULTS.learningRateDecay();

    @Option(names = "--patience", paramLabel = "N", description = "Stop after this many epochs without a better validation "
            + "loss; 0 = never (default: ${DEFAULT-VALUE}).")
    int patience = DEFAULTS.patience();

    @Option(names = "--checkpoint-minutes", paramLabel = "M", description = "Write a resumable checkpoint this often, and at "
            + "every epoch end (default: ${DEFAULT-VALUE}).")
    double checkpointMinutes = DEFAULTS.checkpointMinutes();

    /** Adds "--lr-decay 0.5 (the run has 1.0)" when given unlike the run's: of these, only the decay cannot change on resume. */
    void addDifferences(List<String> out, TrainingConfig run) {
        if (given("--lr-decay") && lrDecay != run.learningRateDecay()) {
            out.add("--lr-decay " + lrDecay + " (the run has " + run.learningRateDecay() + ")");
        }
    }

    /** Whether the user gave {@code option}, on the command line or in a {@code --config} file. */
    boolean given(String option) {
        return ModelOptions.given(spec, option);
    }
}
