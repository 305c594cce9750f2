package io.nexttrack.cli;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code mvn} on an older Java stops on the enforcer's one line naming Java 25, not on "Could not create the Java
 * Virtual Machine": .mvn/jvm.config must hold only what every JVM accepts. Runs Maven on the root pom alone
 * (validate, offline: the build has fetched the enforcer already) with the machine's Java 17, where there is one.
 */
class JavaVersionCheckTest {
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).resolve("..").normalize();
    private static final Path OLD_JAVA = Path.of("/usr/lib/jvm/java-17-openjdk-amd64");

    private static String run(ProcessBuilder pb, int expectedCode) throws Exception {
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "finishes");
        assertEquals(expectedCode, p.exitValue(), out);
        return out;
    }

    @Test
    void anOlderJavaStartsWithMavensJvmConfig() throws Exception {
        assumeTrue(Files.isExecutable(OLD_JAVA.resolve("bin/java")), "no Java 17 at " + OLD_JAVA);
        List<String> command = new ArrayList<>(List.of(OLD_JAVA.resolve("bin/java").toString()));
        command.addAll(List.of(Files.readString(ROOT.resolve(".mvn/jvm.config")).strip().split("\\s+")));
        command.add("-version");
        run(new ProcessBuilder(command), 0);
    }

    @Test
    void mavenOnAnOlderJavaSaysJava25IsNeeded() throws Exception {
        assumeTrue(Files.isExecutable(OLD_JAVA.resolve("bin/java")), "no Java 17 at " + OLD_JAVA);
        assumeTrue(new File("/usr/bin/mvn").canExecute(), "no mvn");
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/mvn", "-B", "-q", "-o", "-N", "validate").directory(ROOT.toFile());
        pb.environment().put("JAVA_HOME", OLD_JAVA.toString());
        pb.environment().remove("MAVEN_OPTS");
        String out = run(pb, 1);
        assertFalse(out.contains("Could not create the Java Virtual Machine"), out);
        assertFalse(out.contains("\u001b"), "no escape sequences: " + out);
        assertTrue(out.contains("nexttrack needs Java 25 to build (this Maven runs on Java 17")
                && out.contains("set JAVA_HOME to a JDK 25, e.g. JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 mvn -B verify"), out);
        long lines = out.lines().filter(l -> l.contains("Java 25")).count();
        assertEquals(1, lines, "the reason is one line: " + out);
    }
}
