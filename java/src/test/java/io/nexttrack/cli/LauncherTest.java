package io.nexttrack.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code nexttrack} launcher script passes stdout and the exit code through and filters only the Vector API's
 * start-up warning from stderr: a line with a NUL byte reaches the user as it is (grep used to replace it by
 * "binary file matches"). When it builds, it says what it is doing in a few lines and keeps Maven's output in a
 * log, shown in part only when the build fails. Runs the script against stand-ins for java and mvn, so it needs
 * no build.
 */
class LauncherTest {
    @TempDir Path root;

    @Test
    void stderrLinesWithNulBytesAreNotSwallowed() throws Exception {
        Path script = Path.of(System.getProperty("user.dir")).resolve("../nexttrack").normalize();
        Files.copy(script, root.resolve("nexttrack"));
        for (String d : new String[] {"java/src/main", "native"}) Files.createDirectories(root.resolve(d));
        Files.writeString(root.resolve("pom.xml"), "");
        Files.writeString(root.resolve("java/pom.xml"), "");
        Files.createDirectories(root.resolve("java/target"));
        Path jar = Files.writeString(root.resolve("java/target/nexttrack.jar"), "", StandardCharsets.UTF_8);
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + 60_000)); // newer than the sources: no build
        Path java = root.resolve("jdk/bin/java");
        Files.createDirectories(java.getParent());
        Files.writeString(java, """
                #!/usr/bin/env bash
                if [ "$1" = "-version" ]; then echo 'openjdk version "25" 2025-09-16' >&2; exit 0; fi
                echo 'WARNING: Using incubator modules: jdk.incubator.vector' >&2
                printf 'nexttrack: data.txt:3:1: bad \\000 byte\\n' >&2
                echo 'the output'
                exit 2
                """);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));

        ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("nexttrack").toString(), "data", "stats", "data.txt");
        pb.environment().put("JAVA_HOME", root.resolve("jdk").toString());
        // stderr into a file: the filter may write after Java has exited, and a pipe from Process would drop that
        // (the JDK drains and closes a process's streams when it exits)
        Path errFile = root.resolve("stderr.txt");
        pb.redirectError(errFile.toFile());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the launcher finishes");
        String err = "";
        for (long end = System.nanoTime() + 10_000_000_000L; !err.endsWith("\n") && System.nanoTime() < end; Thread.sleep(20)) {
            err = new String(Files.readAllBytes(errFile), StandardCharsets.ISO_8859_1); // the filter's line, once it is written
        }
        assertEquals(2, p.exitValue(), "exit code passed through; stderr: " + err);
        assertEquals("the output\n", out);
        assertEquals("nexttrack: data.txt:3:1: bad \0 byte\n", err);
    }

    /** The launcher and a project skeleton in {@code root}, with stand-ins for java (prints "ran") and mvn ({@code mvnBody}). */
    private Path project(String mvnBody) throws Exception {
        Path script = Path.of(System.getProperty("user.dir")).resolve("../nexttrack").normalize();
        Files.copy(script, root.resolve("nexttrack"));
        for (String d : new String[] {"java/src/main", "native"}) Files.createDirectories(root.resolve(d));
        Files.writeString(root.resolve("pom.xml"), "");
        Files.writeString(root.resolve("java/pom.xml"), "");
        executable(root.resolve("jdk/bin/java"), """
                #!/usr/bin/env bash
                if [ "$1" = "-version" ]; then echo 'openjdk version "25" 2025-09-16' >&2; exit 0; fi
                echo ran
                """);
        executable(root.resolve("bin/mvn"), "#!/usr/bin/env bash\n" + mvnBody);
        return root;
    }

    private static void executable(Path file, String text) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private record Result(int code, String out, String err) {}

    private Result launch(String... args) throws Exception {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("bash", root.resolve("nexttrack").toString()));
        command.addAll(java.util.List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("JAVA_HOME", root.resolve("jdk").toString());
        pb.environment().put("PATH", root.resolve("bin") + ":" + System.getenv("PATH"));
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the launcher finishes");
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    /** What Maven prints in a build: colour resets, downloads, the plugins' banners, the native script's lines. */
    private static final String MAVEN_BUILD = """
            printf '\\033[0m\\033[0m[INFO] Scanning for projects...\\n'
            echo '[INFO] Downloading from central: https://repo.maven.apache.org/maven2/a/b/1/b-1.pom'
            echo '[INFO] Downloaded from central: https://repo.maven.apache.org/maven2/a/b/1/b-1.pom (2 kB at 9 kB/s)'
            echo '[INFO] Downloading from central: https://repo.maven.apache.org/maven2/a/c/1/c-1.jar'
            echo '[INFO] --- exec-maven-plugin:3.5.0:exec (native-fatbin) @ nexttrack ---'
            echo '[nexttrack] nvcc not found: skipping the CUDA fatbin (CPU-only build)'
            echo '[nexttrack] host build of the kernels: /somewhere/libnexttrack_kernels_host.so'
            echo '[INFO] --- maven-compiler-plugin:3.14.0:compile (default-compile) @ nexttrack ---'
            echo '[INFO] Compiling 120 source files with javac [debug release 25] to target/classes'
            echo '[INFO] BUILD SUCCESS'
            """;

    @Test
    void theFirstBuildSaysWhatItIsDoingAndNothingMore() throws Exception {
        project(MAVEN_BUILD + "mkdir -p java/target && touch java/target/nexttrack.jar\n");
        Result r = launch("--help");
        assertEquals(0, r.code(), r.err());
        assertEquals("ran\n", r.out());
        String[] lines = r.err().split("\n");
        assertEquals(java.util.List.of(
                "nexttrack: first run: building with Maven (about a minute) ...",
                "nexttrack: downloading Maven plugins and libraries (once) ...",
                "nexttrack: compiling the CUDA kernels and their CPU build (native/) ...",
                "nexttrack: note: nvcc not found: skipping the CUDA fatbin (CPU-only build)",
                "nexttrack: compiling Java ..."), java.util.List.of(lines).subList(0, lines.length - 1), r.err());
        assertTrue(lines[lines.length - 1].matches("nexttrack: built in \\d+ s"), r.err());
        assertFalse(r.err().contains("\u001b"), "no escape sequences reach the user");
        assertTrue(Files.readString(root.resolve("java/target/build.log")).contains("Compiling 120 source files"),
                "Maven's whole output is in the log");

        Result again = launch("--help");
        assertEquals("", again.err(), "built: nothing to say");
        Files.setLastModifiedTime(Files.writeString(root.resolve("java/src/main/Changed.java"), ""),
                FileTime.fromMillis(System.currentTimeMillis() + 120_000));
        Result changed = launch("--help");
        assertTrue(changed.err().startsWith("nexttrack: sources changed: rebuilding with Maven ...\n"), changed.err());
    }

    @Test
    void aFailedBuildShowsMavensErrorsAndWhereTheLogIs() throws Exception {
        project("""
                echo '[INFO] --- maven-compiler-plugin:3.14.0:compile (default-compile) @ nexttrack ---'
                echo '[ERROR] COMPILATION ERROR : '
                echo '[ERROR] /p/java/src/main/java/io/nexttrack/X.java:[3,1] class, interface, enum, or record expected'
                echo '[ERROR] '
                echo '[INFO] BUILD FAILURE'
                exit 1
                """);
        Result r = launch("--help");
        assertEquals(1, r.code(), r.err());
        assertEquals("", r.out(), "the CLI does not run");
        assertTrue(r.err().contains("[ERROR] /p/java/src/main/java/io/nexttrack/X.java:[3,1] class, interface"), r.err());
        assertFalse(r.err().contains("[INFO]"), r.err());
        assertTrue(r.err().strip().endsWith("nexttrack: the build failed (Maven's exit code 1); its whole output: "
                + root.resolve("java/target/build.log")), r.err());
    }

    /** Help is laid out at the terminal's width: the launcher passes it as COLUMNS when stdout is a terminal, never otherwise. */
    @Test
    void theTerminalsWidthReachesJavaOnlyOnATerminal() throws Exception {
        project("exit 1\n");
        Files.createDirectories(root.resolve("java/target"));
        Files.setLastModifiedTime(Files.writeString(root.resolve("java/target/nexttrack.jar"), ""),
                FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        executable(root.resolve("jdk/bin/java"), """
                #!/usr/bin/env bash
                if [ "$1" = "-version" ]; then echo 'openjdk version "25" 2025-09-16' >&2; exit 0; fi
                echo "columns=${COLUMNS:-unset}"
                """);
        ProcessBuilder piped = new ProcessBuilder("bash", root.resolve("nexttrack").toString());
        piped.environment().put("JAVA_HOME", root.resolve("jdk").toString());
        piped.environment().put("COLUMNS", "150");
        Process p = piped.start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals("columns=unset\n", new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8), "a pipe is not a terminal");

        org.junit.jupiter.api.Assumptions.assumeTrue(new java.io.File("/usr/bin/script").canExecute(), "no script(1) to make a terminal");
        ProcessBuilder terminal = new ProcessBuilder("/usr/bin/script", "-qec", "stty cols 97 rows 30; bash '" + root.resolve("nexttrack")
                + "'", "/dev/null");
        terminal.environment().put("JAVA_HOME", root.resolve("jdk").toString());
        terminal.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process t = terminal.start();
        assertTrue(t.waitFor(30, TimeUnit.SECONDS));
        String out = new String(t.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(out.contains("columns=97"), out);
    }
}
