package io.nexttrack.train;

import io.nexttrack.model.Checkpoint;
import io.nexttrack.model.TrainedModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Writes the resumable checkpoint every {@code minutes} and at every epoch end, and the model file when
 * validation improves and at the end, so that a crash loses at most a few minutes and never the best
 * model. Both files are written atomically (see {@link Checkpoint#write}).
 */
public final class Checkpointing implements Hook {
    private final Path modelFile;
    private final Path resumeFile;
    private final long intervalNanos;
    private long lastWrite = System.nanoTime();
    private long resumeWrittenAtStep = -1;
    private boolean modelWritten;

    public Checkpointing(Path modelFile, Path resumeFile, double minutes) {
        this.modelFile = modelFile;
        this.resumeFile = resumeFile;
        this.intervalNanos = minutes <= 0 ? Long.MAX_VALUE : (long) (minutes * 60e9);
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

    @Override
    public void onStep(Trainer trainer, Step step) {
        if (System.nanoTime() - lastWrite >= intervalNanos) writeResume(trainer);
    }

    @Override
    public void onEpoch(Trainer trainer, Epoch e) {
        writeResume(trainer);
        if (e.best() || Double.isNaN(e.validationLoss())) writeModel(trainer.model());
    }

    /** Writes only what the last epoch end did not: these files can be hundreds of MB at large V. */
    @Override
    public void onFinish(Trainer trainer) {
        if (trainer.step() != resumeWrittenAtStep) writeResume(trainer); // the latest state, to continue from
        if (!modelWritten) writeModel(trainer.bestModel());
    }

    private void writeResume(Trainer trainer) {
        write(trainer.checkpoint(), resumeFile);
        lastWrite = System.nanoTime();
        resumeWrittenAtStep = trainer.step();
    }

    private void writeModel(TrainedModel model) {
        write(model.encode(), modelFile);
        modelWritten = true;
    }

    private static void write(Checkpoint ck, Path file) {
        try {
            ck.write(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
