package io.nexttrack.cli;

import static org.junit.jupiter.api.Assertions.*;

import io.nexttrack.cli.CliTest.Run;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The error contract (docs/cli.md, Errors), case by case: bad input is one line on stderr that names the file (and
 * for data the line and column), exit code 2, no stack trace, nothing written; training that cannot go
 * on for other reasons is one line and exit code 1.
 */
class ErrorContractTest {
    @TempDir static Path dir;
    static Path data;

    @BeforeAll
    static void synthesise() {
        data = synthesise(dir.resolve("synth"));
    }

    /** 60 songs, 400 playlists in the Yes format. */
    static Path synthesise(Path where) {
        Run r = CliTest.run("data", "synth", "--songs", "60", "--playlists", "400", "--seed", "4", "--out", where.toString());
        assertEquals(0, r.code(), r.err());
        return where;
    }

    static String[] train(Path out, String... more) {
        return train(data, out, more);
    }

    /** A small, fast training run; {@code more} (option, value pairs or flags) adds to or replaces its options. */
    static String[] train(Path data, Path out, String... more) {
        java.util.Map<String, String> o = new java.util.LinkedHashMap<>();
        String[] base = {"--data", data.toString(), "--out", out.toString(), "--hidden", "8", "--embedding", "6",
                "--batch", "8", "--unroll", "5", "--threads", "1", "--epochs", "1"};
        for (int i = 0; i < base.length; i += 2) o.put(base[i], base[i + 1]);
        for (int i = 0; i < more.length; i++) {
            boolean flag = i + 1 == more.length || more[i + 1].startsWith("--");
            o.put(more[i], flag ? null : more[++i]);
        }
        List<String> a = new ArrayList<>(List.of("train"));
        o.forEach((k, v) -> {
            a.add(k);
            if (v != null) a.add(v);
        });
        return a.toArray(String[]::new);
    }

    /** Exit code 2, exactly one short line on stderr containing every fragment, no Java internals. */
    static Run assertBadInput(Run r, String... fragments) {
        return assertOneLine(2, r, fragments);
    }

    static Run assertOneLine(int code, Run r, String... fragments) {
        assertEquals(code, r.code(), () -> "exit code; stderr: " + r.err() + "\nstdout: " + r.out());
        assertEquals(1, r.err().lines().count(), () -> "one line on stderr: " + r.err());
        assertTrue(r.err().startsWith("nexttrack"), r.err());
        assertTrue(r.err().length() < 400, () -> "short: " + r.err().length() + " chars");
        for (String banned : new String[] {"Exception", "\tat ", "java.", "Error:"}) {
            assertFalse(r.err().contains(banned), () -> "no Java internals (" + banned + "): " + r.err());
        }
        for (String f : fragments) assertTrue(r.err().contains(f), () -> "'" + f + "' in: " + r.err());
        return r;
    }

    // ---- settings that cannot train are refused before anything is read or written ----

    @Test
    void impossibleSettingsAreRefusedUpFront() {
        String[][] cases = {
                {"--lr", "Infinity"}, {"--lr", "NaN"}, {"--lr", "0"}, {"--init-scale", "NaN"}, {"--init-scale", "1e30"},
                {"--clip", "-1"}, {"--lr-decay", "2"}, {"--dropout", "1"}, {"--patience", "-1"},
                {"--checkpoint-minutes", "NaN"}, {"--epochs", "-3"}, {"--epochs", "0"}, {"--threads", "0"}, {"--hidden", "0"},
        };
        for (String[] c : cases) {
            Path out = dir.resolve("settings/" + c[0].substring(2) + ".nt");
            Run r = assertBadInput(CliTest.run(train(out, c)), c[0]);
            assertFalse(r.out().contains("epoch 1"), r.out());
            assertFalse(Files.exists(out), "nothing written for " + String.join(" ", c));
        }
    }

    @Test
    void configurationsTooLargeForMemoryAreRefusedWithTheFigure() {
        Path out = dir.resolve("huge/m.nt");
        assertBadInput(CliTest.run(train(out, "--unroll", "100000000")), "--unroll", "GiB");
        assertBadInput(CliTest.run(train(out, "--batch", "100000000")), "--batch", "GiB");
        assertBadInput(CliTest.run(train(out, "--layers", "3000000")), "--layers 3000000", "GiB");
        assertBadInput(CliTest.run(train(out, "--layers", "100000", "--hidden", "100")), "--layers 100000", "parameters");
        assertBadInput(CliTest.run(train(out, "--hidden", "1000000000")), "--hidden");
        assertBadInput(CliTest.run("data", "synth", "--songs", "2000000000", "--playlists", "10", "--out",
                dir.resolve("synth-huge").toString()), "--songs", "GiB");
        assertFalse(Files.exists(out));
    }

    // ---- model files ----

    @Test
    void corruptedAndWrongModelFilesAreNamedAsSuch() throws Exception {
        Path model = dir.resolve("models/m.nt");
        assertEquals(0, CliTest.run(train(model)).code());
        byte[] good = Files.readAllBytes(model);
        Path bad = dir.resolve("models/bad.nt");
        for (int at : new int[] {1, 9, 14, 40, good.length / 2, good.length - 3}) {
            byte[] b = good.clone();
            b[at] ^= 0x5A;
            Files.write(bad, b);
            assertBadInput(CliTest.run("evaluate", "--model", bad.toString(), "--data", data.toString()), "bad.nt",
                    at < 8 ? "not a nexttrack model" : "corrupted");
        }
        Files.write(bad, Arrays.copyOf(good, good.length / 3));
        assertBadInput(CliTest.run("recommend", "--model", bad.toString(), "--history", "1"), "bad.nt", "truncated");
        assertBadInput(CliTest.run("recommend", "--model", dir.toString(), "--history", "1"), dir.toString(), "folder");
    }

    @Test
    void fifosAreRefusedInsteadOfBlocking() throws Exception {
        Path fifo = dir.resolve("pipe");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertTrue(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0);
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            assertBadInput(CliTest.run("data", "stats", fifo.toString()), "pipe", "not a regular file");
            assertBadInput(CliTest.run("recommend", "--model", fifo.toString(), "--history", "1"), "pipe", "not a regular file");
        });
    }

    // ---- data files ----

    @Test
    void invalidUtf8InSongHashIsLocated() throws Exception {
        Path d = Files.createDirectories(dir.resolve("utf8"));
        Files.writeString(d.resolve("train.txt"), "10 20 \n1 1 \n0 1 \n");
        Files.write(d.resolve("song_hash.txt"), "0\tfine\tme\n1\tbad \u0000".getBytes(StandardCharsets.UTF_8));
        byte[] b = Files.readAllBytes(d.resolve("song_hash.txt"));
        b[b.length - 1] = (byte) 0xC3; // a lone lead byte at the end of line 2
        Files.write(d.resolve("song_hash.txt"), b);
        assertBadInput(CliTest.run("train", "--data", d.toString(), "--out", dir.resolve("utf8.nt").toString()),
                "song_hash.txt:2:", "UTF-8");
    }

    @Test
    void hugeOrBinaryTokensAreQuotedAsShortEscapedExcerpts() throws Exception {
        Path f = dir.resolve("binary/train.txt");
        Files.createDirectories(f.getParent());
        byte[] token = new byte[2 << 20];
        Arrays.fill(token, (byte) 'x');
        token[5] = 0;
        token[6] = 27; // ESC: must not reach the terminal raw
        byte[] head = "1 2 \n1 1 \n0 ".getBytes(StandardCharsets.US_ASCII);
        byte[] all = Arrays.copyOf(head, head.length + token.length + 1);
        System.arraycopy(token, 0, all, head.length, token.length);
        all[all.length - 1] = '\n';
        Files.write(f, all);
        Run r = assertBadInput(CliTest.run("data", "stats", f.toString()), "train.txt:3:3");
        assertFalse(r.err().chars().anyMatch(c -> c < 32 && c != '\n'), "control characters escaped: " + r.err());
    }

    @Test
    void duplicateSongIdsAreLocated() throws Exception {
        Path f = Files.writeString(dir.resolve("dup.txt"), "10 20 10 \n1 1 0 \n0 1 \n");
        assertBadInput(CliTest.run("data", "stats", f.toString()), "dup.txt:1:7", "10");
    }

    @Test
    void yesFileWithABrokenHeaderIsNotReadAsPlainPlaylists() throws Exception {
        Path d = Files.createDirectories(dir.resolve("broken"));
        Path f = Files.writeString(d.resolve("train.txt"), "10 20 30 \n1 1 \n0 1 \n");
        assertBadInput(CliTest.run("data", "stats", f.toString()), "train.txt:2");
    }

    @Test
    void songTableGivenAsDataIsRefused() throws Exception {
        Path f = Files.writeString(dir.resolve("song_hash.txt"), "0\tSome Title\tAn Artist\n1\tOther\tSomeone Else\n");
        assertBadInput(CliTest.run("data", "stats", f.toString()), "song_hash.txt", "train.txt");
    }

    @Test
    void dataWithoutTransitionsIsRefused() throws Exception {
        Path f = Files.writeString(dir.resolve("singles.txt"), "a\nb\nc\nd\n");
        Path out = dir.resolve("singles/m.nt");
        assertBadInput(CliTest.run("train", "--data", f.toString(), "--out", out.toString()), "singles.txt", "transition");
        assertFalse(Files.exists(out));
    }

    // ---- config files ----

    @Test
    void unknownConfigKeysAreRefused() throws Exception {
        Path cfg = Files.writeString(dir.resolve("typo.properties"), "epochs=1\n# a comment\nhiden=8\n");
        assertBadInput(CliTest.run(train(dir.resolve("typo.nt"), "--config", cfg.toString())), "typo.properties:3", "hiden");
        assertFalse(Files.exists(dir.resolve("typo.nt")));
    }

    // ---- outputs ----

    @Test
    void anUnwritableOutputIsFoundBeforeTraining() throws Exception {
        Path asDir = Files.createDirectories(dir.resolve("out-is-a-dir.nt"));
        Run r = assertBadInput(CliTest.run(train(asDir)), "out-is-a-dir.nt", "folder");
        assertFalse(r.out().contains("epoch 1"), r.out());
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        r = assertBadInput(CliTest.run(train(file.resolve("m.nt"))), "plain-file");
        assertFalse(r.out().contains("epoch 1"), r.out());
    }

    // ---- the command line itself ----

    @Test
    void moreThreadsThanCoresAreCappedWithANote() {
        int cores = Runtime.getRuntime().availableProcessors();
        Run r = CliTest.run(train(dir.resolve("threads/m.nt"), "--threads", Integer.toString(cores + 62)));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("device: cpu (" + cores + " threads)"), r.out());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("--threads " + (cores + 62) + " is more than the " + cores + " cores"), r.err());
    }

    @Test
    void optionErrorsAreOneLine() {
        assertBadInput(CliTest.run(train(dir.resolve("o.nt"), "--hidden", "many")), "--hidden", "many");
        assertBadInput(CliTest.run(train(dir.resolve("o.nt"), "--no-such-option")), "--no-such-option");
        String longValue = "y".repeat(100_000);
        assertBadInput(CliTest.run(train(dir.resolve("o.nt"), "--hidden", longValue)), "--hidden", "not an int");
    }
}
