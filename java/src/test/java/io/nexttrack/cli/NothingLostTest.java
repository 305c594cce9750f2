package io.nexttrack.cli;

import static io.nexttrack.cli.ErrorContractTest.assertBadInput;
import static org.junit.jupiter.api.Assertions.*;

import io.nexttrack.cli.CliTest.Run;
import io.nexttrack.data.PlaylistReader;
import io.nexttrack.train.RunFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A careless user loses nothing to {@code train} (issue 18): {@code --out} never replaces an input or a file that is not
 * a model, a second {@code train} never replaces a run without {@code --overwrite} (and offers {@code --resume}),
 * {@code --epochs 0} is refused, a resume on other data says so before announcing itself; and what {@code train} says:
 * the data and split, why it stopped. The demo replaces its own run, so that it runs twice in a row.
 */
class NothingLostTest {
    @TempDir static Path dir;
    static Path data;

    @BeforeAll
    static void synthesise() {
        data = ErrorContractTest.synthesise(dir.resolve("synth"));
    }

    private static Map<Path, byte[]> snapshot(List<Path> files) throws Exception {
        Map<Path, byte[]> s = new LinkedHashMap<>();
        for (Path f : files) if (Files.exists(f)) s.put(f, Files.readAllBytes(f));
        return s;
    }

    private static void assertUnchanged(Map<Path, byte[]> before) throws Exception {
        for (var e : before.entrySet()) assertArrayEquals(e.getValue(), Files.readAllBytes(e.getKey()), e.getKey() + " changed");
    }

    @Test
    void anOutThatIsAnInputIsRefusedBeforeAnythingIsTouched() throws Exception {
        // the reproduction: the playlists given as --data and as --out
        Path plain = Files.writeString(dir.resolve("same.txt"), "a b c\nb c d\nc d a\nd a b\na c\n".repeat(40));
        byte[] playlists = Files.readAllBytes(plain);
        assertBadInput(CliTest.run(ErrorContractTest.train(plain, plain)), "--out " + plain + " is the data (--data)");
        assertArrayEquals(playlists, Files.readAllBytes(plain));

        List<Path> inputs = PlaylistReader.inputs(data);
        Map<Path, byte[]> before = snapshot(inputs);
        Path songTable = data.resolve("song_hash.txt");
        assertBadInput(CliTest.run(ErrorContractTest.train(data, songTable)), "--out " + songTable + " is part of the data");
        assertBadInput(CliTest.run(ErrorContractTest.train(data, data.resolve("train.txt"), "--overwrite")), "is part of the data");
        Path cfg = Files.writeString(dir.resolve("run.properties"), "hidden=8\n");
        assertBadInput(CliTest.run(ErrorContractTest.train(data, cfg, "--config", cfg.toString())),
                "--out " + cfg + " is the config file (--config)");
        assertEquals("hidden=8\n", Files.readString(cfg));
        // a file the run would write beside the model: train.metrics.jsonl of --out train.nt
        Path beside = Files.writeString(dir.resolve("plays.metrics.jsonl"), "a b\nb c\n".repeat(50));
        assertBadInput(CliTest.run(ErrorContractTest.train(beside, dir.resolve("plays.nt"))), "would write " + beside,
                "which is the data (--data)");
        assertUnchanged(before);
        assertFalse(Files.exists(dir.resolve("plays.nt")));
        assertBadInput(CliTest.run("demo", "--data", plain.toString(), "--out", plain.toString()), "is the data (--data)");
        assertArrayEquals(playlists, Files.readAllBytes(plain));
    }

    @Test
    void anExistingFileThatIsNotAModelIsRefused() throws Exception {
        Path notes = Files.writeString(dir.resolve("notes.txt"), "my notes\n");
        assertBadInput(CliTest.run(ErrorContractTest.train(data, notes)), notes + " exists and is not a nexttrack model",
                "NXTRACK1");
        assertBadInput(CliTest.run(ErrorContractTest.train(data, notes, "--overwrite")), "is not a nexttrack model");
        assertEquals("my notes\n", Files.readString(notes));
        Path empty = Files.createFile(dir.resolve("empty.nt"));
        assertBadInput(CliTest.run(ErrorContractTest.train(data, empty)), "is not a nexttrack model");
        assertEquals(0, Files.size(empty));
    }

    @Test
    void aRunThereIsNeverReplacedWithoutBeingToldTo() throws Exception {
        Path out = dir.resolve("twice/model.nt");
        Run first = CliTest.run(ErrorContractTest.train(data, out));
        assertEquals(0, first.code(), first.err());
        RunFiles files = new RunFiles(out);
        Map<Path, byte[]> run = snapshot(files.all());
        assertEquals(4, run.size(), "model, resume file, log, plot");

        Run again = assertBadInput(CliTest.run(ErrorContractTest.train(data, out)), out + " already holds a run",
                "--resume to continue it", "--overwrite to start afresh");
        assertEquals("", again.out(), "refused before the data is read");
        assertUnchanged(run);
        Files.delete(out); // a resume file alone is a run too (what a crash before the first best epoch leaves)
        assertBadInput(CliTest.run(ErrorContractTest.train(data, out)), "its resume file model.resume.nt");
        assertBadInput(CliTest.run(ErrorContractTest.train(data, out, "--resume", "--overwrite")), "give one of them");
        run.remove(out);
        assertUnchanged(run);

        Run overwritten = CliTest.run(ErrorContractTest.train(data, out, "--overwrite", "--epochs", "2"));
        assertEquals(0, overwritten.code(), overwritten.err());
        assertEquals(2, Files.readAllLines(files.metrics()).size(), "the new run's log");
        Run resumed = CliTest.run(ErrorContractTest.train(data, out, "--resume", "--epochs", "3"));
        assertEquals(0, resumed.code(), resumed.err());
        assertEquals(3, Files.readAllLines(files.metrics()).size());
    }

    @Test
    void epochsZeroIsRefused() {
        Path out = dir.resolve("zero/m.nt");
        assertBadInput(CliTest.run(ErrorContractTest.train(data, out, "--epochs", "0")),
                "--epochs 0: a run needs at least 1 epoch (0 would train nothing and write an untrained model)");
        assertFalse(Files.exists(out));
        assertBadInput(CliTest.run("demo", "--data", data.toString(), "--epochs", "0", "--out", out.toString()), "--epochs 0");
        assertFalse(Files.exists(out));
    }

    @Test
    void trainSaysTheDataTheSplitAndWhyItStopped() {
        Run r = CliTest.run(ErrorContractTest.train(data, dir.resolve("said/m.nt"), "--epochs", "2"));
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.getFirst().matches("60 songs; [\\d,]+/[\\d,]+/[\\d,]+ playlists for train/validation/test \\([\\d,]+/[\\d,]+/[\\d,]+ transitions\\)"),
                r.out());
        assertTrue(r.out().contains("epoch 2  train loss") && r.out().contains("\nreached --epochs 2\nmodel written to "), r.out());
        assertTrue(r.out().contains("epoch 1/2  "), "progress says where the run is: " + r.out());
    }

    @Test
    void theDemoReplacesItsOwnRunSoItRunsTwiceInARow() throws Exception {
        Path out = dir.resolve("demo/model.nt");
        String[] demo = {"demo", "--data", data.toString(), "--out", out.toString(), "--epochs", "1", "--hidden", "8", "--embedding", "6",
                "--batch", "8", "--unroll", "5", "--threads", "1"};
        for (int i = 0; i < 2; i++) {
            Run r = CliTest.run(demo);
            assertEquals(0, r.code(), "run " + (i + 1) + ": " + r.err());
            assertTrue(r.out().contains("test perplexity"), r.out());
        }
    }
}
