package io.nexttrack.train;

import io.nexttrack.io.AtomicFile;
import io.nexttrack.model.Checkpoint;
import io.nexttrack.model.TrainedModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

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
    private final Map<String, String> runHeader;
    private final long intervalNanos;
    private long lastWrite = System.nanoTime();
    private long resumeWrittenAtStep = -1;
    private boolean modelWritten;

    public Checkpointing(Path modelFile, Path resumeFile, double minutes) {
        this(modelFile, resumeFile, minutes, Map.of());
    }

    /** @param runHeader entries added to every resumable checkpoint (e.g. how the data was split, for a resume to check) */
    public Checkpointing(Path modelFile, Path resumeFile, double minutes, Map<String, String> runHeader) {
        this.modelFile = modelFile;
        this.resumeFile = resumeFile;
        this.runHeader = Map.copyOf(runHeader);
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

    @Override
    public void onStep(Trainer trainer, Step step) {
        if (System.nanoTime() - lastWrite >= intervalNanos) writeResume(trainer);
    }

    @Override
    public void onEpoch(Trainer trainer, Epoch e) {
        writeResume(trainer);
        if (e.best() || !trainer.hasValidation()) writeModel(trainer.model());
    }

    /** Writes only what the last epoch end did not: these files can be hundreds of MB at large V. */
    @Override
    public void onFinish(Trainer trainer) {
        if (trainer.step() != resumeWrittenAtStep) writeResume(trainer); // the latest state, to continue from
        if (!modelWritten) writeModel(trainer.bestModel());
    }

    private void writeResume(Trainer trainer) {
        Checkpoint ck = trainer.checkpoint(false); // written at once: Adam's moments need no copies
        runHeader.forEach(ck::put);
        write(ck, resumeFile);
        lastWrite = System.nanoTime();
        resumeWrittenAtStep = trainer.step();
    }

    private void writeModel(TrainedModel model) {
        write(model.encode(), modelFile);
        modelWritten = true;
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
