package io.nexttrack.cli;

import static org.junit.jupiter.api.Assertions.*;

import io.nexttrack.cli.CliTest.Run;
import io.nexttrack.data.Dataset;
import io.nexttrack.data.PlaylistReader;
import io.nexttrack.data.Split;
import io.nexttrack.engine.Availability;
import io.nexttrack.engine.Device;
import io.nexttrack.engine.EngineException;
import io.nexttrack.engine.EngineFactory;
import io.nexttrack.engine.GpuBackend;
import io.nexttrack.engine.Lstm;
import io.nexttrack.model.ModelConfig;
import io.nexttrack.train.Checkpointing;
import io.nexttrack.train.TrainingConfig;
import io.nexttrack.train.TrainingRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Check everything first, touch files last: a {@code train} or {@code demo} that fails to start (a bad option, bad
 * data, a GPU asked for that is not there, an engine that cannot be made) leaves the previous run's model, resume
 * file, metrics log and loss plot byte for byte as they were; a run that does start replaces the log.
 */
class FailedStartTest {
    @TempDir static Path dir;
    static Path data, model;
    static Map<Path, byte[]> previous;

    @BeforeAll
    static void aPreviousRun() throws Exception {
        data = ErrorContractTest.synthesise(dir.resolve("synth"));
        model = dir.resolve("run/model.nt");
        Run r = CliTest.run(ErrorContractTest.train(data, model, "--epochs", "2"));
        assertEquals(0, r.code(), r.err());
        previous = snapshot();
        assertEquals(2, Files.readAllLines(log()).size());
    }

    private static Path log() {
        return Checkpointing.sibling(model, ".metrics.jsonl");
    }

    private static Map<Path, byte[]> snapshot() throws Exception {
        Map<Path, byte[]> files = new LinkedHashMap<>();
        for (Path p : List.of(model, Checkpointing.resumeFileFor(model), log(), Checkpointing.sibling(model, ".loss.svg"))) {
            assertTrue(Files.exists(p), p.toString());
            files.put(p, Files.readAllBytes(p));
        }
        return files;
    }

    private static void assertUntouched(String what) throws Exception {
        Map<Path, byte[]> now = snapshot();
        previous.forEach((p, bytes) -> assertArrayEquals(bytes, now.get(p), what + " changed " + p.getFileName()));
        try (var entries = Files.list(model.getParent())) {
            assertEquals(previous.size(), entries.count(), what + ": no file added or left behind");
        }
    }

    @Test
    void aStartThatFailsLeavesThePreviousRunAsItWas() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.txt"), "5 6 \n1 1 \n0 x \n");
        boolean gpu = io.nexttrack.engine.gpu.CudaBackend.instance().availability().available();
        Map<String, String[]> starts = new LinkedHashMap<>();
        // --overwrite: these starts would replace the run, were they not refused first
        starts.put("an option that does not parse", ErrorContractTest.train(data, model, "--overwrite", "--hidden", "many"));
        starts.put("a setting that cannot train", ErrorContractTest.train(data, model, "--overwrite", "--lr", "NaN"));
        starts.put("a schedule setting that cannot train", ErrorContractTest.train(data, model, "--overwrite", "--patience", "-1"));
        starts.put("missing data", ErrorContractTest.train(dir.resolve("nowhere"), model, "--overwrite"));
        starts.put("bad data", ErrorContractTest.train(bad, model, "--overwrite"));
        starts.put("a resume on another split", ErrorContractTest.train(data, model, "--resume", "--split-seed", "7"));
        starts.put("a run there, neither --resume nor --overwrite", ErrorContractTest.train(data, model));
        starts.put("--epochs 0", ErrorContractTest.train(data, model, "--overwrite", "--epochs", "0"));
        starts.put("demo on bad data", new String[] {"demo", "--data", bad.toString(), "--out", model.toString()});
        if (!gpu) {
            starts.put("--device gpu without a GPU", ErrorContractTest.train(data, model, "--overwrite", "--device", "gpu"));
            starts.put("demo --device gpu without a GPU", new String[] {"demo", "--device", "gpu", "--out", model.toString()});
        }
        starts.forEach((what, args) -> {
            Run r = CliTest.run(args);
            assertEquals(2, r.code(), what + ": " + r.err());
            assertFalse(r.out().contains("epoch 1"), what + ": " + r.out());
            try {
                assertUntouched(what);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    /** The last moment a start can fail: the engine cannot be made (a GPU out of memory, say), after every check. */
    @Test
    void anEngineThatCannotBeMadeLeavesThePreviousRunAsItWas() throws Exception {
        GpuBackend failing = new GpuBackend() {
            @Override public Availability availability() { return Availability.yes("a GPU that fails"); }

            @Override
            public io.nexttrack.engine.Engine training(io.nexttrack.model.Parameters p, io.nexttrack.optim.Adam a,
                                                       io.nexttrack.engine.EngineSettings s, Lstm l) {
                throw new EngineException("out of device memory allocating the parameters (1 GiB)");
            }

            @Override
            public io.nexttrack.engine.Scorer scorer(io.nexttrack.model.Parameters p, int lanes, int steps, Lstm l) {
                throw new EngineException("no scorer");
            }
        };
        EngineFactory engines = new EngineFactory(Device.GPU, Lstm.FUSED, 1, () -> failing);
        Dataset d = PlaylistReader.read(data);
        Split split = Split.Settings.defaults().apply(d.playlists());
        ModelConfig shape = ModelConfig.seed(d.songCount()).withHidden(8).withEmbedding(6);
        TrainingConfig training = TrainingConfig.defaults().withBatch(8).withUnroll(5).withEpochs(1);
        EngineException e = assertThrows(EngineException.class, () -> TrainingRun.fresh(d, split, shape, training).writingTo(model)
                .overwrite().engines(engines).open().close());
        assertTrue(e.getMessage().contains("out of device memory"), e.getMessage());
        assertUntouched("an engine that cannot be made");
    }

    @Test
    void aRunThatStartsReplacesTheLog() throws Exception {
        Path other = dir.resolve("again/model.nt");
        Files.createDirectories(other.getParent());
        Files.copy(log(), Checkpointing.sibling(other, ".metrics.jsonl"));
        Run r = CliTest.run(ErrorContractTest.train(data, other, "--epochs", "1"));
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(Checkpointing.sibling(other, ".metrics.jsonl"));
        assertEquals(1, lines.size(), "the new run's one epoch, not the old run's two plus one: " + lines);
        assertTrue(lines.getFirst().startsWith("{\"epoch\":1,"), lines.getFirst());
    }
}
