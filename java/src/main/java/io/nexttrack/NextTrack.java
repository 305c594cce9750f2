package io.nexttrack;

import io.nexttrack.data.Dataset;
import io.nexttrack.data.Playlists;
import io.nexttrack.data.Split;
import io.nexttrack.engine.EngineFactory;
import io.nexttrack.eval.EvaluationReport;
import io.nexttrack.eval.Evaluator;
import io.nexttrack.eval.HybridModel;
import io.nexttrack.model.ModelConfig;
import io.nexttrack.model.TrainedModel;
import io.nexttrack.recommend.Recommender;
import io.nexttrack.train.Hook;
import io.nexttrack.train.ProgressBar;
import io.nexttrack.train.Trainer;
import io.nexttrack.train.TrainingConfig;
import io.nexttrack.train.TrainingRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The library in three calls: train, evaluate, recommend. Training and evaluation use {@link EngineFactory#auto()}
 * unless given an {@link EngineFactory}: the GPU engine where a GPU works (and the optional JavaCPP bindings are on
 * the class path), the CPU engine otherwise; recommendations use the CPU ({@link #recommender(TrainedModel)}).
 *
 * <pre>{@code
 * Dataset data = PlaylistReader.read(Path.of("yes_small"));
 * Split split = Split.of(data.playlists(), 42);
 * TrainedModel model = NextTrack.train(data, split, ModelConfig.defaults(data.songCount()), TrainingConfig.defaults(),
 *         ProgressBar.onStdout());
 * System.out.println(NextTrack.evaluate(model, split.test()));
 * Recommender recommender = NextTrack.recommender(model);
 * List<Recommendation> next = recommender.recommend(recommender.songs().ids("Grenade", "Aston Martin Music"), 10);
 * }</pre>
 *
 * <p>The CPU engine is fastest with the Java Vector API, an incubator module the JVM loads only when asked: run with
 * {@code --add-modules jdk.incubator.vector}. Without it everything works the same on plain-Java inner loops, several
 * times slower, and one line on stderr says so (see {@link io.nexttrack package documentation}).
 */
public final class NextTrack {
    private NextTrack() {}

    /**
     * Trains a fresh model on {@code split.train()}, validating on {@code split.validation()} after every
     * epoch, stopping early after {@code training.patience()} epochs without improvement and decaying the learning
     * rate by {@code training.learningRateDecay()} after each such epoch; returns the default model: the LSTM of the
     * best epoch with its hybrid tuned on validation ({@link #tuneHybrid}; the LSTM alone when there are no
     * validation playlists, or with {@code withHybrid(null)}). {@code hooks} run after the built-in early stopping
     * and decay; {@link ProgressBar#onStdout()} shows progress (a bar on a terminal, otherwise a line every quarter
     * epoch) and a line per epoch with the train and validation loss, as the command line's {@code train} does.
     */
    public static TrainedModel train(Dataset data, Split split, ModelConfig model, TrainingConfig training, Hook... hooks) {
        return train(data, split, model, training, EngineFactory.auto(), hooks);
    }

    /**
     * {@link #train(Dataset, Split, ModelConfig, TrainingConfig, Hook...)} on the engines of {@code engines} (the device,
     * and the CPU engine's threads: {@code EngineFactory.of(Device.AUTO, Lstm.FUSED, 4)} trains on 4 cores).
     */
    public static TrainedModel train(Dataset data, Split split, ModelConfig model, TrainingConfig training, EngineFactory engines,
                                     Hook... hooks) {
        try (TrainingRun run = TrainingRun.fresh(data, split, model, training).engines(engines).hooks(hooks).open()) {
            return run.train();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a run without files reads and writes none
        }
    }

    /**
     * {@link #train(Dataset, Split, ModelConfig, TrainingConfig, Hook...)} as a run with files, as the command line's
     * {@code train --out}: writes {@code modelFile} (the best model so far, then with its hybrid), its resume file
     * ({@code MODEL.resume.nt}, every epoch end and every {@code training.checkpointMinutes()}), a metrics log and a loss
     * plot beside it. A run already at {@code modelFile} is refused (see {@link TrainingRun} to replace it); a run that
     * stopped (a crash, Ctrl-C) continues with {@link #resume}.
     */
    public static TrainedModel train(Dataset data, Split split, ModelConfig model, TrainingConfig training, Path modelFile,
                                     Hook... hooks) throws IOException {
        try (TrainingRun run = TrainingRun.fresh(data, split, model, training).writingTo(modelFile).hooks(hooks).open()) {
            return run.train();
        }
    }

    /**
     * Continues the run at {@code modelFile} exactly where its resume file left it (the same data and split are required,
     * and checked), trains to its end and returns its model with the hybrid tuned on validation, written to
     * {@code modelFile}. A run that had finished training goes straight to the hybrid.
     */
    public static TrainedModel resume(Path modelFile, Dataset data, Split split, Hook... hooks) throws IOException {
        try (TrainingRun run = TrainingRun.resume(data, split, modelFile).hooks(hooks).open()) {
            return run.train();
        }
    }

    /** A trainer (GPU where one works, else CPU on all cores), for callers who drive or resume training themselves. */
    public static Trainer trainer(TrainedModel model, TrainingConfig training, Split split, List<Hook> hooks) {
        return trainer(model, training, split, hooks, EngineFactory.auto());
    }

    /** A trainer on the engine of {@code engines} (CPU or GPU). */
    public static Trainer trainer(TrainedModel model, TrainingConfig training, Split split, List<Hook> hooks, EngineFactory engines) {
        return new Trainer(model, training, split.train(), split.validation(), hooks,
                (params, adam) -> engines.training(params, adam, training.engineSettings(split.train())));
    }

    /**
     * Fits the playlist neighbours of the default model on {@code split.train()} and chooses the mixture's weights
     * with the LSTM on {@code split.validation()}, against the baselines fitted on the same split, then fits its
     * calibration there ({@link HybridModel#tune}, as {@link TrainingRun#tuneHybrid}); the model to use is
     * {@code lstm.withHybrid(result.hybrid())}.
     */
    public static HybridModel.Tuning tuneHybrid(TrainedModel lstm, Split split, EngineFactory engines) {
        return TrainingRun.tuneHybrid(lstm, split, engines);
    }

    /**
     * NLL, perplexity and full-ranking metrics (hit rate, MRR, NDCG at k = 1 ... 500) at every next-song position of
     * {@code playlists}, nothing excluded (the hybrid if the model has one).
     */
    public static EvaluationReport evaluate(TrainedModel model, Playlists playlists) {
        return evaluate(model, playlists, Evaluator.Protocol.NEXT, false);
    }

    /** {@link #evaluate(TrainedModel, Playlists)} on the engines of {@code engines}. */
    public static EvaluationReport evaluate(TrainedModel model, Playlists playlists, EngineFactory engines) {
        return evaluate(model, playlists, Evaluator.Protocol.NEXT, false, engines);
    }

    /**
     * Scores the model on {@code playlists} under a protocol ({@link Evaluator}): {@link Evaluator.Protocol#NEXT}
     * every next-song position, {@link Evaluator.Protocol#LAST} only the last song of each playlist from all earlier
     * ones (adding accuracy@k). With {@code excludeSeen}, songs already in the history are removed from the ranking,
     * as a recommender would not play them again; a position whose target is among them is skipped and counted in
     * the report. Ties are pessimistic; every song is ranked.
     */
    public static EvaluationReport evaluate(TrainedModel model, Playlists playlists, Evaluator.Protocol protocol, boolean excludeSeen) {
        return evaluate(model, playlists, protocol, excludeSeen, EngineFactory.auto());
    }

    /** {@link #evaluate(TrainedModel, Playlists, Evaluator.Protocol, boolean)} on the engines of {@code engines}. */
    public static EvaluationReport evaluate(TrainedModel model, Playlists playlists, Evaluator.Protocol protocol, boolean excludeSeen,
                                            EngineFactory engines) {
        return new Evaluator(protocol, excludeSeen).evaluate(HybridModel.of(model, 100, 20, engines), playlists, "given playlists");
    }

    /**
     * Top-k recommendations and listening sessions; safe to share between threads. Always on the CPU, one thread
     * per call (concurrent calls run in parallel), whatever GPU the machine has: a request is a few histories,
     * which the CPU answers in about a millisecond, while a GPU call would first set up a context and copy the
     * parameters. For large batches on a GPU, pass {@link EngineFactory#auto()} to
     * {@link #recommender(TrainedModel, EngineFactory)}.
     */
    public static Recommender recommender(TrainedModel model) {
        return new Recommender(model);
    }

    /** Recommendations on the engines of {@code engines}; see {@link Recommender#Recommender(TrainedModel, EngineFactory)}. */
    public static Recommender recommender(TrainedModel model, EngineFactory engines) {
        return new Recommender(model, engines);
    }
}
