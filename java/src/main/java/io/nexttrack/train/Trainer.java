package io.nexttrack.train;

import io.nexttrack.data.Batch;
import io.nexttrack.data.Batcher;
import io.nexttrack.data.Playlists;
import io.nexttrack.engine.Engine;
import io.nexttrack.engine.Loss;
import io.nexttrack.model.Checkpoint;
import io.nexttrack.model.Parameters;
import io.nexttrack.model.RunCheckpoint;
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

    /**
     * Everything needed to continue exactly here: the model, Adam, progress, carried state, best so far (the keys are
     * {@link RunCheckpoint}'s).
     */
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
        RunCheckpoint.EPOCHS.write(ck, c.epochs());
        RunCheckpoint.BATCH.write(ck, c.batch());
        RunCheckpoint.UNROLL.write(ck, c.unroll());
        RunCheckpoint.LAYOUT.write(ck, layout);
        RunCheckpoint.LEARNING_RATE.write(ck, c.learningRate());
        RunCheckpoint.LEARNING_RATE_DECAY.write(ck, c.learningRateDecay());
        RunCheckpoint.BETA1.write(ck, c.beta1());
        RunCheckpoint.BETA2.write(ck, c.beta2());
        RunCheckpoint.EPSILON.write(ck, c.epsilon());
        RunCheckpoint.CLIP.write(ck, c.clipNorm());
        RunCheckpoint.SEED.write(ck, c.seed());
        RunCheckpoint.PATIENCE.write(ck, c.patience());
        RunCheckpoint.CHECKPOINT_MINUTES.write(ck, c.checkpointMinutes());
        RunCheckpoint.LOSS.write(ck, c.loss().option());
        RunCheckpoint.SAMPLES.write(ck, c.loss().samples());
        RunCheckpoint.SAMPLE_ALPHA.write(ck, c.loss().alpha());
        RunCheckpoint.DATA_TRAIN.write(ck, trainFingerprint());
        RunCheckpoint.DATA_VALIDATION.write(ck, validationFingerprint());
        RunCheckpoint.EPOCH.write(ck, epoch);
        RunCheckpoint.CHUNK.write(ck, chunk);
        RunCheckpoint.STEP.write(ck, step);
        RunCheckpoint.EPOCH_LOSS_SUM.write(ck, epochLossSum);
        RunCheckpoint.EPOCH_POSITIONS.write(ck, epochPositions);
        RunCheckpoint.EPOCH_SECONDS.write(ck, epochSeconds);
        RunCheckpoint.BEST_LOSS.write(ck, bestLoss);
        RunCheckpoint.BEST_EPOCH.write(ck, bestEpoch);
        RunCheckpoint.ADAM_STEP.write(ck, adam.step());
        RunCheckpoint.ADAM_LEARNING_RATE.write(ck, adam.learningRate());
        int n = model.parameters().size();
        ck.putTensor(RunCheckpoint.ADAM_M, 1, n, copyMoments ? adam.state().m().clone() : adam.state().m());
        ck.putTensor(RunCheckpoint.ADAM_V, 1, n, copyMoments ? adam.state().v().clone() : adam.state().v());
        if (chunk > 0) {
            float[] state = engine.state();
            ck.putTensor(RunCheckpoint.STATE, 1, state.length, state);
        }
        if (bestParameters != null) ck.putTensor(RunCheckpoint.BEST_PARAMETERS, 1, n, copyMoments ? bestParameters.clone() : bestParameters);
        List<String> h = new ArrayList<>();
        for (Hook.Epoch e : history) {
            h.add(e.epoch() + " " + e.trainLoss() + " " + e.validationLoss() + " " + e.positions() + " " + e.seconds()
                    + " " + e.best());
        }
        ck.putStrings(RunCheckpoint.HISTORY, h);
        return ck;
    }

    /** Reads a training checkpoint's settings (the command line may change epochs). */
    public static TrainingConfig configOf(Checkpoint ck, int epochs) {
        return configOf(ck, epochs, RunCheckpoint.PATIENCE.read(ck), RunCheckpoint.CHECKPOINT_MINUTES.read(ck));
    }

    /** Reads a training checkpoint's settings, with the ones that do not change the computation replaced. */
    public static TrainingConfig configOf(Checkpoint ck, int epochs, int patience, double checkpointMinutes) {
        return new TrainingConfig(epochs, RunCheckpoint.BATCH.read(ck), RunCheckpoint.UNROLL.read(ck), RunCheckpoint.LAYOUT.read(ck),
                RunCheckpoint.LEARNING_RATE.read(ck), RunCheckpoint.LEARNING_RATE_DECAY.read(ck), RunCheckpoint.BETA1.read(ck),
                RunCheckpoint.BETA2.read(ck), RunCheckpoint.EPSILON.read(ck), RunCheckpoint.CLIP.read(ck), RunCheckpoint.SEED.read(ck),
                patience, checkpointMinutes, lossOf(ck));
    }

    /** The run's loss; checkpoints written before the loss was a setting trained with the full softmax. */
    static Loss lossOf(Checkpoint ck) {
        if (!RunCheckpoint.LOSS.in(ck)) return Loss.full();
        try {
            return new Loss(Loss.kind(RunCheckpoint.LOSS.read(ck)), RunCheckpoint.SAMPLES.read(ck), RunCheckpoint.SAMPLE_ALPHA.read(ck));
        } catch (IllegalArgumentException e) {
            throw new Checkpoint.CheckpointException(e.getMessage());
        }
    }

    /** Whether {@code ck} records which playlists it was trained on (checkpoints written before this check existed do not). */
    public static boolean hasDataFingerprint(Checkpoint ck) {
        return RunCheckpoint.DATA_TRAIN.in(ck);
    }

    /**
     * Continues from a checkpoint made by {@link #checkpoint()}: the model must be decoded from the same file,
     * and this trainer must have the run's training and validation playlists ({@link ResumeMismatchException}
     * says which differ; a checkpoint without fingerprints is taken on trust).
     */
    public void restore(Checkpoint ck) {
        requireOpen();
        if (!RunCheckpoint.isResumable(ck)) throw new Checkpoint.CheckpointException("not a training checkpoint (no optimiser state)");
        Batcher.Layout written = RunCheckpoint.LAYOUT.read(ck);
        if (written != layout && RunCheckpoint.CHUNK.read(ck) > 0) {
            throw new ResumeMismatchException("the checkpoint stopped inside an epoch of " + written.name().toLowerCase(Locale.ROOT)
                    + " chunks, but this engine trains on " + layout.name().toLowerCase(Locale.ROOT)
                    + ": resume it with the engine that wrote it");
        }
        requireSameData(ck);
        epoch = RunCheckpoint.EPOCH.read(ck);
        chunk = RunCheckpoint.CHUNK.read(ck);
        step = RunCheckpoint.STEP.read(ck);
        epochLossSum = RunCheckpoint.EPOCH_LOSS_SUM.read(ck);
        epochPositions = RunCheckpoint.EPOCH_POSITIONS.read(ck);
        epochSeconds = RunCheckpoint.EPOCH_SECONDS.read(ck);
        bestLoss = RunCheckpoint.BEST_LOSS.read(ck);
        bestEpoch = RunCheckpoint.BEST_EPOCH.read(ck);
        adam.setState(new Adam.State(RunCheckpoint.finite(ck, RunCheckpoint.ADAM_M), RunCheckpoint.finite(ck, RunCheckpoint.ADAM_V),
                RunCheckpoint.ADAM_STEP.read(ck)));
        float lr = RunCheckpoint.ADAM_LEARNING_RATE.read(ck);
        if (!(lr > 0 && Float.isFinite(lr))) throw new Checkpoint.CheckpointException("adam.lr " + lr + " is not a finite rate > 0");
        adam.setLearningRate(lr);
        carriedState = ck.hasTensor(RunCheckpoint.STATE) ? ck.tensor(RunCheckpoint.STATE) : null;
        bestParameters = ck.hasTensor(RunCheckpoint.BEST_PARAMETERS) ? RunCheckpoint.finite(ck, RunCheckpoint.BEST_PARAMETERS) : null;
        bestIsOurs = false;
        history.clear();
        for (String line : ck.strings().getOrDefault(RunCheckpoint.HISTORY, List.of())) {
            String[] f = line.split(" ");
            long positions = Long.parseLong(f[3]);
            double seconds = Double.parseDouble(f[4]);
            history.add(new Hook.Epoch(Integer.parseInt(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]), positions,
                    seconds, positions / Math.max(1e-9, seconds), Boolean.parseBoolean(f[5])));
        }
        engine.syncFromHost();
    }

    /**
     * Refuses a checkpoint of a run on other playlists ({@link ResumeMismatchException} says which differ); a checkpoint
     * without fingerprints (written before they existed) is taken on trust.
     */
    public void requireSameData(Checkpoint ck) {
        requireSameData(ck, trainFingerprint(), validationFingerprint());
    }

    /** {@link #requireSameData(Checkpoint)} before a trainer exists: the playlists a run would train and validate on. */
    public static void requireSameData(Checkpoint ck, Playlists train, Playlists validation) {
        if (hasDataFingerprint(ck)) requireSameData(ck, train.fingerprint(), validation == null ? "none" : validation.fingerprint());
    }

    private static void requireSameData(Checkpoint ck, String train, String validation) {
        if (!hasDataFingerprint(ck)) return;
        requireSame("training", RunCheckpoint.DATA_TRAIN.read(ck), train);
        requireSame("validation", RunCheckpoint.DATA_VALIDATION.text(ck, "none"), validation);
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
