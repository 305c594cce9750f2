package io.nexttrack.train;

import io.nexttrack.data.Batch;
import io.nexttrack.data.Batcher;
import io.nexttrack.data.Playlists;
import io.nexttrack.engine.Engine;
import io.nexttrack.engine.Loss;
import io.nexttrack.model.Checkpoint;
import io.nexttrack.model.Parameters;
import io.nexttrack.model.TrainedModel;
import io.nexttrack.optim.Adam;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;

/**
 * The training loop of the seed report: epochs over the training playlists in chunks of B lanes x T
 * steps, the LSTM state carried between chunks, Adam with global-norm clipping, hooks after every chunk
 * and epoch, validation loss at the end of every epoch. Everything needed to continue exactly where it
 * stopped is in {@link #checkpoint()}: parameters, Adam's moments, progress inside the epoch, the carried
 * state and the best parameters so far.
 */
public final class Trainer implements AutoCloseable {
    private final TrainedModel model;
    private final TrainingConfig config;
    /** The layout of every training and validation chunk: the engine's if it needs one, else the config's. */
    private final Batcher.Layout layout;
    private final Batcher batcher;
    private final Playlists train;
    private final Playlists validation;
    /** Fingerprints of the training and validation playlists, computed once (see {@link Playlists#fingerprint()}). */
    private String trainFingerprint, validationFingerprint;
    private final List<Hook> hooks;
    private final Adam adam;
    private final Engine engine;

    // Progress: the next chunk to train is chunk `chunk` of epoch `epoch` (both 0-based).
    private int epoch;
    private int chunk;
    private long step;
    private double epochLossSum;
    private long epochPositions;
    private double epochSeconds;
    private float[] carriedState;
    private final List<Hook.Epoch> history = new ArrayList<>();
    private float[] bestParameters;
    /** Whether {@link #bestParameters} is this trainer's own array (not a restored checkpoint's), so it may be overwritten. */
    private boolean bestIsOurs;
    private double bestLoss = Double.POSITIVE_INFINITY;
    private int bestEpoch = -1;
    private boolean closed;
    private boolean stopRequested;
    /** The latest step whose result has not reached the host yet (null when all have). */
    private Hook.Step uncollected;
    private long epochPositionsAtUncollected;

    /**
     * @param engines makes the engine for these parameters and this optimiser (CPU or GPU)
     */
    public Trainer(TrainedModel model, TrainingConfig config, Playlists train, Playlists validation, List<Hook> hooks,
                   BiFunction<Parameters, Adam, Engine> engines) {
        if (train.transitions() == 0) {
            throw new IllegalArgumentException("nothing to learn from: no training playlist has two songs or more");
        }
        // The parameters' share; the CPU engine checks its own workspaces before allocating them.
        MemoryEstimate.of(model.config(), config, false).require(4L * model.parameters().size());
        this.model = model;
        this.config = config;
        this.train = train;
        this.validation = validation;
        this.hooks = List.copyOf(hooks);
        this.adam = new Adam(model.parameters().size(), (float) config.learningRate(), (float) config.beta1(),
                (float) config.beta2(), (float) config.epsilon());
        this.engine = engines.apply(model.parameters(), adam);
        this.layout = engine.requiredLayout().orElse(config.layout());
        this.batcher = Batcher.create(layout, train, config.batch(), config.unroll());
    }

    public TrainedModel model() { return model; }

    public TrainingConfig config() { return config; }

    /** The layout of training and validation chunks (the engine's if it needs one). */
    public Batcher.Layout layout() { return layout; }

    /** Completed epochs. */
    public int epoch() { return epoch; }

    public long step() { return step; }

    public List<Hook.Epoch> history() { return Collections.unmodifiableList(history); }

    public double bestValidationLoss() { return bestLoss; }

    public int bestEpoch() { return bestEpoch; }

    /** Adam's current step size (hooks may change it, e.g. {@link LearningRateDecay}). */
    public double learningRate() { return adam.learningRate(); }

    /**
     * Changes Adam's step size from the next step on. Engines read it from {@link Adam} at every step (a GPU
     * engine passes the step's constants at launch), so nothing is copied: a host-to-device sync here would
     * overwrite the device's current parameters and moments with stale host copies.
     */
    public void setLearningRate(double lr) {
        adam.setLearningRate((float) lr);
    }

    /** Asks the loop to stop after the current chunk (early stopping, time limits, Ctrl-C handlers). */
    public void requestStop() { stopRequested = true; }

    public boolean stopRequested() { return stopRequested; }

    /** Remembers the current parameters as the best so far (after an epoch with a lower validation loss). */
    private void keepAsBest(double validationLoss) {
        engine.syncToHost();
        float[] now = model.parameters().values();
        // In place after the first time: a second array beside the old best would be one more copy of the parameters at the peak.
        if (bestParameters == null || !bestIsOurs) bestParameters = now.clone();
        else System.arraycopy(now, 0, bestParameters, 0, now.length);
        bestIsOurs = true;
        bestLoss = validationLoss;
        bestEpoch = epoch;
    }

    /** The model with the best parameters kept so far (the current ones if none were kept); a copy. */
    public TrainedModel bestModel() {
        requireOpen();
        engine.syncToHost();
        Parameters p = new Parameters(model.config());
        float[] source = bestParameters != null ? bestParameters : model.parameters().values();
        System.arraycopy(source, 0, p.values(), 0, source.length);
        return new TrainedModel(p, model.vocabulary(), model.catalog());
    }

    /** Puts the best parameters back into the model being trained, if any were kept (the optimiser's moments stay). */
    public void restoreBest() {
        requireOpen();
        if (bestParameters != null) {
            System.arraycopy(bestParameters, 0, model.parameters().values(), 0, bestParameters.length);
            engine.uploadParameters();
        }
    }

    /** Runs until {@code config.epochs()} epochs are complete or a hook asks to stop. */
    public void train() {
        requireOpen();
        hooks.forEach(h -> h.onStart(this));
        Batch batch = new Batch(config.batch(), config.unroll());
        while (epoch < config.epochs() && !stopRequested) {
            Batcher.Epoch plan = batcher.epoch(config.seed(), epoch);
            for (int skipped = 0; skipped < chunk; skipped++) plan.next(batch); // resuming mid-epoch
            if (chunk == 0 || carriedState == null) engine.resetState();
            else engine.setState(carriedState);
            carriedState = null;
            long started = System.nanoTime();
            double secondsBefore = epochSeconds;
            while (!stopRequested && plan.next(batch)) {
                engine.submit(batch);
                // The previous step finished while this one was queued: its loss is collected without idling the device.
                if (uncollected != null) collect(1);
                epochPositions += batch.positions;
                chunk++;
                step++;
                epochSeconds = secondsBefore + (System.nanoTime() - started) / 1e9;
                Hook.Step s = new Hook.Step(this, epoch, chunk, plan.chunks(), step, batch.positions,
                        epochPositions / Math.max(1e-9, epochSeconds), epochSeconds);
                uncollected = s;
                epochPositionsAtUncollected = epochPositions;
                for (Hook h : hooks) h.onStep(this, s);
            }
            collectLatest();
            if (chunk < plan.chunks()) break; // stopped inside the epoch: a checkpoint resumes from here
            finishEpoch();
        }
        collectLatest();
        engine.syncToHost();
        hooks.forEach(h -> h.onFinish(this));
    }

    /** Brings the latest step's loss and gradient norm to the host (waiting for it on a GPU). */
    void collectLatest() {
        if (uncollected != null) collect(0);
    }

    /** Also where divergence is caught: every write of the model or a checkpoint collects the latest step first. */
    private void collect(int ago) {
        Engine.StepResult r = engine.trained(ago);
        if (!Double.isFinite(r.loss()) || !Double.isFinite(r.gradientNorm())) {
            long at = uncollected.step();
            uncollected = null; // nothing more to collect: the exception ends training
            throw diverged(String.format(Locale.ROOT, "at step %,d the loss is %s and the gradient norm %s", at, r.loss(),
                    r.gradientNorm()));
        }
        epochLossSum += r.loss();
        uncollected.resolve(r.loss(), r.gradientNorm(), epochLossSum, epochPositionsAtUncollected);
        uncollected = null;
    }

    private void finishEpoch() {
        double trainLoss = epochLossSum / Math.max(1, epochPositions);
        double validationLoss = hasValidation() ? validationLoss() : Double.NaN;
        if (hasValidation() && !Double.isFinite(validationLoss)) {
            throw diverged("at the end of the epoch the validation loss is " + validationLoss);
        }
        boolean best = validationLoss < bestLoss;
        epoch++;
        if (best) keepAsBest(validationLoss);
        Hook.Epoch e = new Hook.Epoch(epoch, trainLoss, validationLoss, epochPositions, epochSeconds,
                epochPositions / Math.max(1e-9, epochSeconds), best);
        history.add(e);
        chunk = 0;
        epochLossSum = 0;
        epochPositions = 0;
        epochSeconds = 0;
        for (Hook h : hooks) h.onEpoch(this, e);
    }

    /** Whether there are validation transitions (without them every epoch's validation loss is NaN). */
    public boolean hasValidation() {
        return validation != null && validation.transitions() > 0;
    }

    /**
     * The parameters are no longer finite numbers: stop before a hook writes them. The exception propagates out
     * of {@link #train()} without {@code onFinish}, so the files written so far stay as they were.
     */
    private TrainingDivergedException diverged(String what) {
        String best = bestEpoch >= 0 ? " (the best model so far is epoch " + bestEpoch + "'s)" : "";
        return new TrainingDivergedException(String.format(Locale.ROOT, "training diverged in epoch %d: %s (learning rate %s); "
                + "nothing more is written, files written before%s stay as they were; try a smaller --lr or --init-scale",
                epoch + 1, what, adam.learningRate(), best));
    }

    /** Mean NLL per transition of the validation playlists under the current parameters. */
    public double validationLoss() {
        requireOpen();
        return meanLoss(engine, validation, layout, config.batch(), config.unroll());
    }

    /** Mean NLL per transition of {@code playlists}, read in file order; resets the engine's state. */
    public static double meanLoss(Engine engine, Playlists playlists, int lanes, int steps) {
        return meanLoss(engine, playlists, engine.requiredLayout().orElse(Batcher.Layout.LANES), lanes, steps);
    }

    /** Mean NLL per transition of {@code playlists} in chunks of {@code layout}, unshuffled; resets the engine's state. */
    public static double meanLoss(Engine engine, Playlists playlists, Batcher.Layout layout, int lanes, int steps) {
        Batch batch = new Batch(lanes, steps);
        Batcher.Epoch plan = Batcher.create(layout, playlists, lanes, steps).epoch(Batcher.NO_SHUFFLE, 0);
        engine.resetState();
        double sum = 0;
        long positions = 0;
        while (plan.next(batch)) {
            sum += engine.loss(batch);
            positions += batch.positions;
        }
        engine.resetState();
        return sum / Math.max(1, positions);
    }

    // ---- checkpoints ----

    /** Everything needed to continue exactly here: the model, Adam, progress, carried state, best so far. */
    public Checkpoint checkpoint() {
        return checkpoint(true);
    }

    /**
     * With {@code copyMoments} false, the checkpoint holds Adam's live moment arrays and the live best parameters
     * instead of copies: for a caller that writes it at once ({@link Checkpointing}), before training continues. At
     * 2.26 M songs each copy is 1.8 GB.
     */
    Checkpoint checkpoint(boolean copyMoments) {
        requireOpen();
        collectLatest();
        engine.syncToHost();
        Checkpoint ck = model.encode();
        TrainingConfig c = config;
        ck.put("train.epochs", c.epochs()).put("train.batch", c.batch()).put("train.unroll", c.unroll())
                .put("train.layout", layout).put("train.lr", c.learningRate()).put("train.lr_decay", c.learningRateDecay()).put("train.beta1", c.beta1())
                .put("train.beta2", c.beta2()).put("train.epsilon", c.epsilon()).put("train.clip", c.clipNorm())
                .put("train.seed", c.seed()).put("train.patience", c.patience())
                .put("train.checkpoint_minutes", c.checkpointMinutes()).put("train.loss", c.loss().option())
                .put("train.samples", c.loss().samples()).put("train.sample_alpha", c.loss().alpha());
        ck.put(DATA_TRAIN, trainFingerprint()).put(DATA_VALIDATION, validationFingerprint());
        ck.put("progress.epoch", epoch).put("progress.chunk", chunk).put("progress.step", step)
                .put("progress.epoch_loss_sum", epochLossSum).put("progress.epoch_positions", epochPositions)
                .put("progress.epoch_seconds", epochSeconds).put("progress.best_loss", bestLoss)
                .put("progress.best_epoch", bestEpoch).put("adam.step", adam.step())
                .put("adam.lr", adam.learningRate());
        int n = model.parameters().size();
        ck.putTensor("adam.m", 1, n, copyMoments ? adam.state().m().clone() : adam.state().m());
        ck.putTensor("adam.v", 1, n, copyMoments ? adam.state().v().clone() : adam.state().v());
        if (chunk > 0) {
            float[] state = engine.state();
            ck.putTensor("progress.state", 1, state.length, state);
        }
        if (bestParameters != null) ck.putTensor("best.parameters", 1, n, copyMoments ? bestParameters.clone() : bestParameters);
        List<String> h = new ArrayList<>();
        for (Hook.Epoch e : history) {
            h.add(e.epoch() + " " + e.trainLoss() + " " + e.validationLoss() + " " + e.positions() + " " + e.seconds()
                    + " " + e.best());
        }
        ck.putStrings("progress.history", h);
        return ck;
    }

    /** Reads a training checkpoint's settings (the command line may change epochs). */
    public static TrainingConfig configOf(Checkpoint ck, int epochs) {
        return configOf(ck, epochs, ck.getInt("train.patience"), ck.getDouble("train.checkpoint_minutes"));
    }

    /** Reads a training checkpoint's settings, with the ones that do not change the computation replaced. */
    public static TrainingConfig configOf(Checkpoint ck, int epochs, int patience, double checkpointMinutes) {
        return new TrainingConfig(epochs, ck.getInt("train.batch"), ck.getInt("train.unroll"),
                Batcher.Layout.valueOf(ck.get("train.layout")), ck.getDouble("train.lr"), ck.getDouble("train.lr_decay"),
                ck.getDouble("train.beta1"),
                ck.getDouble("train.beta2"), ck.getDouble("train.epsilon"), ck.getDouble("train.clip"),
                ck.getLong("train.seed"), patience, checkpointMinutes, lossOf(ck));
    }

    /** The run's loss; checkpoints written before the loss was a setting trained with the full softmax. */
    static Loss lossOf(Checkpoint ck) {
        if (!ck.header().containsKey("train.loss")) return Loss.full();
        return new Loss(Loss.kind(ck.get("train.loss")), ck.getInt("train.samples"), ck.getDouble("train.sample_alpha"));
    }

    /** Header keys of the fingerprints of the training and validation playlists (see {@link Playlists#fingerprint()}). */
    public static final String DATA_TRAIN = "data.train", DATA_VALIDATION = "data.validation";

    /** Whether {@code ck} records which playlists it was trained on (checkpoints written before this check existed do not). */
    public static boolean hasDataFingerprint(Checkpoint ck) {
        return ck.header().containsKey(DATA_TRAIN);
    }

    /**
     * Continues from a checkpoint made by {@link #checkpoint()}: the model must be decoded from the same file,
     * and this trainer must have the run's training and validation playlists ({@link ResumeMismatchException}
     * says which differ; a checkpoint without fingerprints is taken on trust).
     */
    public void restore(Checkpoint ck) {
        requireOpen();
        if (!ck.hasTensor("adam.m")) throw new Checkpoint.CheckpointException("not a training checkpoint (no optimiser state)");
        Batcher.Layout written = Batcher.Layout.valueOf(ck.get("train.layout"));
        if (written != layout && ck.getInt("progress.chunk") > 0) {
            throw new ResumeMismatchException("the checkpoint stopped inside an epoch of " + written.name().toLowerCase(Locale.ROOT)
                    + " chunks, but this engine trains on " + layout.name().toLowerCase(Locale.ROOT)
                    + ": resume it with the engine that wrote it");
        }
        if (hasDataFingerprint(ck)) {
            requireSame("training", ck.get(DATA_TRAIN), trainFingerprint());
            requireSame("validation", ck.get(DATA_VALIDATION, "none"), validationFingerprint());
        }
        epoch = ck.getInt("progress.epoch");
        chunk = ck.getInt("progress.chunk");
        step = ck.getLong("progress.step");
        epochLossSum = ck.getDouble("progress.epoch_loss_sum");
        epochPositions = ck.getLong("progress.epoch_positions");
        epochSeconds = ck.getDouble("progress.epoch_seconds");
        bestLoss = ck.getDouble("progress.best_loss");
        bestEpoch = ck.getInt("progress.best_epoch");
        adam.setState(new Adam.State(TrainedModel.finite(ck, "adam.m"), TrainedModel.finite(ck, "adam.v"), ck.getLong("adam.step")));
        float lr = (float) ck.getDouble("adam.lr");
        if (!(lr > 0 && Float.isFinite(lr))) throw new Checkpoint.CheckpointException("adam.lr " + lr + " is not a finite rate > 0");
        adam.setLearningRate(lr);
        carriedState = ck.hasTensor("progress.state") ? ck.tensor("progress.state") : null;
        bestParameters = ck.hasTensor("best.parameters") ? TrainedModel.finite(ck, "best.parameters") : null;
        bestIsOurs = false;
        history.clear();
        for (String line : ck.strings().getOrDefault("progress.history", List.of())) {
            String[] f = line.split(" ");
            long positions = Long.parseLong(f[3]);
            double seconds = Double.parseDouble(f[4]);
            history.add(new Hook.Epoch(Integer.parseInt(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]), positions,
                    seconds, positions / Math.max(1e-9, seconds), Boolean.parseBoolean(f[5])));
        }
        engine.syncFromHost();
    }

    private String trainFingerprint() {
        if (trainFingerprint == null) trainFingerprint = train.fingerprint();
        return trainFingerprint;
    }

    private String validationFingerprint() {
        if (validationFingerprint == null) validationFingerprint = validation == null ? "none" : validation.fingerprint();
        return validationFingerprint;
    }

    private static void requireSame(String part, String run, String given) {
        if (!run.equals(given)) {
            throw new ResumeMismatchException("the " + part + " playlists are not the run's: it had " + run + ", the data given has "
                    + given);
        }
    }

    /** Frees the engine (on a GPU, its device memory); a second close does nothing, and a closed trainer trains no more. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        engine.close();
    }

    private void requireOpen() {
        if (closed) throw new IllegalStateException("this trainer was closed: make a new one to train again");
    }
}
