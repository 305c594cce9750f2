package io.nexttrack.train;

import io.nexttrack.data.Dataset;
import io.nexttrack.data.Split;
import io.nexttrack.engine.EngineFactory;
import io.nexttrack.eval.Calibration;
import io.nexttrack.eval.HybridModel;
import io.nexttrack.eval.LstmModel;
import io.nexttrack.eval.baselines.Baselines;
import io.nexttrack.model.Checkpoint;
import io.nexttrack.model.Hybrid;
import io.nexttrack.model.ModelConfig;
import io.nexttrack.model.Parameters;
import io.nexttrack.model.PlaylistNeighbours;
import io.nexttrack.model.RunCheckpoint;
import io.nexttrack.model.TrainedModel;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * One training run from start to finish, what {@code nexttrack train} and {@code demo} run and what
 * {@link io.nexttrack.NextTrack#train} runs without files: a fresh model or one resumed from its resume file, checked
 * before anything is written; the standard hooks (early stopping and learning-rate decay, then the caller's hooks, then
 * with files the metrics log, the loss plot and the checkpoints); training; and the hybrid finish, which fits the
 * playlist neighbours on the training split, tunes their weights on validation and writes the final model. The model
 * file is written by the run's {@link Checkpointing} only (the best epochs as training goes, then the final model).
 *
 * <pre>{@code
 * try (TrainingRun run = TrainingRun.fresh(data, split, ModelConfig.defaults(data.songCount()), TrainingConfig.defaults())
 *         .writingTo(Path.of("runs/yes/model.nt")).hooks(ProgressBar.onStdout()).log(System.out).open()) {
 *     TrainedModel model = run.train();
 * }
 * // later, or after a crash: exactly where the last checkpoint left it
 * try (TrainingRun run = TrainingRun.resume(data, split, Path.of("runs/yes/model.nt")).open()) {
 *     TrainedModel model = run.train();
 * }
 * }</pre>
 *
 * Everything that can be checked is checked by {@link Builder#open()}, before a file is touched: the settings and the
 * memory they need, that the outputs can be written and destroy nothing ({@link RunFiles#check}), the engine, and on
 * resume that the data, the split and the settings asked for are the run's. Bad input is an
 * {@link IllegalArgumentException} whose message is made for people (a {@link Checkpoint.CheckpointException} for a
 * resume file that cannot be used).
 */
public final class TrainingRun implements AutoCloseable {
    /** What a run does with a run already at its model file. */
    public enum Start {
        /** Refuse when a run (its model or resume file) is there: nothing is replaced unless asked. */
        FRESH,
        /** Start afresh and replace the run there: its model and resume file are deleted when training starts. */
        OVERWRITE,
        /** Continue the run there from its resume file, exactly where it stopped. */
        RESUME
    }

    /** How long {@link #interrupt} waits for a hook (a checkpoint being written) to finish. */
    private static final long INTERRUPT_WAIT_SECONDS = 20;
    private static final String RESUME_HINT = "; give the run's --data and split options, or start afresh with --overwrite";

    private final Builder settings;
    private final Split split;
    private final RunFiles files;
    private final Checkpointing checkpointing;
    private final Trainer trainer;
    /** Every hook, in the order they run; the trainer calls them through {@link Guarded}. */
    private final List<Hook> hooks;
    private final PrintStream log;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile boolean interrupted, finished, finishing;

    /** Starts a new run: {@code model} initialised from {@code training.seed()}, trained on {@code split}. */
    public static Builder fresh(Dataset data, Split split, ModelConfig model, TrainingConfig training) {
        return new Builder(data, split, Objects.requireNonNull(model), Objects.requireNonNull(training), null);
    }

    /** Continues the run whose model file is {@code modelFile}, from its resume file ({@code MODEL.resume.nt}). */
    public static Builder resume(Dataset data, Split split, Path modelFile) {
        return new Builder(data, split, null, null, Objects.requireNonNull(modelFile));
    }

    /** A run being set up; {@link #open()} checks everything and makes the engine. */
    public static final class Builder {
        private final Dataset data;
        private final Split split;
        private final ModelConfig model;
        private final TrainingConfig training;
        private Path out;
        private Start start;
        private Split.Settings splitSettings;
        private final Map<Path, String> inputs = new LinkedHashMap<>();
        private EngineFactory engines;
        private boolean hybrid = true;
        private final List<Hook> hooks = new ArrayList<>();
        private PrintStream log, warnings = System.err;
        private Integer epochs, patience;
        private Double checkpointMinutes;
        private ModelConfig expectedModel;
        private TrainingConfig expectedTraining;
        private Predicate<String> given = option -> false;

        private Builder(Dataset data, Split split, ModelConfig model, TrainingConfig training, Path resumed) {
            this.data = Objects.requireNonNull(data);
            this.split = Objects.requireNonNull(split);
            this.model = model;
            this.training = training;
            this.out = resumed;
            this.start = resumed != null ? Start.RESUME : Start.FRESH;
        }

        /**
         * Writes the run's files at {@code modelFile} ({@link RunFiles}): the model (the best epoch so far, then the final
         * model), the resume file, the metrics log and the loss plot. Without it a fresh run writes nothing. A run already
         * there is refused unless {@link #overwrite()}.
         */
        public Builder writingTo(Path modelFile) {
            if (start == Start.RESUME) throw new IllegalStateException("a resumed run writes where it was resumed from");
            this.out = Objects.requireNonNull(modelFile);
            return this;
        }

        /** A fresh run replaces a run already at its model file (deleted when training starts) instead of refusing. */
        public Builder overwrite() {
            if (start == Start.RESUME) throw new IllegalStateException("a resumed run continues: it overwrites nothing");
            start = Start.OVERWRITE;
            return this;
        }

        /** How {@code split} was made: recorded in the resume file, and on resume checked against the run's. */
        public Builder split(Split.Settings how) {
            this.splitSettings = how;
            return this;
        }

        /** A file the run reads, e.g. {@code (data.txt, "the data (--data)")}: no output may be it. */
        public Builder input(Path file, String what) {
            inputs.put(file, what);
            return this;
        }

        /** The engines to train and tune on (default: {@link EngineFactory#auto()}). */
        public Builder engines(EngineFactory engines) {
            this.engines = engines;
            return this;
        }

        /** Whether the run ends with the hybrid tuned on validation (default: true; false: the LSTM alone). */
        public Builder hybrid(boolean hybrid) {
            this.hybrid = hybrid;
            return this;
        }

        /** Hooks that run after early stopping and the learning-rate decay, before the file-writing hooks. */
        public Builder hooks(Hook... more) {
            hooks.addAll(List.of(more));
            return this;
        }

        /** Where the run says what it does (resuming, why it stopped, what it wrote, the hybrid); null (default): silent. */
        public Builder log(PrintStream out) {
            this.log = out;
            return this;
        }

        /** Where warnings go (default: stderr), e.g. that an old resume file cannot be checked. */
        public Builder warnings(PrintStream err) {
            this.warnings = err;
            return this;
        }

        /** On resume, the last epoch (default: the run's); the patience and checkpoint interval likewise. */
        public Builder epochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        public Builder patience(int patience) {
            this.patience = patience;
            return this;
        }

        public Builder checkpointMinutes(double minutes) {
            this.checkpointMinutes = minutes;
            return this;
        }

        /**
         * On resume, the settings asked for: those {@code given} names (by their command-line option, e.g. "--hidden")
         * must be the run's, else the resume is refused saying what differs (the checkpoint fixes them: a different value
         * would be silently ignored). {@code --epochs}, {@code --patience} and {@code --checkpoint-minutes} may change.
         */
        public Builder expect(ModelConfig model, TrainingConfig training, Predicate<String> given) {
            this.expectedModel = model;
            this.expectedTraining = training;
            this.given = given;
            return this;
        }

        /** Checks everything and makes the engine; nothing is written before {@link TrainingRun#train()}. */
        public TrainingRun open() throws IOException {
            if (engines == null) engines = EngineFactory.auto();
            return new TrainingRun(this);
        }
    }

    private TrainingRun(Builder b) throws IOException {
        this.settings = b;
        this.split = b.split;
        this.log = b.log;
        this.files = b.out == null ? null : new RunFiles(b.out);
        if (files != null) files.check(b.start, b.inputs);
        TrainedModel model;
        TrainingConfig config;
        Checkpoint ck = null;
        if (b.start == Start.RESUME) {
            Path resumeFile = files.resume();
            if (!Files.exists(resumeFile)) throw new IllegalArgumentException("nothing to resume: " + resumeFile + " does not exist");
            ck = Checkpoint.read(resumeFile);
            try {
                model = TrainedModel.decode(ck);
                Trainer.configOf(ck, RunCheckpoint.EPOCHS.read(ck)); // the file's own settings must be valid
            } catch (RuntimeException e) {
                throw Checkpoint.unusable(resumeFile, e);
            }
            config = Trainer.configOf(ck, b.epochs != null ? b.epochs : RunCheckpoint.EPOCHS.read(ck),
                    b.patience != null ? b.patience : RunCheckpoint.PATIENCE.read(ck),
                    b.checkpointMinutes != null ? b.checkpointMinutes : RunCheckpoint.CHECKPOINT_MINUTES.read(ck));
            if (!model.vocabulary().externalIds().equals(b.data.vocabulary().externalIds())) {
                throw new IllegalArgumentException(resumeFile + " was trained on other songs than the data given");
            }
            requireSameRun(resumeFile, ck, b, model, config);
        } else {
            config = b.training;
            MemoryEstimate.of(b.model, config, !b.engines.usesGpu()).require(0);
            model = new TrainedModel(new Parameters(b.model).initialise(config.seed()), b.data.vocabulary(), b.data.catalog());
        }
        if (files != null) {
            checkpointing = new Checkpointing(files.model(), files.resume(), config.checkpointMinutes(), b.splitSettings);
            checkpointing.checkWritable(model);
            if (ck != null) checkpointing.resumedFrom(ck);
        } else {
            checkpointing = null;
        }
        List<Hook> hooks = new ArrayList<>();
        hooks.add(new EarlyStopping(config.patience()));
        hooks.add(new LearningRateDecay(config.learningRateDecay()));
        hooks.addAll(b.hooks);
        if (files != null) {
            if (b.start == Start.OVERWRITE) hooks.add(new Hook() {
                @Override public void onStart(Trainer t) {
                    try {
                        files.deleteRun();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            });
            // A new run's log replaces the last one's when training starts: nothing is touched before everything is checked.
            hooks.add(b.start == Start.RESUME ? new MetricsLog(files.metrics(), b.warnings) : MetricsLog.startingAfresh(files.metrics()));
            hooks.add(new LossPlot(files.plot(), b.warnings));
            hooks.add(checkpointing);
        }
        this.hooks = List.copyOf(hooks);
        TrainingConfig c = config;
        this.trainer = new Trainer(model, config, split.train(), split.validation(), List.of(new Guarded()),
                (params, adam) -> b.engines.training(params, adam, c.engineSettings(split.train())));
        if (ck != null) {
            Path resumeFile = files.resume();
            try {
                trainer.restore(ck);
            } catch (ResumeMismatchException e) {
                trainer.close();
                throw new ResumeMismatchException(resumeFile + ": cannot resume: " + e.getMessage() + RESUME_HINT);
            } catch (RuntimeException e) {
                trainer.close();
                throw Checkpoint.unusable(resumeFile, e);
            }
            say("resuming %s %s", resumeFile, RunCheckpoint.where(ck));
        }
        say("%s", config.loss().describe(model.config().songs())); // once, at start-up: which loss, why, how to change it
        validationNote(split.validation().transitions(), model.config().songs()).ifPresent(note -> say("%s", note));
    }

    /** Position-songs of validation per epoch above which start-up says what it costs (about 20 minutes here). */
    static final long VALIDATION_NOTE_WORK = 100_000_000_000L;

    /**
     * Validation scores every validation position over the whole catalogue (the full softmax) each epoch: at millions
     * of songs that can outweigh the epoch's training with the sampled loss (benchmarks/README.md, end to end at the
     * MPD's size), so start-up says so once, with the setting to change; empty below {@link #VALIDATION_NOTE_WORK}.
     */
    static Optional<String> validationNote(long positions, int songs) {
        if (positions * (double) songs <= VALIDATION_NOTE_WORK) return Optional.empty();
        return Optional.of(String.format(Locale.ROOT, "validation: %,d positions scored over all %,d songs every epoch (%.1f x 10^12"
                + " position-songs, full softmax); a smaller --validation fraction validates on fewer playlists", positions, songs,
                positions * (double) songs / 1e12));
    }

    /**
     * Refuses to resume on another split, other playlists, or with model and optimiser settings that differ from the
     * run's (they would be silently ignored: the checkpoint fixes them). Checkpoints written before they recorded their
     * data and split resume with a warning.
     */
    private static void requireSameRun(Path resumeFile, Checkpoint ck, Builder b, TrainedModel model, TrainingConfig config) {
        List<String> split = new ArrayList<>();
        if (b.splitSettings != null) {
            differs(split, "--split-seed", String.valueOf(b.splitSettings.seed()), RunCheckpoint.SPLIT_SEED.text(ck, null));
            differs(split, "--validation", String.valueOf(b.splitSettings.validation()), RunCheckpoint.SPLIT_VALIDATION.text(ck, null));
            differs(split, "--test", String.valueOf(b.splitSettings.test()), RunCheckpoint.SPLIT_TEST.text(ck, null));
        }
        if (!split.isEmpty()) {
            throw new ResumeMismatchException(resumeFile + ": cannot resume on another split: " + String.join(", ", split) + RESUME_HINT);
        }
        if (model.config().dropout() > 0
                && !RunCheckpoint.DROPOUT_EVERY_INPUT_AND_OUTPUT.equals(RunCheckpoint.DROPOUT_SITES.text(ck, null))) {
            throw new ResumeMismatchException(resumeFile + ": cannot resume: the run was trained with --dropout between LSTM layers "
                    + "only (an older nexttrack); this one drops units at every layer's input and at the output too, so the run "
                    + "would not continue as it began; finish it with the nexttrack that started it, or start afresh with --overwrite");
        }
        List<String> changed = b.expectedModel == null ? List.of() : changes(b, model.config(), config);
        if (!changed.isEmpty()) {
            throw new IllegalArgumentException(resumeFile + ": the run's model and optimiser settings cannot change on resume: "
                    + String.join(", ", changed) + "; drop them (--epochs, --patience, --checkpoint-minutes and --threads may change)");
        }
        try {
            Trainer.requireSameData(ck, b.split.train(), b.split.validation());
        } catch (ResumeMismatchException e) {
            throw new ResumeMismatchException(resumeFile + ": cannot resume: " + e.getMessage() + RESUME_HINT);
        }
        if (!Trainer.hasDataFingerprint(ck) && b.warnings != null) {
            b.warnings.println("nexttrack: warning: " + resumeFile + " was written by an older nexttrack that did not record its "
                    + "data and split: resuming without checking that they are the same");
        }
    }

    /** "--split-seed 7 (the run used 42)" when the run recorded a value and it is not the one given. */
    private static void differs(List<String> out, String option, String now, String run) {
        if (run != null && !run.equals(now)) out.add(option + " " + now + " (the run used " + run + ")");
    }

    /** The given settings whose values differ from the run's, e.g. "--hidden 32 (the run has 16)". */
    private static List<String> changes(Builder b, ModelConfig m, TrainingConfig t) {
        ModelConfig em = b.expectedModel;
        TrainingConfig et = b.expectedTraining;
        List<String> d = new ArrayList<>();
        change(d, b.given, "--embedding", em.embedding(), m.embedding());
        change(d, b.given, "--hidden", em.hidden(), m.hidden());
        change(d, b.given, "--layers", em.layers(), m.layers());
        change(d, b.given, "--init-scale", em.initScale(), m.initScale());
        change(d, b.given, "--xavier", em.xavier(), m.xavier());
        change(d, b.given, "--dropout", em.dropout(), m.dropout());
        change(d, b.given, "--batch", et.batch(), t.batch());
        change(d, b.given, "--unroll", et.unroll(), t.unroll());
        change(d, b.given, "--layout", et.layout(), t.layout());
        change(d, b.given, "--lr", et.learningRate(), t.learningRate());
        change(d, b.given, "--clip", et.clipNorm(), t.clipNorm());
        change(d, b.given, "--seed", et.seed(), t.seed());
        change(d, b.given, "--lr-decay", et.learningRateDecay(), t.learningRateDecay());
        change(d, b.given, "--loss", et.loss().option(), t.loss().option());
        change(d, b.given, "--samples", et.loss().samples(), t.loss().samples());
        change(d, b.given, "--sample-alpha", et.loss().alpha(), t.loss().alpha());
        return d;
    }

    private static void change(List<String> out, Predicate<String> given, String option, Object asked, Object run) {
        if (given.test(option) && !Objects.equals(asked, run)) out.add(option + " " + asked + " (the run has " + run + ")");
    }

    /** The playlists the run trains on, validates and (for the caller) tests on. */
    public Split split() { return split; }

    /** The run's files (null for a run that writes none). */
    public RunFiles files() { return files; }

    /** The trainer, for its progress and settings (the run drives it). */
    public Trainer trainer() { return trainer; }

    /**
     * Trains to the end (the last epoch, or early stopping), says why it stopped and what it wrote, then (with the
     * hybrid, the default, when there are validation playlists) tunes the hybrid and writes the final model. Returns the
     * run's model: the best epoch's LSTM, with its hybrid.
     */
    public TrainedModel train() {
        trainer.train();
        TrainedModel lstm = trainer.bestModel();
        finishing = true;
        say("%s", stopReason());
        if (files != null) say("%s", summary());
        TrainedModel model = finish(lstm);
        finished = true;
        return model;
    }

    /** Why training ended: "reached --epochs 80", "early stop: no better validation loss for 4 epochs". */
    public String stopReason() {
        int epochs = trainer.config().epochs(), since = trainer.epoch() - trainer.bestEpoch();
        if (trainer.epoch() < epochs && EarlyStopping.patienceLeft(trainer) == 0) {
            return "early stop: no better validation loss for " + since + (since == 1 ? " epoch" : " epochs");
        }
        if (trainer.epoch() >= epochs) return "reached --epochs " + epochs;
        return "stopped after epoch " + trainer.epoch() + " (a hook asked)";
    }

    /** The line that ends training: where the model went and which epoch it holds. */
    private String summary() {
        if (trainer.bestEpoch() < 0) {
            return "model written to " + files.model() + " (no validation playlists: it holds the last epoch, " + trainer.epoch() + ")";
        }
        return String.format(Locale.ROOT, "model written to %s (best epoch %d, validation loss %.4f, perplexity %.1f)", files.model(),
                trainer.bestEpoch(), trainer.bestValidationLoss(), Math.exp(trainer.bestValidationLoss()));
    }

    /**
     * After training: with the hybrid (the default), fits the playlist neighbours on the training split, tunes the
     * mixture weights and then the calibration on validation, says what it chose and writes the model file with the hybrid.
     */
    private TrainedModel finish(TrainedModel lstm) {
        if (!settings.hybrid) return lstm;
        if (split.validation().transitions() == 0) {
            say("no validation playlists to tune the hybrid on: the model is the LSTM alone");
            return lstm;
        }
        long start = System.nanoTime();
        HybridModel.Tuning t = tuneHybrid(lstm, split, settings.engines);
        TrainedModel model = lstm.withHybrid(t.hybrid());
        Hybrid h = t.hybrid();
        guarded(() -> {
            if (files != null) checkpointing.writeModel(model, trainer.bestEpoch() >= 0 ? trainer.bestEpoch() : trainer.epoch());
            if (log != null) {
                Calibration.Fit c = t.calibration();
                log.printf(Locale.ROOT, "%s: %s chosen on validation (smallest margin over the best baseline %+.1f%% -> %+.1f%%, "
                        + "on %s; NLL %.4f -> %.4f; the temperature takes NLL %.4f -> %.4f on the %,d positions it was fitted on) "
                        + "in %.1f s%s%n", Hybrid.NAME, h.describe(), 100 * t.lstmMargin(), 100 * t.hybridMargin(), t.weakest(),
                        t.lstmNll(), t.hybridNll(), c.nllBefore(), c.nllAfter(), c.positions(), (System.nanoTime() - start) / 1e9,
                        files != null ? "; model written to " + files.model() : "");
            }
        });
        return model;
    }

    /**
     * Fits the playlist neighbours of the default model on {@code split.train()} and chooses the mixture's weights with
     * the LSTM on {@code split.validation()}, against the baselines fitted on the same split ({@link Baselines#fitAll},
     * {@link HybridModel#tune}), then fits its calibration there; the model to use is {@code lstm.withHybrid(result.hybrid())}.
     */
    public static HybridModel.Tuning tuneHybrid(TrainedModel lstm, Split split, EngineFactory engines) {
        PlaylistNeighbours neighbours = new PlaylistNeighbours(split.train(), PlaylistNeighbours.Settings.defaults());
        return HybridModel.tune(new LstmModel(lstm.withHybrid(null), 100, 20, engines), neighbours, split.validation(),
                Baselines.fitAll(split));
    }

    // ---- stopping from outside ----

    /**
     * What is safe on disk when a run was stopped from outside ({@link #interrupt}): the last resume file written (null:
     * none yet) and what the model file holds (null: not written yet); {@code tuning}: training was over, the hybrid was
     * being tuned; {@code writing}: a file was still being written after the wait (the one on disk is the previous or
     * the new, whole either way).
     */
    public record Interrupted(Checkpointing.Saved resume, Checkpointing.Saved model, boolean tuning, boolean writing) {
        /**
         * "the last checkpoint (in epoch 4, after chunk 12) is safe in runs/m.resume.nt, the best model so far (epoch 3)
         * in runs/m.nt": what a person needs to know to go on.
         */
        public String safeOnDisk() {
            if (resume == null) {
                return "nothing is saved yet (the first checkpoint comes at the end of epoch 1, or after --checkpoint-minutes)";
            }
            String s = (tuning ? "training is complete in " + resume.file() + " (" + resume.where() + ")"
                    : "the last checkpoint (" + resume.where() + ") is safe in " + resume.file())
                    + (model == null ? "" : ", " + (tuning ? "the LSTM without its hybrid" : "the best model so far") + " (epoch "
                            + model.epoch() + ") in " + model.file());
            return writing ? s + " (a checkpoint was being written: the file holds it or the one before, whole)" : s;
        }
    }

    /**
     * Stops the run from another thread, for a process about to end (a shutdown hook on Ctrl-C or SIGTERM): waits for a
     * hook that is running (a checkpoint being written) to finish, then lets the run write and print nothing more (its
     * thread waits at its next hook, or before its final write, until the process ends), tells the hooks
     * ({@link Hook#onInterrupt}, e.g. to end a progress line) and returns what is safe on disk; null when the run was
     * not training or finishing (not started, or done).
     */
    public Interrupted interrupt() {
        if (finished) return null;
        boolean locked;
        try {
            locked = lock.tryLock(INTERRUPT_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            locked = false;
        }
        interrupted = true; // with the lock held from here on: nothing more is written
        if (finished) return null;
        if (locked) {
            for (Hook h : hooks) {
                try {
                    h.onInterrupt(trainer);
                } catch (RuntimeException e) {
                    // a hook that cannot end its display must not hide what is on disk
                }
            }
        }
        return new Interrupted(checkpointing == null ? null : checkpointing.lastResume(),
                checkpointing == null ? null : checkpointing.lastModel(), finishing, !locked);
    }

    /** Runs {@code action} unless the run was interrupted, in which case the calling thread waits for the process to end. */
    private void guarded(Runnable action) {
        lock.lock();
        try {
            while (interrupted) LockSupport.park(this);
            action.run();
        } finally {
            lock.unlock();
        }
    }

    private void say(String format, Object... args) {
        if (log != null) guarded(() -> log.println(String.format(Locale.ROOT, format, args)));
    }

    /** Every hook of the run, called one at a time under the run's lock, so that {@link #interrupt} finds none half-done. */
    private final class Guarded implements Hook {
        @Override public void onStart(Trainer t) { guarded(() -> hooks.forEach(h -> h.onStart(t))); }

        @Override public void onStep(Trainer t, Step s) { guarded(() -> hooks.forEach(h -> h.onStep(t, s))); }

        @Override public void onEpoch(Trainer t, Epoch e) { guarded(() -> hooks.forEach(h -> h.onEpoch(t, e))); }

        @Override public void onFinish(Trainer t) { guarded(() -> hooks.forEach(h -> h.onFinish(t))); }
    }

    /** Frees the engine; a second close does nothing. */
    @Override
    public void close() {
        finished = true;
        trainer.close();
    }
}
