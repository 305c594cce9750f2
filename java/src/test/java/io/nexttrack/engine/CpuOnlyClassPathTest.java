package io.nexttrack.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The GPU bindings are optional dependencies: a program whose class path has nexttrack and picocli but no JavaCPP
 * still runs, on the CPU, and says why in one line; asking for the GPU there is a one-line error (exit code 2).
 */
class CpuOnlyClassPathTest {
    static String classPath() throws Exception {
        return Path.of(EngineFactory.class.getProtectionDomain().getCodeSource().getLocation().toURI()) + File.pathSeparator
                + Path.of(picocli.CommandLine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    static String[] run(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", classPath(), "io.nexttrack.cli.Main"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new String[] {String.valueOf(p.exitValue()), out, err};
    }

    @Test
    void runsOnTheCpuWithoutTheBindings() throws Exception {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.bytedeco.javacpp.Loader", false,
                new java.net.URLClassLoader(new java.net.URL[] {Path.of(classPath().split(File.pathSeparator)[0]).toUri().toURL()}, null)));
        String[] auto = run("bench", "--songs", "40", "--steps", "1", "--warmup", "0", "--hidden", "4", "--embedding", "4", "--batch", "4",
                "--unroll", "3", "--threads", "1");
        assertEquals("0", auto[0], auto[2]);
        assertTrue(auto[1].startsWith("device: cpu (1 thread); no GPU: the GPU bindings (org.bytedeco:cuda, optional dependencies) are "
                + "not on the class path\n"), auto[1]);
        String[] gpu = run("bench", "--songs", "40", "--steps", "1", "--warmup", "0", "--device", "gpu");
        assertEquals("2", gpu[0]);
        assertTrue(gpu[2].lines().filter(l -> !l.startsWith("WARNING")).toList().equals(List.of("nexttrack: --device gpu: no usable GPU "
                + "(the GPU bindings (org.bytedeco:cuda, optional dependencies) are not on the class path); use --device cpu or auto")), gpu[2]);
    }
}
