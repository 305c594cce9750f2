package io.nexttrack.cli;

import io.nexttrack.data.Dataset;
import io.nexttrack.data.Split;
import io.nexttrack.engine.EngineFactory;
import io.nexttrack.train.ProgressBar;
import io.nexttrack.train.RunFiles;
import io.nexttrack.train.TrainingRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code nexttrack train}: a {@link TrainingRun} with files, fresh or resumed, on a dataset's training split. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train the LSTM next-song model on the training split, validating every epoch; then (--hybrid, "
                + "the default) mix it with session-kNN votes, a bigram and a repeat component, the weights tuned on validation "
                + "to stay ahead of the baselines.",
                "Writes MODEL (the best model so far), MODEL's .resume.nt (resumable state), .metrics.jsonl and .loss.svg. "
                        + "Ctrl-C stops it and says how to continue."})
final class TrainCommand implements Callable<Integer> {
    @Mixin DataOptions data;
    @Mixin SplitOptions splitting;
    @Mixin ModelOptions options;
    @Mixin ThreadsOption threads;
    @Mixin ScheduleOptions schedule;
    @Mixin HybridOption hybrid;
    @Mixin DeviceOption device;

    @Option(names = "--out", required = true, paramLabel = "MODEL", description = "The model file to write, e.g. runs/yes/model.nt; "
            + "never an input or a file that is not a model, nor a run already there unless --resume or --overwrite.")
    Path out;

    @Option(names = "--resume", description = "Continue the run from MODEL's resumable checkpoint, exactly where it stopped. "
            + "Its settings hold: --epochs (default: the run's), --patience, --checkpoint-minutes and --threads may change; "
            + "other model options, if given, must be the run's.")
    boolean resume;

    @Option(names = "--overwrite", description = "Start afresh where MODEL already holds a run, replacing it (its model and "
            + "resume file are deleted when training starts).")
    boolean overwrite;

    @Mixin ConfigOption config;

    @Override
    public Integer call() throws IOException {
        if (resume && overwrite) {
            throw new Main.UserError("--resume continues the run in " + out + ", --overwrite replaces it: give one of them");
        }
        TrainingRun.Start start = resume ? TrainingRun.Start.RESUME : overwrite ? TrainingRun.Start.OVERWRITE : TrainingRun.Start.FRESH;
        Map<Path, String> inputs = config.inputs(data.data);
        new RunFiles(out).check(start, inputs); // before the data is read: refused at once
        Dataset d = data.read();
        Split split = splitting.trainingSplit(d, data.data.toString());
        System.out.println(split.summary(d.songCount()));
        var training = options.training(schedule);
        EngineFactory engines = device.engines(threads.count(), System.out);
        TrainingRun.Builder run = resume ? TrainingRun.resume(d, split, out).expect(options.model(d.songCount()), training, options::given)
                : TrainingRun.fresh(d, split, options.model(d.songCount()), training).writingTo(out);
        if (overwrite) run.overwrite();
        if (resume && schedule.epochs() != null) run.epochs(schedule.epochs());
        if (resume && schedule.given("--patience")) run.patience(schedule.patience);
        if (resume && schedule.given("--checkpoint-minutes")) run.checkpointMinutes(schedule.checkpointMinutes);
        inputs.forEach(run::input);
        run.split(splitting.settings()).engines(engines).hybrid(hybrid.enabled).hooks(ProgressBar.onStdout()).log(System.out);
        try (TrainingRun r = run.open(); Interruption ignored = Interruption.ofTrain(r, config.typed)) {
            r.train();
        }
        return 0;
    }
}
