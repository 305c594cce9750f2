package io.nexttrack.cli;

import static org.junit.jupiter.api.Assertions.*;

import io.nexttrack.TestModels;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stopping {@code nexttrack} by its pid (what {@code kill}, {@code timeout --foreground}, a service manager or a supervisor
 * does; SIGTERM, SIGINT or SIGHUP) stops the work:
 * the launcher must not leave Java running behind it, re-parented, holding the port or training on. Runs the real
 * launcher script with a real JVM: a stand-in {@code java} that execs the JDK running these tests, with the test
 * class path in place of the built jar (the jar is built after the tests), so it needs no build. Every wait is
 * bounded and whatever is left is killed at the end.
 */
class LauncherSignalTest {
    private static final long SECONDS = 60;
    /** A thread of its own for each blocking read (the common pool may have a single thread on a small machine). */
    private static final java.util.concurrent.Executor OWN_THREAD = r -> Thread.ofPlatform().daemon().start(r);
    @TempDir Path root;

    /** The launcher in a project skeleton whose jar is newer than its sources (no build), and the stand-in java. */
    private Path launcher() throws Exception {
        Path script = Path.of(System.getProperty("user.dir")).resolve("../nexttrack").normalize();
        Files.copy(script, root.resolve("nexttrack"));
        for (String d : new String[] {"java/src/main", "native", "java/target/lib"}) Files.createDirectories(root.resolve(d));
        Files.writeString(root.resolve("pom.xml"), "");
        Files.writeString(root.resolve("java/pom.xml"), "");
        Files.setLastModifiedTime(Files.writeString(root.resolve("java/target/nexttrack.jar"), ""),
                FileTime.fromMillis(System.currentTimeMillis() + 600_000));
        String realJava = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path java = root.resolve("jdk/bin/java");
        Files.createDirectories(java.getParent());
        Files.writeString(java, """
                #!/usr/bin/env bash
                # Stands in for the JDK's java: the launcher's class path (the built jar) becomes the test class path.
                if [ "$1" = "-version" ]; then exec "%1$s" -version; fi
                args=()
                while [ $# -gt 0 ]; do
                  case "$1" in
                    -cp|-classpath) args+=("$1" "$NEXTTRACK_TEST_CP"); shift 2 ;;
                    -jar) args+=(-cp "$NEXTTRACK_TEST_CP" io.nexttrack.cli.Main); shift 2 ;;
                    *) args+=("$1"); shift ;;
                  esac
                done
                exec "%1$s" "${args[@]}"
                """.formatted(realJava));
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return root.resolve("nexttrack");
    }

    static String classPath() throws Exception {
        return Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI()) + File.pathSeparator
                + Path.of(picocli.CommandLine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** A running launcher: its stdout read line by line, its stderr collected to the end. */
    private record Launched(Process process, BufferedReader out, CompletableFuture<String> err) {
        /** The first stdout line that {@code wanted} accepts; fails after {@code SECONDS}. */
        String awaitLine(Predicate<String> wanted) throws Exception {
            CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
                try {
                    for (String l; (l = out.readLine()) != null; ) if (wanted.test(l)) return l;
                    return null;
                } catch (java.io.IOException e) {
                    return null;
                }
            }, OWN_THREAD);
            String l = line.get(SECONDS, TimeUnit.SECONDS);
            assertNotNull(l, () -> "stdout ended early; exit " + (process.isAlive() ? "-" : process.exitValue()) + ", stderr: "
                    + err.getNow("(still open)"));
            return l;
        }
    }

    private Launched launch(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", launcher().toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("JAVA_HOME", root.resolve("jdk").toString());
        pb.environment().put("NEXTTRACK_TEST_CP", classPath());
        pb.environment().remove("NEXTTRACK_JAVA_OPTS");
        Process p = pb.start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                return "(stderr unreadable: " + e + ")";
            }
        }, OWN_THREAD);
        return new Launched(p, new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)), err);
    }

    /**
     * SIGTERM to the launcher's pid; then the launcher and every process it started (recorded before the signal)
     * must be gone within a few seconds. Returns the launcher's exit code and its stderr.
     */
    private static String[] terminate(Launched l, List<ProcessHandle> tree) throws Exception {
        return signal(l, tree, "TERM");
    }

    /** {@link #terminate} with another signal (TERM, INT, HUP), sent to the launcher's pid only, as kill(1) sends it. */
    private static String[] signal(Launched l, List<ProcessHandle> tree, String signal) throws Exception {
        Process p = l.process();
        Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(p.pid())).inheritIO().start();
        assertTrue(kill.waitFor(SECONDS, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -s " + signal);
        assertTrue(p.waitFor(SECONDS, TimeUnit.SECONDS), "the launcher ends");
        List<String> survivors = new ArrayList<>();
        for (ProcessHandle h : tree) {
            try {
                h.onExit().get(15, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                survivors.add(h.pid() + " " + h.info().commandLine().orElse("?"));
            }
        }
        assertEquals(List.of(), survivors, "processes left running after SIG" + signal + " to the launcher");
        String err = l.err().get(15, TimeUnit.SECONDS);
        return new String[] {Integer.toString(p.exitValue()), err};
    }

    private static List<ProcessHandle> tree(Process p) {
        List<ProcessHandle> t = new ArrayList<>(List.of(p.toHandle()));
        t.addAll(p.toHandle().descendants().toList());
        return t;
    }

    private static void kill(Launched l) {
        if (l == null) return;
        for (ProcessHandle h : tree(l.process())) h.destroyForcibly();
        l.process().destroyForcibly();
    }

    /** Whether this JVM was started with {@code signal} ignored (nohup, a background job): its children inherit that. */
    static boolean ignoredHere(int signal) throws Exception {
        String mask = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("SigIgn:"))
                .map(l -> l.substring(7).strip()).findFirst().orElse("0");
        return new java.math.BigInteger(mask, 16).testBit(signal - 1);
    }

    @ParameterizedTest
    @CsvSource({"TERM, 15", "INT, 2", "HUP, 1"})
    void aSignalToTheLauncherStopsTheServerAndFreesItsPort(String signal, int number) throws Exception {
        Assumptions.assumeFalse(ignoredHere(number), "SIG" + signal + " is ignored by this JVM, and so by what it starts");
        Path model = root.resolve("model.nt");
        TestModels.random(30, 1).save(model);
        Launched l = null;
        List<ProcessHandle> tree = List.of();
        try {
            l = launch("serve", "--model", model.toString(), "--port", "0", "--threads", "1");
            String serving = l.awaitLine(s -> s.startsWith("serving "));
            Matcher m = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/").matcher(serving);
            assertTrue(m.find(), serving);
            int port = Integer.parseInt(m.group(1));
            try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(m.group() + "health"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, health.statusCode(), health.body());
            }
            tree = tree(l.process());
            String[] result = signal(l, tree, signal);
            assertEquals(Integer.toString(128 + number), result[0], "the exit code is Java's (128 + the signal); stderr: " + result[1]);
            assertFalse(result[1].contains("Using incubator modules"), "the launcher still filters the JVM's warning: " + result[1]);
            assertThrows(ConnectException.class, () -> new Socket(InetAddress.getLoopbackAddress(), port).close(), "the port is free");
        } finally {
            for (ProcessHandle h : tree) h.destroyForcibly();
            kill(l);
        }
    }

    @Test
    void sigtermToTheLauncherStopsTraining() throws Exception {
        Path data = root.resolve("synth");
        CliTest.Run synth = CliTest.run("data", "synth", "--songs", "100", "--playlists", "2000", "--seed", "5", "--out", data.toString());
        assertEquals(0, synth.code(), synth.err());
        Launched l = null;
        List<ProcessHandle> tree = List.of();
        try {
            l = launch("train", "--data", data.toString(), "--out", root.resolve("run/m.nt").toString(), "--epochs", "100000",
                    "--patience", "0", "--hidden", "8", "--embedding", "6", "--batch", "8", "--unroll", "5", "--threads", "1");
            l.awaitLine(s -> s.startsWith("epoch "));
            tree = tree(l.process());
            String[] result = terminate(l, tree);
            assertNotEquals("0", result[0], "stopped, not finished; stderr: " + result[1]);
        } finally {
            for (ProcessHandle h : tree) h.destroyForcibly();
            kill(l);
        }
    }
}
