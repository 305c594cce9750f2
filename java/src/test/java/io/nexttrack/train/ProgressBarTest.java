package io.nexttrack.train;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The progress display says where the whole run is (epoch 4/80, the early-stopping patience left) with an estimate for
 * the run, not only for the epoch; on a terminal its line is redrawn in place and an interrupt ends it, so that what
 * follows starts on a clean line.
 */
class ProgressBarTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    private String shown() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private ProgressBar bar(boolean terminal) {
        return new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), terminal);
    }

    private static Hook.Step step(Trainer t, int chunk, int chunks, double seconds) {
        return new Hook.Step(t, t.epoch(), chunk, chunks, chunk, 40, 40 * chunk / seconds, seconds);
    }

    @Test
    void aPlainLineSaysWhereTheRunIsAndEstimatesItsEnd() {
        TrainingConfig c = TrainerTest.config(80).withPatience(4);
        try (Trainer t = TrainerTest.trainer(c, List.of(), TrainerTest.freshModel())) {
            ProgressBar bar = bar(false);
            bar.onStart(t);
            bar.onStep(t, step(t, 25, 100, 5.0)); // a quarter of epoch 1 in 5 s: 15 s to go, then 79 epochs of 20 s
            assertEquals("epoch 1/80  25/100 chunks  loss 0.0000  200 tok/s  ETA 0:15, run at most 26:35  patience 4/4\n", shown());
        }
    }

    @Test
    void theBarIsRedrawnInPlaceAndAnInterruptEndsItsLine() {
        try (Trainer t = TrainerTest.trainer(TrainerTest.config(3), List.of(), TrainerTest.freshModel())) {
            ProgressBar bar = bar(true);
            bar.onStart(t);
            bar.onStep(t, step(t, 1, 10, 1.0));
            assertTrue(shown().startsWith("\repoch 1/3 [") && !shown().contains("\n"), shown());
            assertTrue(shown().contains("run at most 0:29"), "9 chunks of 1 s, then two epochs of 10 s: " + shown());
            assertFalse(shown().contains("patience"), "patience 0 never stops early: " + shown());
            bar.onInterrupt(t);
            assertTrue(shown().endsWith("\n"), "the line is ended: " + shown());
            bar.onInterrupt(t);
            assertEquals(1, shown().chars().filter(ch -> ch == '\n').count(), "once: " + shown());
        }
    }
}
