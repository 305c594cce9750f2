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
        assertEquals(5, rec.out().strip().lines().count(), rec.out()); // header + 4 rows
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
        for (String cmd : new String[] {"demo", "train", "evaluate", "recommend", "baselines", "bench", "data"}) {
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
        Run eval = run("evaluate", "--model", model.toString(), "--data", data.toString(), "--json", "--threads", "1");
        assertTrue(eval.out().contains("\"lstm\": {") && !eval.out().contains("lstm+sknn"), eval.out());

        Path plain = dir.resolve("plain/model.nt");
        Run noHybrid = run(trainArgs(plain, "--epochs", "1", "--no-hybrid"));
        assertEquals(0, noHybrid.code(), noHybrid.err());
        assertNull(io.nexttrack.model.TrainedModel.load(plain).hybrid(), "--no-hybrid keeps the LSTM alone");
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
        assertEquals(4, rec.out().strip().lines().count(), rec.out());
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
}
