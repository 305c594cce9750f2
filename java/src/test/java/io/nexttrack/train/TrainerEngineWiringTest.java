package io.nexttrack.train;

import static org.junit.jupiter.api.Assertions.*;

import io.nexttrack.NextTrack;
import io.nexttrack.data.Batch;
import io.nexttrack.data.Batcher;
import io.nexttrack.data.Playlists;
import io.nexttrack.data.Split;
import io.nexttrack.engine.Availability;
import io.nexttrack.engine.Device;
import io.nexttrack.engine.EngineFactory;
import io.nexttrack.engine.FakeGpu;
import io.nexttrack.engine.Lstm;
import io.nexttrack.model.TrainedModel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the trainer asks of its engine, checked with a fake GPU engine that records every call: the layout the
 * engine declares, no host-to-device sync when the learning rate changes, parameters without stale moments when
 * the best epoch is put back, and losses read one step late unless a hook asks.
 */
class TrainerEngineWiringTest {
    static final Split SPLIT = new Split(TrainerTest.playlists(120, 1), TrainerTest.playlists(20, 2), Playlists.of(TrainerTest.SONGS));

    static Trainer trainer(TrainingConfig c, List<Hook> hooks, FakeGpu gpu, Lstm lstm) {
        EngineFactory engines = new EngineFactory(Device.GPU, lstm, 1, () -> gpu);
        return NextTrack.trainer(TrainerTest.freshModel(), c, SPLIT, hooks, engines);
    }

    static FakeGpu gpu() { return new FakeGpu(Availability.yes("fake")); }

    /** Every real lane of a chunk has the same length and starts a playlist only at t = 0. */
    static boolean isBucketChunk(Batch b) {
        int length = -1;
        for (int lane = 0; lane < b.lanes; lane++) {
            if (b.lengths[lane] == 0) continue;
            if (length >= 0 && b.lengths[lane] != length) return false;
            length = b.lengths[lane];
            for (int t = 1; t < b.steps; t++) if (b.resets[b.index(t, lane)] != 0) return false;
        }
        return true;
    }

    @Test
    void cudnnEngineGetsBucketChunksInTrainingAndValidationAndTheCheckpointSaysSo() {
        FakeGpu gpu = gpu();
        try (Trainer t = trainer(TrainerTest.config(1), List.of(), gpu, Lstm.CUDNN)) {
            t.train();
            assertEquals(Batcher.Layout.BUCKETS, t.layout());
            assertEquals("BUCKETS", t.checkpoint().get("train.layout"));
        }
        FakeGpu.Recorder e = gpu.engines.get(0);
        assertTrue(e.count("loss") > 0, "validation ran on the engine");
        assertTrue(e.batches.stream().allMatch(TrainerEngineWiringTest::isBucketChunk));

        FakeGpu fused = gpu();
        try (Trainer t = trainer(TrainerTest.config(1), List.of(), fused, Lstm.FUSED)) {
            t.train();
            assertEquals(Batcher.Layout.LANES, t.layout(), "no requirement: the config's layout");
        }
        assertFalse(fused.engines.get(0).batches.stream().allMatch(TrainerEngineWiringTest::isBucketChunk),
                "lanes chunks reset inside a chunk");
    }

    @Test
    void learningRateChangesWithoutCopyingHostStateToTheDevice() {
        FakeGpu gpu = gpu();
        List<Double> rates = new ArrayList<>();
        Hook halve = new Hook() { // what LearningRateDecay does after an epoch without improvement
            @Override public void onEpoch(Trainer t, Epoch e) {
                t.setLearningRate(t.learningRate() * 0.5);
                rates.add(t.learningRate());
            }
        };
        try (Trainer t = trainer(TrainerTest.config(3), List.of(halve), gpu, Lstm.FUSED)) {
            t.train();
        }
        assertEquals(3, rates.size());
        assertEquals(1e-2 / 8, rates.get(2), 1e-9);
        assertEquals(0, gpu.engines.get(0).count("syncFromHost"), gpu.engines.get(0).calls.toString());
    }

    @Test
    void restoreBestUploadsParametersOnly() {
        FakeGpu gpu = gpu();
        try (Trainer t = trainer(TrainerTest.config(2), List.of(), gpu, Lstm.FUSED)) {
            t.train();
            int before = gpu.engines.get(0).calls.size();
            t.restoreBest();
            List<String> after = gpu.engines.get(0).calls.subList(before, gpu.engines.get(0).calls.size());
            assertEquals(List.of("uploadParameters"), after);
        }
    }

    @Test
    void lossesReachTheHostOneStepLateUnlessAHookAsks() {
        FakeGpu quiet = gpu();
        try (Trainer t = trainer(TrainerTest.config(2), List.of(), quiet, Lstm.FUSED)) {
            t.train();
        }
        FakeGpu.Recorder e = quiet.engines.get(0);
        long steps = e.count("submit");
        assertTrue(steps > 4);
        assertEquals(steps - 2, e.count("trained(1)"), "every step but each epoch's last is read while the next is queued");
        assertEquals(2, e.count("trained(0)"), "one wait per epoch end");
        // No call waits for the step just submitted: each submit is followed by a read of the step before it.
        for (int i = 0; i + 1 < e.calls.size(); i++) {
            if (e.calls.get(i).equals("submit") && e.calls.get(i + 1).equals("trained(0)")) fail("waited right after a submit at call " + i);
        }

        FakeGpu asking = gpu();
        List<Double> losses = new ArrayList<>();
        Hook reader = new Hook() {
            @Override public void onStep(Trainer t, Step s) { losses.add(s.loss()); }
        };
        try (Trainer t = trainer(TrainerTest.config(2), List.of(reader), asking, Lstm.FUSED)) {
            t.train();
        }
        assertEquals(steps, asking.engines.get(0).count("trained(0)"), "a hook that reads every loss waits every step");
        assertEquals(steps, losses.size());
        assertTrue(losses.stream().allMatch(l -> l > 0 && l < 10), losses.toString());
    }

    @Test
    void epochLossIsTheSameWhetherOrNotHooksAsk() {
        List<Hook.Epoch> quiet = new ArrayList<>(), asking = new ArrayList<>();
        Hook quietEpochs = new Hook() {
            @Override public void onEpoch(Trainer t, Epoch e) { quiet.add(e); }
        };
        Hook askingEpochs = new Hook() {
            @Override public void onStep(Trainer t, Step s) { s.epochLoss(); }

            @Override public void onEpoch(Trainer t, Epoch e) { asking.add(e); }
        };
        try (Trainer t = trainer(TrainerTest.config(2), List.of(quietEpochs), gpu(), Lstm.FUSED)) { t.train(); }
        try (Trainer t = trainer(TrainerTest.config(2), List.of(askingEpochs), gpu(), Lstm.FUSED)) { t.train(); }
        assertEquals(quiet.size(), asking.size());
        for (int i = 0; i < quiet.size(); i++) assertEquals(quiet.get(i).trainLoss(), asking.get(i).trainLoss());
    }

    @Test
    void resumingMidEpochWithAnotherLayoutIsRefused() {
        Hook stopAfter3 = new Hook() {
            @Override public void onStep(Trainer t, Step s) { if (s.step() == 3) t.requestStop(); }
        };
        io.nexttrack.model.Checkpoint ck;
        try (Trainer t = trainer(TrainerTest.config(1), List.of(stopAfter3), gpu(), Lstm.FUSED)) {
            t.train();
            ck = t.checkpoint();
        }
        TrainedModel m = TrainedModel.decode(ck);
        EngineFactory cudnn = new EngineFactory(Device.GPU, Lstm.CUDNN, 1, TrainerEngineWiringTest::gpu);
        try (Trainer t = NextTrack.trainer(m, TrainerTest.config(1), SPLIT, List.of(), cudnn)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.restore(ck));
            assertTrue(e.getMessage().contains("lanes chunks, but this engine trains on buckets"), e.getMessage());
        }
    }
}
