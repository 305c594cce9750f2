package io.nexttrack.cli;

import static org.junit.jupiter.api.Assertions.*;

import io.nexttrack.model.Checkpoint;
import io.nexttrack.model.RunCheckpoint;
import io.nexttrack.model.TrainedModel;
import io.nexttrack.train.RunFiles;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Ctrl-C (SIGINT) or SIGTERM to a real {@code nexttrack train} JVM: it exits 130 or 143 as before, and says in one line
 * what is safe on disk (the last checkpoint, which the resume file on disk holds) and the command that continues the
 * run, which does; nothing half-written is left. Every wait is bounded; the process is killed at the end whatever
 * happened.
 */
class InterruptTest {
    private static final long SECONDS = 60;
    private static final java.util.concurrent.Executor OWN_THREAD = r -> Thread.ofPlatform().daemon().start(r);
    @TempDir static Path dir;
    static Path data;

    @BeforeAll
    static void synthesise() {
        data = ErrorContractTest.synthesise(dir.resolve("synth"));
    }

    @ParameterizedTest
    @CsvSource({"INT, 2", "TERM, 15"})
    void aSignalDuringTrainingSaysWhatIsSafeAndTheCommandThatContinues(String signal, int number) throws Exception {
        Assumptions.assumeFalse(LauncherSignalTest.ignoredHere(number), "SIG" + signal + " is ignored by this JVM, and so by what it starts");
        Path out = dir.resolve(signal + "/m.nt");
        String[] args = ErrorContractTest.train(data, out, "--epochs", "100000", "--patience", "0", "--checkpoint-minutes", "0");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", LauncherSignalTest.classPath(), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("NEXTTRACK_LAUNCHER", "./nexttrack");
        Process p = pb.start();
        try {
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()), OWN_THREAD);
            BufferedReader stdout = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder seen = new StringBuilder();
            String line = CompletableFuture.supplyAsync(() -> {
                try {
                    for (String l; (l = stdout.readLine()) != null; ) {
                        seen.append(l).append('\n');
                        if (l.startsWith("epoch 2  train loss")) return l;
                    }
                } catch (java.io.IOException e) {
                    // the process ended: reported below
                }
                return null;
            }, OWN_THREAD).get(SECONDS, TimeUnit.SECONDS);
            assertNotNull(line, () -> "training went on to epoch 2; stdout:\n" + seen + "stderr:\n" + err.getNow("(open)"));
            CompletableFuture<String> rest = CompletableFuture.supplyAsync(() -> read(p.getInputStream()), OWN_THREAD);
            Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(p.pid())).inheritIO().start();
            assertTrue(kill.waitFor(SECONDS, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -s " + signal);
            assertTrue(p.waitFor(SECONDS, TimeUnit.SECONDS), "the JVM ends");
            String stderr = err.get(SECONDS, TimeUnit.SECONDS), after = rest.get(SECONDS, TimeUnit.SECONDS);
            assertEquals(128 + number, p.exitValue(), "exit code 128 + the signal; stderr: " + stderr);
            assertTrue(after.isEmpty() || after.endsWith("\n"), "stdout ends on a whole line: " + after);

            List<String> said = stderr.lines().filter(l -> l.startsWith("nexttrack: interrupted")).toList();
            assertEquals(1, said.size(), stderr);
            String message = said.getFirst();
            RunFiles files = new RunFiles(out);
            Checkpoint ck = Checkpoint.read(files.resume()); // whole: its checksum matches
            assertTrue(message.startsWith("nexttrack: interrupted: the last checkpoint (" + RunCheckpoint.where(ck) + ") is safe in "
                    + files.resume()), message + "\nthe resume file holds: " + RunCheckpoint.where(ck));
            Matcher best = Pattern.compile("the best model so far \\(epoch (\\d+)\\) in " + Pattern.quote(out.toString())).matcher(message);
            assertTrue(best.find(), message);
            assertNotNull(TrainedModel.load(out));
            List<String> continuation = new ArrayList<>(List.of("./nexttrack"));
            continuation.addAll(Arrays.asList(args));
            continuation.add("--resume");
            assertTrue(message.endsWith("; to continue: " + String.join(" ", continuation)), message);
            try (var left = Files.list(out.getParent())) {
                assertEquals(List.of(), left.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList(), "nothing half-written");
            }

            // The command it gives continues the run where it stopped (here to one epoch more than it had).
            int done = RunCheckpoint.EPOCH.read(ck) + 1;
            List<String> resume = new ArrayList<>(continuation.subList(1, continuation.size()));
            resume.set(resume.indexOf("--epochs") + 1, Integer.toString(done));
            CliTest.Run r = CliTest.run(resume.toArray(String[]::new));
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("resuming " + files.resume() + " " + RunCheckpoint.where(ck)), r.out());
            assertTrue(r.out().contains("epoch " + done + "  train loss"), r.out());
            assertTrue(r.out().contains("reached --epochs " + done), r.out());
        } finally {
            p.destroyForcibly();
        }
    }

    @org.junit.jupiter.api.Test
    void theCommandThatContinuesIsTheOneTypedWithResumeQuotedForTheShell() {
        String launcher = System.getenv("NEXTTRACK_LAUNCHER") == null || System.getenv("NEXTTRACK_LAUNCHER").isBlank() ? "nexttrack"
                : System.getenv("NEXTTRACK_LAUNCHER");
        assertEquals(launcher + " train --data 'my data' --out m.nt --config 'it'\\''s.properties' --resume", Interruption.continuation(
                List.of("train", "--data", "my data", "--out", "m.nt", "--overwrite", "--config", "it's.properties")));
        assertEquals(launcher + " train --resume --out m.nt", Interruption.continuation(List.of("train", "--resume", "--out", "m.nt")));
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
