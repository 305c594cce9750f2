package io.nexttrack.cli;

import io.nexttrack.NextTrack;
import io.nexttrack.data.Dataset;
import io.nexttrack.data.Split;
import io.nexttrack.engine.EngineFactory;
import io.nexttrack.eval.HybridModel;
import io.nexttrack.model.Checkpoint;
import io.nexttrack.model.Hybrid;
import io.nexttrack.model.ModelConfig;
import io.nexttrack.model.Parameters;
import io.nexttrack.model.TrainedModel;
import io.nexttrack.train.Checkpointing;
import io.nexttrack.train.EarlyStopping;
import io.nexttrack.train.Hook;
import io.nexttrack.train.LearningRateDecay;
import io.nexttrack.train.LossPlot;
import io.nexttrack.train.MemoryEstimate;
import io.nexttrack.train.MetricsLog;
import io.nexttrack.train.ProgressBar;
import io.nexttrack.train.ResumeMismatchException;
import io.nexttrack.train.Trainer;
import io.nexttrack.train.TrainingConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code nexttrack train}: trains the model on a dataset's training split, validating every epoch. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train the LSTM next-song model on the training split, validating every epoch; then (--hybrid, "
                + "the default) mix it with session-kNN votes, the weights tuned on validation.",
                "Writes MODEL (the best model so far), MODEL's .resume.nt (resumable state), .metrics.jsonl and .loss.svg."})
final class TrainCommand implements Callable<Integer> {
    @Mixin DataOptions data;
    @Mixin SplitOptions splitting;
    @Mixin ModelOptions options;
    @Mixin ScheduleOptions schedule;
    @Mixin HybridOption hybrid;
    @Mixin DeviceOption device;

    @Option(names = "--out", required = true, paramLabel = "MODEL", description = "The model file to write, e.g. runs/yes/model.nt.")
    Path out;

    @Option(names = "--resume", description = "Continue the run from MODEL's resumable checkpoint, exactly where it stopped. "
            + "Its settings hold: --epochs (default: the run's), --patience, --checkpoint-minutes and --threads may change; "
            + "other model options, if given, must be the run's.")
    boolean resume;

    @Mixin ConfigOption config;

    @Override
    public Integer call() throws IOException {
        Dataset d = data.read();
        Split split = splitting.trainingSplit(d, data.data.toString());
        EngineFactory engines = device.engines(options.threads(), System.out);
        try (Trainer trainer = prepare(d, split, splitting, options, schedule, engines, out, resume)) {
            trainer.train();
            System.out.println(summary(trainer, out));
            finish(trainer.bestModel(), split, hybrid.enabled, engines, out);
        }
        return 0;
    }

    /**
     * After training: with {@code --hybrid} (the default), fits the playlist neighbours on the training split,
     * tunes the mixture weights on validation, says what it chose and rewrites the model file with the hybrid.
     */
    static TrainedModel finish(TrainedModel lstm, Split split, boolean hybrid, EngineFactory engines, Path out) throws IOException {
        if (!hybrid) return lstm;
        if (split.validation().transitions() == 0) {
            System.out.println("no validation playlists to tune the hybrid on: the model is the LSTM alone");
            return lstm;
        }
        long start = System.nanoTime();
        HybridModel.Tuning t = NextTrack.tuneHybrid(lstm, split, engines);
        TrainedModel model = lstm.withHybrid(t.hybrid());
        model.save(out);
        Hybrid h = t.hybrid();
        System.out.printf(Locale.ROOT, "%s: weights lstm %.1f, set votes %.1f, sequence votes %.1f chosen on validation "
                + "(mean NDCG@20 %.4f -> %.4f, NLL %.4f -> %.4f) in %.1f s; model written to %s%n", Hybrid.NAME, h.lstmWeight(),
                h.setWeight(), h.sequenceWeight(), t.lstmObjective(), t.hybridObjective(), t.lstmNll(), t.hybridNll(),
                (System.nanoTime() - start) / 1e9, out);
        return model;
    }

    /** The line that ends training: where the model went and which epoch it holds. */
    static String summary(Trainer trainer, Path out) {
        if (trainer.bestEpoch() < 0) {
            return "model written to " + out + " (no validation playlists: it holds the last epoch, " + trainer.epoch() + ")";
        }
        return String.format(Locale.ROOT, "model written to %s (best epoch %d, validation loss %.4f, perplexity %.1f)", out,
                trainer.bestEpoch(), trainer.bestValidationLoss(), Math.exp(trainer.bestValidationLoss()));
    }

    /**
     * A trainer with the standard hooks, fresh or resumed from {@code out}'s checkpoint. Everything that can be
     * checked before training is: the settings, the memory they need, that the outputs can be written, and on
     * resume that the data, the split and the given options are the run's.
     */
    static Trainer prepare(Dataset d, Split split, SplitOptions splitting, ModelOptions options, ScheduleOptions schedule,
                           EngineFactory engines, Path out, boolean resume) throws IOException {
        Path resumeFile = Checkpointing.resumeFileFor(out);
        TrainedModel model;
        TrainingConfig config;
        Checkpoint ck = null;
        Checkpointing checkpointing;
        if (resume) {
            if (!Files.exists(resumeFile)) throw new Main.UserError("nothing to resume: " + resumeFile + " does not exist");
            ck = Checkpoint.read(resumeFile);
            try {
                model = TrainedModel.decode(ck);
                Trainer.configOf(ck, ck.getInt("train.epochs")); // the file's own settings must be valid
            } catch (RuntimeException e) {
                throw Checkpoint.unusable(resumeFile, e);
            }
            config = Trainer.configOf(ck, schedule.epochs != null ? schedule.epochs : ck.getInt("train.epochs"),
                    schedule.given("--patience") ? schedule.patience : ck.getInt("train.patience"),
                    schedule.given("--checkpoint-minutes") ? schedule.checkpointMinutes : ck.getDouble("train.checkpoint_minutes"));
            if (!model.vocabulary().externalIds().equals(d.vocabulary().externalIds())) {
                throw new Main.UserError(resumeFile + " was trained on other songs than the data given");
            }
            requireSameRun(resumeFile, ck, splitting, options, schedule, model, config);
            checkpointing = new Checkpointing(out, resumeFile, config.checkpointMinutes(), splitting.splitHeader());
            checkpointing.checkWritable(model);
            System.out.printf("resuming %s at epoch %s, chunk %s%n", resumeFile, ck.get("progress.epoch"), ck.get("progress.chunk"));
        } else {
            ModelConfig modelConfig = options.model(d.songCount());
            config = options.training(schedule);
            MemoryEstimate.of(modelConfig, config, !engines.usesGpu()).require(0);
            model = new TrainedModel(new Parameters(modelConfig).initialise(options.seed), d.vocabulary(), d.catalog());
            checkpointing = new Checkpointing(out, resumeFile, config.checkpointMinutes(), splitting.splitHeader());
            checkpointing.checkWritable(model);
        }
        List<Hook> hooks = new ArrayList<>();
        hooks.add(ProgressBar.onStdout());
        hooks.add(new EarlyStopping(config.patience()));
        hooks.add(new LearningRateDecay(config.learningRateDecay()));
        // A new run's log replaces the last one's when training starts: nothing is touched before everything is checked.
        Path log = Checkpointing.sibling(out, ".metrics.jsonl");
        hooks.add(resume ? new MetricsLog(log) : MetricsLog.startingAfresh(log));
        hooks.add(new LossPlot(Checkpointing.sibling(out, ".loss.svg")));
        hooks.add(checkpointing);
        System.out.println(config.loss().describe(model.config().songs()));
        Trainer trainer = NextTrack.trainer(model, config, split, hooks, engines);
        if (ck != null) {
            try {
                trainer.restore(ck);
            } catch (ResumeMismatchException e) {
                trainer.close();
                throw new Main.UserError(resumeFile + ": cannot resume: " + e.getMessage() + RESUME_HINT);
            } catch (RuntimeException e) {
                trainer.close();
                throw Checkpoint.unusable(resumeFile, e);
            }
        }
        return trainer;
    }

    private static final String RESUME_HINT = "; give the run's --data and split options, or train afresh without --resume";

    /**
     * Refuses to resume on another split or with model and optimiser options that differ from the run's (they
     * would be silently ignored: the checkpoint fixes them). Checkpoints written before they recorded their data
     * and split resume with a warning.
     */
    private static void requireSameRun(Path resumeFile, Checkpoint ck, SplitOptions splitting, ModelOptions options,
                                       ScheduleOptions schedule, TrainedModel model, TrainingConfig config) {
        List<String> split = splitting.differencesFrom(ck);
        if (!split.isEmpty()) {
            throw new Main.UserError(resumeFile + ": cannot resume on another split: " + String.join(", ", split) + RESUME_HINT);
        }
        List<String> changed = options.differencesFrom(model.config(), config);
        schedule.addDifferences(changed, config);
        if (!changed.isEmpty()) {
            throw new Main.UserError(resumeFile + ": the run's model and optimiser settings cannot change on resume: "
                    + String.join(", ", changed) + "; drop them (--epochs, --patience, --checkpoint-minutes and --threads may change)");
        }
        if (!Trainer.hasDataFingerprint(ck)) {
            System.err.println("nexttrack: warning: " + resumeFile + " was written by an older nexttrack that did not record its "
                    + "data and split: resuming without checking that they are the same");
        }
    }
}
