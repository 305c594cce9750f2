package io.nexttrack.cli;

import io.nexttrack.train.TrainingConfig;
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

    /**
     * {@code --epochs} when given, else null; fewer than 1 is refused here (the library takes 0, a run that trains nothing,
     * which on the command line would only write an untrained model).
     */
    Integer epochs() {
        if (epochs != null && epochs < 1) {
            throw new Main.UserError("--epochs " + epochs + ": a run needs at least 1 epoch"
                    + (epochs == 0 ? " (0 would train nothing and write an untrained model)" : ""));
        }
        return epochs;
    }

    /** Whether the user gave {@code option}, on the command line or in a {@code --config} file. */
    boolean given(String option) {
        return ModelOptions.given(spec, option);
    }
}
