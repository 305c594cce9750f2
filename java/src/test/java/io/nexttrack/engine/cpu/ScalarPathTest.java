package io.nexttrack.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexttrack.numeric.InnerLoops;
import io.nexttrack.numeric.InnerLoopsChoice;
import java.io.File;
import java.io.ObjectInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library without hidden JVM flags: {@link KernelProbe} (whole training steps, then recommendations) run in this
 * JVM (Vector API), in a JVM without jdk.incubator.vector (scalar inner loops, one note on stderr) and in one with the
 * module but {@code -Dnexttrack.vector=false} (scalar inner loops, no note). The two scalar runs give the same bits; against
 * the vector run, the only differences come from sums added in another order (the softmax normaliser, the
 * gradient norm): stated tolerances below.
 */
class ScalarPathTest {
    @TempDir
    static Path dir;
    static KernelProbe.Result vector, withoutModule, forced;
    static String withoutModuleErr, forcedErr;

    @BeforeAll
    static void runAllThree() throws Exception {
        vector = KernelProbe.run();
        String[] noModule = fork(List.of(), "without.bin");
        withoutModule = read("without.bin");
        withoutModuleErr = noModule[1];
        String[] property = fork(List.of("--add-modules", InnerLoopsChoice.MODULE, "-D" + InnerLoopsChoice.PROPERTY + "=false"), "forced.bin");
        forced = read("forced.bin");
        forcedErr = property[1];
    }

    /** Runs the probe in a fresh JVM with {@code flags}; returns {exit code, stderr}. */
    private static String[] fork(List<String> flags, String file) throws Exception {
        String classPath = location(InnerLoops.class) + File.pathSeparator + location(KernelProbe.class);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(flags);
        command.addAll(List.of("-cp", classPath, KernelProbe.class.getName(), dir.resolve(file).toString()));
        Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the probe finished");
        assertEquals(0, p.exitValue(), err);
        return new String[] {"0", err};
    }

    private static String location(Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    private static KernelProbe.Result read(String file) throws Exception {
        try (ObjectInputStream in = new ObjectInputStream(Files.newInputStream(dir.resolve(file)))) {
            return (KernelProbe.Result) in.readObject();
        }
    }

    @Test
    void eachJvmChoseAsExpected() {
        assertTrue(vector.kernels().startsWith("vector"), vector.kernels());
        assertEquals("scalar", withoutModule.kernels());
        assertEquals("scalar", forced.kernels());
    }

    @Test
    void withoutTheModuleOneNoteSaysHowToGoFaster() {
        assertEquals(List.of(InnerLoopsChoice.NOTE), withoutModuleErr.lines().toList());
        assertTrue(InnerLoopsChoice.NOTE.contains("--add-modules jdk.incubator.vector"));
        assertTrue(forcedErr.lines().noneMatch(l -> l.contains("note")), "asked for by the property: no note\n" + forcedErr);
    }

    @Test
    void bothScalarRunsGiveTheSameBits() {
        assertArrayEquals(withoutModule.losses(), forced.losses());
        assertArrayEquals(withoutModule.norms(), forced.norms());
        assertArrayEquals(withoutModule.parameters(), forced.parameters());
        assertArrayEquals(withoutModule.songs(), forced.songs());
    }

    /**
     * Losses within 1e-8 relative and gradient norms within 3e-8 (measured: 7e-10 and 3e-9); the first step's gradient
     * within 1e-6 of its largest element (measured: 3e-8).
     */
    @Test
    void trainingStepsAgreeWithTheVectorPath() {
        for (int s = 0; s < KernelProbe.TRAINING_STEPS; s++) {
            assertEquals(vector.losses()[s], withoutModule.losses()[s], 1e-8 * vector.losses()[s], "loss of step " + s);
            assertEquals(vector.norms()[s], withoutModule.norms()[s], 3e-8 * vector.norms()[s], "gradient norm of step " + s);
        }
        float largest = 0;
        for (float g : vector.firstGradient()) largest = Math.max(largest, Math.abs(g));
        assertTrue(largest > 0);
        for (int i = 0; i < vector.firstGradient().length; i++) {
            assertEquals(vector.firstGradient()[i], withoutModule.firstGradient()[i], 1e-6 * largest, "gradient " + i);
        }
        // Adam moves a weight by about the learning rate whatever the gradient's size; where both runs' gradients
        // are far from zero, the steps agree to float rounding: 1e-5 after three steps of 1e-2 (measured: 1e-6).
        int differ = 0;
        for (int i = 0; i < vector.parameters().length; i++) {
            if (Math.abs(vector.parameters()[i] - withoutModule.parameters()[i]) > 1e-5f) differ++;
        }
        assertEquals(0, differ, "parameters more than 1e-5 apart after " + KernelProbe.TRAINING_STEPS + " steps");
    }

    /** The same songs in the same order, log-probabilities within 5e-6 (measured: 5e-7). */
    @Test
    void recommendationsAgreeWithTheVectorPath() {
        assertArrayEquals(vector.songs(), withoutModule.songs());
        for (int i = 0; i < vector.scores().length; i++) assertArrayEquals(vector.scores()[i], withoutModule.scores()[i], 5e-6f);
    }
}
