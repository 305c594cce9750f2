package io.nexttrack.cli;

import io.nexttrack.NextTrack;
import io.nexttrack.data.Dataset;
import io.nexttrack.data.Split;
import io.nexttrack.eval.HybridModel;
import io.nexttrack.model.Checkpoint;
import io.nexttrack.model.Hybrid;
import io.nexttrack.model.Parameters;
import io.nexttrack.model.TrainedModel;
import io.nexttrack.train.Checkpointing;
import io.nexttrack.train.EarlyStopping;
import io.nexttrack.train.Hook;
import io.nexttrack.train.LearningRateDecay;
import io.nexttrack.train.LossPlot;
import io.nexttrack.train.MetricsLog;
import io.nexttrack.train.ProgressBar;
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
    @Mixin ModelOptions options;
    @Mixin HybridOption hybrid;
    @Mixin DeviceOption device;

    @Option(names = "--out", required = true, paramLabel = "MODEL", description = "The model file to write, e.g. runs/yes/model.nt.")
    Path out;

    @Option(names = "--resume", description = "Continue from MODEL's resumable checkpoint (exactly where it stopped).")
    boolean resume;

    @Override
    public Integer call() throws IOException {
        Dataset d = data.read();
        Split split = data.split(d);
        try (Trainer trainer = prepare(d, split, options, device, out, resume)) {
            trainer.train();
            System.out.println(summary(trainer, out));
            finish(trainer.bestModel(), split, hybrid.enabled, options.threads, out);
        }
        return 0;
    }

    /**
     * After training: with {@code --hybrid} (the default), fits the playlist neighbours on the training split,
     * tunes the mixture weights on validation, says what it chose and rewrites the model file with the hybrid.
     */
    static TrainedModel finish(TrainedModel lstm, Split split, boolean hybrid, int threads, Path out) throws IOException {
        if (!hybrid) return lstm;
        if (split.validation().transitions() == 0) {
            System.out.println("no validation playlists to tune the hybrid on: the model is the LSTM alone");
            return lstm;
        }
        long start = System.nanoTime();
        HybridModel.Tuning t = NextTrack.tuneHybrid(lstm, split, threads);
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

    /** A trainer with the standard hooks, fresh or resumed from {@code out}'s checkpoint. */
    static Trainer prepare(Dataset d, Split split, ModelOptions options, DeviceOption device, Path out, boolean resume)
            throws IOException {
        Path resumeFile = Checkpointing.resumeFileFor(out);
        TrainedModel model;
        TrainingConfig config;
        Checkpoint ck = null;
        if (resume) {
            if (!Files.exists(resumeFile)) throw new Main.UserError("nothing to resume: " + resumeFile + " does not exist");
            ck = Checkpoint.read(resumeFile);
            model = TrainedModel.decode(ck);
            if (!model.vocabulary().externalIds().equals(d.vocabulary().externalIds())) {
                throw new Main.UserError(resumeFile + " was trained on other songs than the data given");
            }
            config = Trainer.configOf(ck, options.epochs != null ? options.epochs : ck.getInt("train.epochs"), options.threads);
            System.out.printf("resuming %s at epoch %s, chunk %s%n", resumeFile, ck.get("progress.epoch"), ck.get("progress.chunk"));
        } else {
            Files.deleteIfExists(Checkpointing.sibling(out, ".metrics.jsonl"));
            model = new TrainedModel(new Parameters(options.model(d.songCount())).initialise(options.seed), d.vocabulary(),
                    d.catalog());
            config = options.training();
        }
        device.announce(config.threads());
        List<Hook> hooks = new ArrayList<>();
        hooks.add(ProgressBar.onStdout());
        hooks.add(new EarlyStopping(config.patience()));
        hooks.add(new LearningRateDecay(config.learningRateDecay()));
        hooks.add(new MetricsLog(Checkpointing.sibling(out, ".metrics.jsonl")));
        hooks.add(new LossPlot(Checkpointing.sibling(out, ".loss.svg")));
        hooks.add(new Checkpointing(out, resumeFile, config.checkpointMinutes()));
        Trainer trainer = NextTrack.trainer(model, config, split, hooks);
        if (ck != null) trainer.restore(ck);
        return trainer;
    }
}
