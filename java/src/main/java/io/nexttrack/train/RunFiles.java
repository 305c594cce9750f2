package io.nexttrack.train;

import io.nexttrack.model.Checkpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The files of a training run, named after its model file {@code MODEL}: the model itself, {@code MODEL}'s
 * {@code .resume.nt} (everything needed to continue), {@code .metrics.jsonl} and {@code .loss.svg}; and the checks
 * that keep a run from destroying what it should not, made before anything is written: no output may be one of the
 * run's inputs (the data, its song table, a config file), the model and resume file may only replace nexttrack model
 * files, and a run already there is replaced only when asked to.
 */
public record RunFiles(Path model) {
    public Path resume() { return Checkpointing.resumeFileFor(model); }

    public Path metrics() { return Checkpointing.sibling(model, ".metrics.jsonl"); }

    public Path plot() { return Checkpointing.sibling(model, ".loss.svg"); }

    /** Every file the run writes. */
    public List<Path> all() { return List.of(model, resume(), metrics(), plot()); }

    /** Whether a run is there: its model file or its resume file. */
    public boolean holdsRun() {
        return Files.isRegularFile(model) || Files.isRegularFile(resume());
    }

    /**
     * Refuses, naming the file: an output that is one of {@code inputs} (each with what it is, e.g. "the data (--data)"),
     * a model or resume file path where a file that is not a nexttrack model stands, and (for a {@link TrainingRun.Start#FRESH}
     * run) a run already there.
     */
    public void check(TrainingRun.Start start, Map<Path, String> inputs) throws IOException {
        for (Path out : all()) {
            if (!Files.exists(out)) continue;
            for (var in : inputs.entrySet()) {
                if (Files.exists(in.getKey()) && Files.isSameFile(out, in.getKey())) {
                    throw new IllegalArgumentException(out.equals(model)
                            ? "--out " + model + " is " + in.getValue() + ": training would replace it with a model; choose another file, "
                                    + "e.g. runs/model.nt"
                            : "--out " + model + " would write " + out + ", which is " + in.getValue() + "; choose another model file");
                }
            }
        }
        for (Path out : List.of(model, resume())) {
            if (Files.isRegularFile(out) && !Checkpoint.isModelFile(out)) {
                throw new IllegalArgumentException(out + " exists and is not a nexttrack model (it does not start with NXTRACK1): "
                        + (out.equals(model) ? "--out" : "the run's resume file") + " would replace it; choose another model file");
            }
        }
        if (start == TrainingRun.Start.FRESH && holdsRun()) {
            List<String> there = new ArrayList<>();
            if (Files.isRegularFile(model)) there.add("its model");
            if (Files.isRegularFile(resume())) there.add("its resume file " + resume().getFileName());
            throw new IllegalArgumentException(model + " already holds a run (" + String.join(" and ", there) + "): add --resume to "
                    + "continue it, or --overwrite to start afresh and replace it");
        }
    }

    /** Deletes the run that stands here (its model and resume file): an {@link TrainingRun.Start#OVERWRITE} run as it starts. */
    void deleteRun() throws IOException {
        Files.deleteIfExists(model);
        Files.deleteIfExists(resume());
    }
}
