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
 * "binary file matches"). Runs the script against a stand-in for java, so it needs no build.
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
        Process p = pb.start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the launcher finishes");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        assertEquals(2, p.exitValue(), "exit code passed through; stderr: " + err);
        assertEquals("the output\n", out);
        assertEquals("nexttrack: data.txt:3:1: bad \0 byte\n", err);
    }
}
