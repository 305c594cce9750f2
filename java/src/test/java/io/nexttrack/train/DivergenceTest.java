package io.nexttrack.train;

import static org.junit.jupiter.api.Assertions.*;

import io.nexttrack.data.Batcher;
import io.nexttrack.model.TrainedModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A diverging run stops with a clear message and never overwrites a good model or checkpoint. */
class DivergenceTest {
    @TempDir Path dir;

    private static TrainingConfig config(int epochs, double lr) {
        return new TrainingConfig(epochs, 8, 6, Batcher.Layout.LANES, lr, 1.0, 0.9, 0.999, 1e-8, 5, 3, 0, 0);
    }

    private List<Hook> hooks(Path model, Hook... more) {
        List<Hook> h = new java.util.ArrayList<>(List.of(more));
        h.add(new Checkpointing(model, Checkpointing.resumeFileFor(model), 0));
        return h;
    }

    /**
     * A learning rate this large is refused by TrainingConfig (see there: 1e30 does not even overflow, Adam's steps
     * are bounded by the rate); a hook can still set one, and 1e38 overflows float within a few steps.
     */
    static final double HUGE = 1e38;

    private static Hook hugeLearningRate() {
        return new Hook() {
            @Override public void onStart(Trainer t) { t.setLearningRate(HUGE); }
        };
    }

    @Test
    void aHugeLearningRateStopsTrainingAndLeavesTheFilesAsTheyWere() throws IOException {
        Path model = dir.resolve("m.nt"), resume = Checkpointing.resumeFileFor(model);
        try (Trainer t = TrainerTest.trainer(config(2, 1e-2), hooks(model), TrainerTest.freshModel())) { t.train(); }
        byte[] goodModel = Files.readAllBytes(model), goodResume = Files.readAllBytes(resume);

        try (Trainer t = TrainerTest.trainer(config(2, 1e-2), hooks(model, hugeLearningRate()), TrainerTest.freshModel())) {
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class, t::train);
            assertTrue(e.getMessage().contains("diverged") && e.getMessage().contains("--lr"), e.getMessage());
        }
        assertArrayEquals(goodModel, Files.readAllBytes(model), "the model file is byte-identical");
        assertArrayEquals(goodResume, Files.readAllBytes(resume), "the resume file is byte-identical");
    }

    @Test
    void divergingAfterGoodEpochsKeepsTheBestModelOnDisk() throws IOException {
        Path model = dir.resolve("run/m.nt");
        byte[][] afterEpoch1 = new byte[2][];
        Hook blowUp = new Hook() { // after a good first epoch, the learning rate becomes absurd
            @Override public void onEpoch(Trainer t, Epoch e) {
                try {
                    afterEpoch1[0] = Files.readAllBytes(model);
                    afterEpoch1[1] = Files.readAllBytes(Checkpointing.resumeFileFor(model));
                } catch (IOException x) {
                    throw new AssertionError(x);
                }
                t.setLearningRate(HUGE);
            }
        };
        List<Hook> hooks = new java.util.ArrayList<>(hooks(model));
        hooks.add(blowUp); // after Checkpointing, so epoch 1's files are on disk when it runs
        try (Trainer t = TrainerTest.trainer(config(3, 1e-2), hooks, TrainerTest.freshModel())) {
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class, t::train);
            assertTrue(e.getMessage().contains("epoch 2") && e.getMessage().contains("epoch 1's"), e.getMessage());
        }
        assertArrayEquals(afterEpoch1[0], Files.readAllBytes(model));
        assertArrayEquals(afterEpoch1[1], Files.readAllBytes(Checkpointing.resumeFileFor(model)));
        assertTrue(allFinite(TrainedModel.load(model)), "what is on disk is finite");
    }

    @Test
    void absurdLearningRatesAreRefusedUpFront() {
        for (double lr : new double[] {1e30, 2, Double.POSITIVE_INFINITY, Double.NaN, 0, -1}) {
            assertThrows(IllegalArgumentException.class, () -> config(1, lr), "lr " + lr);
        }
        assertEquals(1.0, config(1, 1.0).learningRate());
    }

    @Test
    void checkpointingRefusesToWriteNonFiniteParameters() throws IOException {
        Path model = dir.resolve("nan/m.nt");
        TrainedModel m = TrainerTest.freshModel();
        m.parameters().values()[3] = Float.NaN;
        Checkpointing c = new Checkpointing(model, Checkpointing.resumeFileFor(model), 0);
        try (Trainer t = TrainerTest.trainer(config(1, 1e-2), List.of(), m)) {
            assertThrows(TrainingDivergedException.class, () -> c.onFinish(t));
        }
        assertFalse(Files.exists(model));
    }

    private static boolean allFinite(TrainedModel m) {
        for (float v : m.parameters().values()) if (!Float.isFinite(v)) return false;
        return true;
    }
}
