package io.nexttrack.train;

import io.nexttrack.data.Split;
import io.nexttrack.io.AtomicFile;
import io.nexttrack.model.Checkpoint;
import io.nexttrack.model.RunCheckpoint;
import io.nexttrack.model.TrainedModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Writes the resumable checkpoint every {@code minutes} and at every epoch end, and the model file when
 * validation improves (every epoch without validation data) and at the end, so that a crash loses at most
 * a few minutes and never the best model. Both files are written atomically (see {@link Checkpoint#write});
 * parameters that are not finite numbers are never written (the trainer stops first, see
 * {@link TrainingDivergedException}; this is the last guard).
 */
public final class Checkpointing implements Hook {
    private final Path modelFile;
    private final Path resumeFile;
    private final Split.Settings split;
    private final long intervalNanos;
    private long lastWrite = System.nanoTime();
    private long resumeWrittenAtStep = -1;
    private boolean modelWritten;
    private volatile Saved lastResume, lastModel;

    /**
     * What a file on disk holds: the resume file continues after {@code epoch} finished epochs and {@code chunk} chunks of
     * the next; the model file holds epoch {@code epoch}'s parameters (the best so far; the last without validation).
     */
    public record Saved(Path file, int epoch, int chunk) {
        /** "after epoch 3" or "in epoch 4, after chunk 12" (see {@link RunCheckpoint#where(int, int)}). */
        public String where() {
            return RunCheckpoint.where(epoch, chunk);
        }
    }

    public Checkpointing(Path modelFile, Path resumeFile, double minutes) {
        this(modelFile, resumeFile, minutes, null);
    }

    /** @param split how the data was split, recorded in every resumable checkpoint for a resume to check (null: not recorded) */
    public Checkpointing(Path modelFile, Path resumeFile, double minutes, Split.Settings split) {
        this.modelFile = modelFile;
        this.resumeFile = resumeFile;
        this.split = split;
        this.intervalNanos = minutes <= 0 ? Long.MAX_VALUE : (long) (minutes * 60e9);
    }

    /**
     * Checks before training that both files can be written, with disk space for the largest moment (each
     * file's new copy beside its old one), and deletes what interrupted writes left behind.
     */
    public void checkWritable(TrainedModel model) throws IOException {
        long parameters = 4L * model.parameters().size(), songs = 96L * model.config().songs();
        long modelBytes = parameters + songs, resumeBytes = 4 * parameters + songs;
        AtomicFile.checkWritable(modelFile, 2 * (modelBytes + resumeBytes));
        AtomicFile.checkWritable(resumeFile, 0);
    }

    /** {@code model.nt} -> {@code model.resume.nt}: the file {@code train --resume} reads. */
    public static Path resumeFileFor(Path model) {
        return sibling(model, ".resume.nt");
    }

    /** A file next to the model: same name without its extension, plus {@code suffix}. */
    public static Path sibling(Path model, String suffix) {
        String name = model.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return model.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + suffix);
    }

    /** The resume file this run continues from (it is on disk until the next checkpoint replaces it). */
    void resumedFrom(Checkpoint ck) {
        lastResume = new Saved(resumeFile, RunCheckpoint.EPOCH.read(ck), RunCheckpoint.CHUNK.read(ck));
        int best = RunCheckpoint.BEST_EPOCH.read(ck);
        if (java.nio.file.Files.exists(modelFile)) lastModel = new Saved(modelFile, best >= 0 ? best : RunCheckpoint.EPOCH.read(ck), 0);
    }

    /** The last resumable checkpoint on disk of this run (null before the first). */
    public Saved lastResume() { return lastResume; }

    /** What the model file on disk holds of this run (null before it was first written). */
    public Saved lastModel() { return lastModel; }

    @Override
    public void onStep(Trainer trainer, Step step) {
        if (System.nanoTime() - lastWrite >= intervalNanos) writeResume(trainer);
    }

    @Override
    public void onEpoch(Trainer trainer, Epoch e) {
        writeResume(trainer);
        if (e.best() || !trainer.hasValidation()) writeModel(trainer.model(), heldEpoch(trainer));
    }

    /** Writes only what the last epoch end did not: these files can be hundreds of MB at large V. */
    @Override
    public void onFinish(Trainer trainer) {
        if (trainer.step() != resumeWrittenAtStep) writeResume(trainer); // the latest state, to continue from
        if (!modelWritten) writeModel(trainer.bestModel(), heldEpoch(trainer));
    }

    /** The epoch whose parameters {@link Trainer#bestModel()} holds: the best, or the last without validation. */
    private static int heldEpoch(Trainer trainer) {
        return trainer.bestEpoch() >= 0 ? trainer.bestEpoch() : trainer.epoch();
    }

    private void writeResume(Trainer trainer) {
        Checkpoint ck = trainer.checkpoint(false); // written at once: Adam's moments need no copies
        if (split != null) {
            RunCheckpoint.SPLIT_SEED.write(ck, split.seed());
            RunCheckpoint.SPLIT_VALIDATION.write(ck, split.validation());
            RunCheckpoint.SPLIT_TEST.write(ck, split.test());
        }
        write(ck, resumeFile);
        lastWrite = System.nanoTime();
        resumeWrittenAtStep = trainer.step();
        lastResume = new Saved(resumeFile, trainer.epoch(), RunCheckpoint.CHUNK.read(ck));
    }

    /**
     * Writes the model file: the one place that does, for the best epochs as training goes and for the run's final model
     * (with its hybrid, {@link TrainingRun}). {@code epoch} is the epoch it holds (-1: the last one, without validation).
     */
    public void writeModel(TrainedModel model, int epoch) {
        write(model.encode(), modelFile);
        modelWritten = true;
        lastModel = new Saved(modelFile, epoch, 0);
    }

    private static void write(Checkpoint ck, Path file) {
        for (var t : ck.tensors().entrySet()) {
            for (float v : t.getValue()) {
                if (!Float.isFinite(v)) throw new TrainingDivergedException("refusing to write " + file + ": tensor '" + t.getKey()
                        + "' holds " + v + " (training diverged); the file on disk stays as it was");
            }
        }
        try {
            ck.write(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
