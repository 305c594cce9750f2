package io.nexttrack.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands end to end on a small synthetic dataset: what a user types, what they see, exit codes. */
class CliTest {
    @TempDir static Path dir;
    static Path data;

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @BeforeAll
    static void synthesise() {
        data = dir.resolve("synth");
        Run r = run("data", "synth", "--songs", "120", "--playlists", "1500", "--seed", "3", "--out", data.toString());
        assertEquals(0, r.code(), r.err());
    }

    private static String[] trainArgs(Path out, String... more) {
        String[] base = {"train", "--data", data.toString(), "--out", out.toString(), "--hidden", "16",
                "--embedding", "8", "--batch", "16", "--unroll", "10", "--threads", "1"};
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void trainEvaluateRecommendAndResume() throws Exception {
        Path model = dir.resolve("run/model.nt");
        Run train = run(trainArgs(model, "--epochs", "2"));
        assertEquals(0, train.code(), train.err());
        assertTrue(train.out().contains("epoch 2  train loss"), train.out());
        assertTrue(train.out().contains("lstm+sknn: weights lstm "), "the hybrid is tuned after training: " + train.out());
        assertTrue(Files.exists(model) && Files.exists(dir.resolve("run/model.resume.nt")));
        assertTrue(Files.readString(dir.resolve("run/model.loss.svg")).startsWith("<svg"));
        assertEquals(2, Files.readAllLines(dir.resolve("run/model.metrics.jsonl")).size());

        Run resumed = run(trainArgs(model, "--resume", "--epochs", "3"));
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("resuming") && resumed.out().contains("epoch 3  train loss"), resumed.out());
        assertFalse(resumed.out().contains("epoch 1  train loss"), "resume must not redo finished epochs");
        assertEquals(3, Files.readAllLines(dir.resolve("run/model.metrics.jsonl")).size());

        Run eval = run("evaluate", "--model", model.toString(), "--data", data.toString(), "--json", "--threads", "1");
        assertEquals(0, eval.code(), eval.err());
        for (String key : new String[] {"\"nll\"", "\"perplexity\"", "\"hit@20\"", "\"mrr@500\"", "\"ndcg@1\"", "\"positions\"",
                "\"coverage@20\"", "\"novelty@20\"", "\"lstm+sknn\": {", "\"lstm\": {"}) {
            assertTrue(eval.out().contains(key), key + " in " + eval.out());
        }
        Run table = run("evaluate", "--model", model.toString(), "--data", data.toString(), "--exclude-seen", "--threads", "1");
        assertEquals(0, table.code(), table.err());
        assertTrue(table.out().contains("\nlstm+sknn ") && table.out().contains("\nlstm ") && table.out().contains("cov@20"), table.out());

        Run rec = run("recommend", "--model", model.toString(), "--history", "s1,s2,s3", "--external", "-k", "4");
        assertEquals(0, rec.code(), rec.err());
        String next = rec.out().substring(rec.out().indexOf("next songs:"));
        assertEquals(6, next.strip().lines().count(), rec.out()); // "next songs:", header, 4 rows
        Run unknown = run("recommend", "--model", model.toString(), "--history", "1,2,999");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("unknown song id 999"), unknown.err());
    }

    @Test
    void badInputIsOneLineAndExitCode2() throws Exception {
        Path bad = dir.resolve("bad");
        Files.createDirectories(bad);
        Files.writeString(bad.resolve("train.txt"), "5 6 \n1 1 \n0 x \n");
        Run r = run("data", "stats", bad.toString());
        assertEquals(2, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("train.txt:3:3"), r.err());
        Run missing = run("train", "--data", dir.resolve("nowhere").toString(), "--out", dir.resolve("x.nt").toString());
        assertEquals(2, missing.code());
        assertFalse(missing.err().contains("Exception"), missing.err());
        Run gpu = run(trainArgs(dir.resolve("g.nt"), "--device", "gpu"));
        assertEquals(2, gpu.code());
        assertTrue(gpu.err().contains("--device gpu"), gpu.err());
        Run noResume = run(trainArgs(dir.resolve("fresh/m.nt"), "--resume"));
        assertEquals(2, noResume.code());
        assertTrue(noResume.err().contains("nothing to resume"), noResume.err());
    }

    @Test
    void statsAndHelp() {
        Run stats = run("data", "stats", data.toString());
        assertEquals(0, stats.code());
        assertTrue(stats.out().contains("songs         120"), stats.out());
        for (String cmd : new String[] {"demo", "train", "evaluate", "recommend", "songs", "baselines", "bench", "data"}) {
            Run help = run(cmd, "--help");
            assertEquals(0, help.code(), cmd);
            assertTrue(help.out().startsWith("Usage: nexttrack " + cmd), help.out());
        }
    }

    @Test
    void theSeedPresetTrainsTheSeedModelAlone() throws Exception {
        Path preset = Path.of("../presets/seed.properties");
        if (!Files.exists(preset)) preset = Path.of("presets/seed.properties"); // run from the repository root
        Path model = dir.resolve("seed/model.nt");
        Run r = run("train", "--config", preset.toString(), "--data", data.toString(), "--out", model.toString(), "--epochs", "1",
                "--threads", "1");
        assertEquals(0, r.code(), r.err());
        assertFalse(r.out().contains("lstm+sknn"), r.out());
        var header = io.nexttrack.model.Checkpoint.read(model).header();
        assertEquals(java.util.List.of("100", "100", "2"), java.util.List.of(header.get("model.embedding"), header.get("model.hidden"),
                header.get("model.layers")));
        assertNull(io.nexttrack.model.TrainedModel.load(model).hybrid(), "no hybrid");
        assertEquals("0.0", header.get("model.dropout"), "the seed's model has no dropout");
        var settings = io.nexttrack.model.Checkpoint.read(io.nexttrack.train.Checkpointing.resumeFileFor(model)).header();
        assertEquals("0.001", settings.get("train.lr"), "nor the default's rate");
        Run eval = run("evaluate", "--model", model.toString(), "--data", data.toString(), "--json", "--threads", "1");
        assertTrue(eval.out().contains("\"lstm\": {") && !eval.out().contains("lstm+sknn"), eval.out());

        Path plain = dir.resolve("plain/model.nt");
        Run noHybrid = run(trainArgs(plain, "--epochs", "1", "--no-hybrid"));
        assertEquals(0, noHybrid.code(), noHybrid.err());
        assertNull(io.nexttrack.model.TrainedModel.load(plain).hybrid(), "--no-hybrid keeps the LSTM alone");
        assertEquals("0.6", io.nexttrack.model.Checkpoint.read(plain).header().get("model.dropout"), "train's default dropout");
    }

    @Test
    void configFileSuppliesDefaults() throws Exception {
        Path cfg = Files.writeString(dir.resolve("small.properties"), "epochs=1\nhidden=6\nembedding=5\nbatch=8\nunroll=5\n");
        Path model = dir.resolve("cfg/model.nt");
        Run r = run("train", "--config", cfg.toString(), "--data", data.toString(), "--out", model.toString(), "--threads", "1");
        assertEquals(0, r.code(), r.err());
        var header = io.nexttrack.model.Checkpoint.read(model).header();
        assertEquals("6", header.get("model.hidden"));
        assertEquals("5", header.get("model.embedding"));
    }

    /** A key of another command's option is ignored, so one file serves train and bench (a typo is refused, see ErrorContractTest). */
    @Test
    void oneConfigFileServesTrainAndBench() throws Exception {
        Path cfg = Files.writeString(dir.resolve("shared.properties"), "hidden=8\nembedding=6\nbatch=8\nunroll=5\npatience=2\nepochs=1\n");
        Run bench = run("bench", "--config", cfg.toString(), "--songs", "50", "--steps", "1", "--warmup", "0", "--threads", "1",
                "--device", "cpu");
        assertEquals(0, bench.code(), bench.err());
        assertTrue(bench.out().contains("shape: B=8 T=5 E=6 H=8 L=2, threads=1"), bench.out());
    }

    /** The device line of every command that computes, and the GPU options on a machine without a GPU. */
    @Test
    void deviceChoiceIsAnnouncedAndAGpuRequestWithoutOneFailsInOneLine() throws Exception {
        boolean gpu = io.nexttrack.engine.gpu.CudaBackend.instance().availability().available();
        org.junit.jupiter.api.Assumptions.assumeFalse(gpu, "this machine has a GPU: the fallback is not what runs here");
        Path model = dir.resolve("dev/model.nt");
        Run auto = run(trainArgs(model, "--epochs", "1", "--lstm", "cudnn"));
        assertEquals(0, auto.code(), auto.err());
        assertTrue(auto.out().contains("device: cpu (1 thread); no GPU: "), auto.out());
        Run cpu = run("evaluate", "--model", model.toString(), "--data", data.toString(), "--threads", "1", "--device", "cpu");
        assertEquals(0, cpu.code(), cpu.err());
        assertTrue(cpu.out().startsWith("device: cpu (1 thread)\n"), cpu.out());
        Run rec = run("recommend", "--model", model.toString(), "--history", "1,2", "-k", "3");
        assertEquals(0, rec.code(), rec.err());
        assertTrue(rec.err().startsWith("device: cpu"), "the device line goes to stderr, the table to stdout: " + rec.err());
        assertEquals(5, nextSongs(rec).strip().lines().count(), rec.out()); // "next songs:", the header, k rows
        for (String[] cmd : new String[][] {
                {"evaluate", "--model", model.toString(), "--data", data.toString(), "--device", "gpu"},
                {"recommend", "--model", model.toString(), "--history", "1", "--device", "gpu"},
                {"bench", "--songs", "50", "--steps", "1", "--warmup", "0", "--device", "gpu", "--lstm", "cudnn"},
                {"demo", "--device", "gpu"}}) {
            Run r = run(cmd);
            assertEquals(2, r.code(), String.join(" ", cmd) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().startsWith("nexttrack: --device gpu: no usable GPU ("), r.err());
        }
        Run bench = run("bench", "--songs", "50", "--steps", "2", "--warmup", "1", "--hidden", "8", "--embedding", "8",
                "--batch", "8", "--unroll", "5", "--threads", "1", "--device", "cpu", "--layout", "buckets");
        assertEquals(0, bench.code(), bench.err());
        assertTrue(bench.out().contains("cpu layout=buckets V=50 ms/step="), bench.out());
    }

    /** An untrained model whose songs have the names the lookup must handle: duplicates, a comma, a featured artist. */
    static Path namedModel() throws Exception {
        String[][] named = {
            {"17555081", "Grenade", "Bruno Mars"},
            {"17277121", "Aston Martin Music (w/ Drake & Chrisette Michelle)", "Rick Ross"},
            {"7255707", "Beautiful", "Christina Aguilera"},
            {"17534342", "Beautiful", "MercyMe"},
            {"7019371", "Baby, I Love Your Way", "Peter Frampton"},
        };
        int songs = 30;
        String[] ids = new String[songs], titles = new String[songs], artists = new String[songs];
        for (int s = 0; s < songs; s++) {
            String[] row = s < named.length ? named[s] : new String[] {"900" + s, "Song " + s, "Artist " + s};
            ids[s] = row[0];
            titles[s] = row[1];
            artists[s] = row[2];
        }
        var random = io.nexttrack.TestModels.random(songs, 5);
        Path file = dir.resolve("named/model.nt");
        Files.createDirectories(file.getParent());
        new io.nexttrack.model.TrainedModel(random.parameters(), new io.nexttrack.data.Vocabulary(java.util.List.of(ids)),
                new io.nexttrack.data.SongCatalog(titles, artists)).save(file);
        return file;
    }

    /** The part of recommend's output after the history echo. */
    private static String nextSongs(Run r) {
        return r.out().substring(r.out().indexOf("next songs:"));
    }

    @Test
    void recommendTakesTitlesAndEchoesTheHistory() throws Exception {
        String model = namedModel().toString();
        Run byTitle = run("recommend", "--model", model, "--history", "Grenade; Aston Martin Music", "-k", "5");
        assertEquals(0, byTitle.code(), byTitle.err());
        String[] lines = byTitle.out().split("\n");
        assertEquals("history (oldest first):", lines[0]);
        assertEquals("   #     song  external id   title                                     artist", lines[1]);
        assertEquals("   1        0  17555081      Grenade                                   Bruno Mars", lines[2]);
        assertEquals("   2        1  17277121      Aston Martin Music (w/ Drake & Chrisett…  Rick Ross", lines[3]);
        assertEquals(7, nextSongs(byTitle).strip().lines().count(), byTitle.out());
        Run byId = run("recommend", "--model", model, "--history", "0,1", "-k", "5");
        assertEquals(nextSongs(byId), nextSongs(byTitle), "titles and ids name the same songs");
        Run mixed = run("recommend", "--model", model, "--history", "Baby, I Love Your Way; grenade - bruno mars;2",
                "--history", "3", "-k", "2");
        assertEquals(0, mixed.code(), mixed.err());
        assertTrue(mixed.out().contains("   1        4  7019371       Baby, I Love Your Way")
                && mixed.out().contains("   2        0  17555081") && mixed.out().contains("   3        2  7255707")
                && mixed.out().contains("   4        3  17534342"), mixed.out());
    }

    @Test
    void recommendExplainsNamesItCannotPlace() throws Exception {
        String model = namedModel().toString();
        Run ambiguous = run("recommend", "--model", model, "--history", "Grenade; beautiful");
        assertEquals(2, ambiguous.code());
        assertEquals("nexttrack: 'beautiful' fits 2 songs: Beautiful - Christina Aguilera (id 2, external id 7255707); "
                + "Beautiful - MercyMe (id 3, external id 17534342); name one by 'title - artist' or by id\n", ambiguous.err());
        assertTrue(ambiguous.out().isEmpty(), "nothing printed before the error");
        Run typo = run("recommend", "--model", model, "--history", "Grenad");
        assertEquals(2, typo.code());
        assertTrue(typo.err().contains("did you mean: Grenade - Bruno Mars (id 0, external id 17555081)?"), typo.err());
        Run external = run("recommend", "--model", model, "--history", "17277121");
        assertEquals(2, external.code());
        assertTrue(external.err().contains("unknown song id 17277121 (ids are 0..29); it is the external id of Aston Martin Music")
                && external.err().strip().endsWith("add --external to read numbers as external ids"), external.err());
        Run withFlag = run("recommend", "--model", model, "--history", "17277121", "--external");
        assertEquals(0, withFlag.code(), withFlag.err());
        assertTrue(withFlag.out().contains("   1        1  17277121"), withFlag.out());
        Run internal = run("recommend", "--model", model, "--history", "2", "--external");
        assertEquals(2, internal.code());
        assertTrue(internal.err().contains("no song has external id 2; 2 is the internal id of Beautiful - Christina Aguilera")
                && internal.err().strip().endsWith("without --external numbers are internal ids"), internal.err());
        Run nothing = run("recommend", "--model", model, "--history", "qqqq zzzz");
        assertEquals(2, nothing.code());
        assertTrue(nothing.err().contains("no title is close to it; `nexttrack songs --model"), nothing.err());
        assertEquals(1, nothing.err().strip().lines().count());
    }

    @Test
    void songsSearchListsIdsTitlesAndArtists() throws Exception {
        String model = namedModel().toString();
        Run beautiful = run("songs", "--model", model, "--search", "beautiful");
        assertEquals(0, beautiful.code(), beautiful.err());
        assertEquals("""
                   song  external id   title                                     artist
                      2  7255707       Beautiful                                 Christina Aguilera
                      3  17534342      Beautiful                                 MercyMe
                """, beautiful.out());
        Run artist = run("songs", "--model", model, "--search", "bruno");
        assertTrue(artist.out().contains("      0  17555081      Grenade"), artist.out());
        Run all = run("songs", "--model", model, "--limit", "3");
        assertEquals(5, all.out().lines().count(), all.out());
        assertTrue(all.out().endsWith("(3 of 30 songs shown; --limit 0 shows all)\n"), all.out());
        Run none = run("songs", "--model", model, "--search", "grenadine");
        assertEquals(0, none.code());
        assertTrue(none.out().startsWith("no song matches 'grenadine'; did you mean:\n  Grenade - Bruno Mars (id 0"), none.out());
        Run data = run("songs", "--data", CliTest.data.toString(), "--limit", "1");
        assertEquals(0, data.code(), data.err());
        Run neither = run("songs", "--search", "x");
        assertEquals(2, neither.code());
    }
}
