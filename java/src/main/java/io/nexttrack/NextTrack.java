package io.nexttrack;

import io.nexttrack.data.Dataset;
import io.nexttrack.data.Playlists;
import io.nexttrack.data.Split;
import io.nexttrack.engine.cpu.CpuTrainingEngine;
import io.nexttrack.eval.EvaluationReport;
import io.nexttrack.eval.Evaluator;
import io.nexttrack.eval.HybridModel;
import io.nexttrack.eval.LstmModel;
import io.nexttrack.model.ModelConfig;
import io.nexttrack.model.Parameters;
import io.nexttrack.model.PlaylistNeighbours;
import io.nexttrack.model.TrainedModel;
import io.nexttrack.recommend.Recommender;
import io.nexttrack.train.EarlyStopping;
import io.nexttrack.train.Hook;
import io.nexttrack.train.Trainer;
import io.nexttrack.train.TrainingConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The library in three calls: train, evaluate, recommend. Everything here runs on the CPU engine.
 *
 * <pre>{@code
 * Dataset data = PlaylistReader.read(Path.of("yes_small"));
 * Split split = Split.of(data.playlists(), 42);
 * TrainedModel model = NextTrack.train(data, split, ModelConfig.seed(data.songCount()), TrainingConfig.defaults());
 * System.out.println(NextTrack.evaluate(model, split.test()));
 * List<Recommendation> next = NextTrack.recommender(model).recommend(new int[] {12, 7, 99}, 10);
 * }</pre>
 */
public final class NextTrack {
    private NextTrack() {}

    /**
     * Trains a fresh model on {@code split.train()}, validating on {@code split.validation()} after every
     * epoch and stopping early after {@code training.patience()} epochs without improvement; returns the
     * default model: the LSTM of the best epoch with its hybrid tuned on validation ({@link #tuneHybrid}; the
     * LSTM alone when there are no validation playlists, or with {@code withHybrid(null)}). {@code hooks} run
     * after the built-in early stopping.
     */
    public static TrainedModel train(Dataset data, Split split, ModelConfig model, TrainingConfig training, Hook... hooks) {
        TrainedModel fresh = new TrainedModel(new Parameters(model).initialise(training.seed()), data.vocabulary(), data.catalog());
        List<Hook> all = new ArrayList<>();
        all.add(new EarlyStopping(training.patience()));
        all.addAll(List.of(hooks));
        TrainedModel lstm;
        try (Trainer trainer = trainer(fresh, training, split, all)) {
            trainer.train();
            lstm = trainer.bestModel();
        }
        if (split.validation().transitions() == 0) return lstm;
        return lstm.withHybrid(tuneHybrid(lstm, split, training.threads()).hybrid());
    }

    /** A trainer on the CPU engine, for callers who want to drive or resume training themselves. */
    public static Trainer trainer(TrainedModel model, TrainingConfig training, Split split, List<Hook> hooks) {
        return new Trainer(model, training, split.train(), split.validation(), hooks,
                (params, adam) -> new CpuTrainingEngine(params, adam, training.clipNorm(), training.batch(), training.unroll(),
                        training.threads(), training.seed()));
    }

    /**
     * Fits the playlist neighbours of the default model on {@code split.train()} and chooses their mixture weight
     * with the LSTM on {@code split.validation()} ({@link HybridModel#tune}); the model to use is
     * {@code lstm.withHybrid(result.hybrid())}.
     */
    public static HybridModel.Tuning tuneHybrid(TrainedModel lstm, Split split, int threads) {
        PlaylistNeighbours neighbours = new PlaylistNeighbours(split.train(), PlaylistNeighbours.Settings.defaults());
        return HybridModel.tune(new LstmModel(lstm.withHybrid(null), 100, 20, threads), neighbours, split.validation());
    }

    /** NLL, perplexity and full-ranking metrics at every next-song position of {@code playlists} (the hybrid if the model has one). */
    public static EvaluationReport evaluate(TrainedModel model, Playlists playlists) {
        return new Evaluator(Evaluator.Protocol.NEXT, false).evaluate(
                HybridModel.of(model, 100, 20, Runtime.getRuntime().availableProcessors()), playlists, "given playlists");
    }

    /** Top-k recommendations and listening sessions; safe to share between threads. */
    public static Recommender recommender(TrainedModel model) {
        return new Recommender(model);
    }
}
