package io.nexttrack.cli;

import static io.nexttrack.cli.ErrorContractTest.assertBadInput;
import static org.junit.jupiter.api.Assertions.*;

import io.nexttrack.cli.CliTest.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a hurried user types wrong gets one line that says what is wrong and how to go on: a bad value in a
 * config file names the file, line and key; a mistyped command gets a suggestion; {@code data stats} takes
 * {@code --data} like every other command; the Yes folder's tag files are refused by name; a GPU-only option
 * on the CPU says so.
 */
class CarelessInputTest {
    @TempDir static Path dir;
    static Path data;

    @BeforeAll
    static void synthesise() {
        data = ErrorContractTest.synthesise(dir.resolve("synth"));
    }

    // ---- config files ----

    @Test
    void aBadValueInAConfigFileNamesTheFileLineAndKey() throws Exception {
        Path cfg = Files.writeString(dir.resolve("bad-value.properties"), "epochs=1\n# the depth\nlayers=two\n");
        Path out = dir.resolve("bad-value/m.nt");
        Run r = assertBadInput(CliTest.run(ErrorContractTest.train(data, out, "--config", cfg.toString())),
                cfg + ":3: layers: invalid value 'two' (not an int)");
        assertFalse(r.err().contains("--layers"), "--layers was never typed: " + r.err());
        assertFalse(Files.exists(out));

        Path prefixed = Files.writeString(dir.resolve("prefixed.properties"), "epochs=1\nlayers=two\ndemo.layers=1\n");
        assertBadInput(CliTest.run(ErrorContractTest.train(data, out, "--config", prefixed.toString())),
                prefixed + ":2: layers: invalid value 'two'");

        Path device = Files.writeString(dir.resolve("bad-enum.properties"), "device = quantum\n");
        r = assertBadInput(CliTest.run(ErrorContractTest.train(data, out, "--config", device.toString())),
                device + ":1: device: invalid value 'quantum'", "CPU");

        // typed on the command line, the value is picocli's to report, and a good value there wins over the file's
        assertBadInput(CliTest.run(ErrorContractTest.train(data, out, "--config", cfg.toString(), "--layers", "nine")),
                "Invalid value for option '--layers': 'nine'");
        Path valid = Files.writeString(dir.resolve("overridden.properties"), "layers=two\n");
        Run ok = CliTest.run(ErrorContractTest.train(data, dir.resolve("overridden/m.nt"), "--config", valid.toString(), "--layers", "1"));
        assertEquals(0, ok.code(), ok.err());
    }

    @Test
    void anUnknownConfigKeyGetsASuggestion() throws Exception {
        Path cfg = Files.writeString(dir.resolve("typo.properties"), "epochs=1\nhiden=8\n");
        assertBadInput(CliTest.run(ErrorContractTest.train(data, dir.resolve("typo.nt"), "--config", cfg.toString())),
                cfg + ":2:1: unknown option 'hiden'; did you mean 'hidden'?");
        Path far = Files.writeString(dir.resolve("far.properties"), "colour=blue\n");
        assertBadInput(CliTest.run(ErrorContractTest.train(data, dir.resolve("far.nt"), "--config", far.toString())),
                far + ":1:1: unknown option 'colour' (keys are long option names");
    }

    // ---- commands ----

    @Test
    void anUnknownCommandGetsASuggestion() {
        Run r = assertBadInput(CliTest.run("trian", "--data", data.toString()), "unknown command 'trian'; did you mean 'train'?");
        assertFalse(r.err().contains("Unmatched"), r.err());
        assertBadInput(CliTest.run("Evaluate"), "unknown command 'Evaluate'; did you mean 'evaluate'?");
        assertBadInput(CliTest.run("data", "stast", data.toString()), "unknown command 'data stast'; did you mean 'data stats'?");
        assertBadInput(CliTest.run("frobnicate"), "unknown command 'frobnicate'", "nexttrack --help");
        assertFalse(CliTest.run("frobnicate").err().contains("did you mean"));
    }

    @Test
    void editDistanceCountsASwapAsOneEdit() {
        assertEquals(1, Suggestion.distance("trian", "train"));
        assertEquals(1, Suggestion.distance("hiden", "hidden"));
        assertEquals(0, Suggestion.distance("Train", "train"));
        assertEquals(3, Suggestion.distance("", "abc"));
        assertEquals(java.util.Optional.of("train"), Suggestion.closest("trian", java.util.List.of("demo", "train", "serve")));
        assertEquals(java.util.Optional.empty(), Suggestion.closest("x", java.util.List.of("demo", "train")));
    }

    // ---- data stats ----

    @Test
    void dataStatsTakesDataAsAnOptionToo() {
        Run positional = CliTest.run("data", "stats", data.toString());
        assertEquals(0, positional.code(), positional.err());
        Run option = CliTest.run("data", "stats", "--data", data.toString());
        assertEquals(0, option.code(), option.err());
        assertEquals(positional.out(), option.out());
        Run both = CliTest.run("data", "stats", "--data", data.toString(), data.toString());
        assertEquals(0, both.code(), both.err());
        assertBadInput(CliTest.run("data", "stats", "--data", data.toString(), dir.resolve("other").toString()), "--data", "other", "once");
        assertBadInput(CliTest.run("data", "stats"), "data stats");
    }

    // ---- the Yes folder's other files ----

    @Test
    void theYesFoldersTagFilesAreRefusedByName() throws Exception {
        Path yes = Files.createDirectories(dir.resolve("yes"));
        Path tags = Files.writeString(yes.resolve("tags.txt"), "0 2 5\n#\n1 2\n3 4 0\n");
        Path tagHash = Files.writeString(yes.resolve("tag_hash.txt"), "0, rock\n1, favorites\n2, pop");
        Files.copy(data.resolve("train.txt"), yes.resolve("train.txt"));
        for (String command : new String[] {"stats", "train"}) {
            String[] args = command.equals("stats") ? new String[] {"data", "stats", tags.toString()}
                    : ErrorContractTest.train(tags, dir.resolve("tags/m.nt"));
            Run r = assertBadInput(CliTest.run(args), tags.toString(), "song tags", "not playlists", "train.txt (" + yes + ")");
            assertFalse(r.out().contains("epoch"), r.out());
        }
        assertBadInput(CliTest.run("data", "stats", tagHash.toString()), tagHash.toString(), "tag names", "not playlists", "train.txt");
        assertFalse(Files.exists(dir.resolve("tags/m.nt")));
        Run plain = CliTest.run("data", "stats", "--data", tags.toString(), "--format", "plain");
        assertEquals(0, plain.code(), "--format plain reads it anyway: " + plain.err());
    }

    // ---- GPU-only options on the CPU ----

    @Test
    void cudnnOnTheCpuSaysItIsNotUsed() {
        Run r = CliTest.run("bench", "--device", "cpu", "--lstm", "cudnn", "--songs", "40", "--steps", "1", "--warmup", "0",
                "--hidden", "4", "--embedding", "4", "--batch", "4", "--unroll", "3", "--threads", "1");
        assertEquals(0, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("nexttrack: note: --lstm cudnn "), r.err());
        Run fused = CliTest.run("bench", "--device", "cpu", "--songs", "40", "--steps", "1", "--warmup", "0",
                "--hidden", "4", "--embedding", "4", "--batch", "4", "--unroll", "3", "--threads", "1");
        assertEquals("", fused.err());
    }
}
