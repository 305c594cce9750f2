package io.nexttrack.train;

import static org.junit.jupiter.api.Assertions.*;

import io.nexttrack.NextTrack;
import io.nexttrack.data.Batcher;
import io.nexttrack.data.Playlists;
import io.nexttrack.data.SongCatalog;
import io.nexttrack.data.Split;
import io.nexttrack.data.Vocabulary;
import io.nexttrack.engine.Device;
import io.nexttrack.engine.EngineFactory;
import io.nexttrack.engine.Lstm;
import io.nexttrack.model.Checkpoint;
import io.nexttrack.model.ModelConfig;
import io.nexttrack.model.Parameters;
import io.nexttrack.model.TrainedModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
    @TempDir Path dir;

    static final int SONGS = 40;

    static Playlists playlists(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[][] lists = new int[n][];
        for (int p = 0; p < n; p++) {
            int start = r.nextInt(SONGS);
            lists[p] = new int[2 + r.nextInt(15)];
            for (int i = 0; i < lists[p].length; i++) lists[p][i] = (start + 3 * i + (r.nextInt(5) == 0 ? 1 : 0)) % SONGS;
        }
        return Playlists.of(SONGS, lists);
    }

    static TrainingConfig config(int epochs) {
        return new TrainingConfig(epochs, 8, 6, Batcher.Layout.LANES, 1e-2, 1.0, 0.9, 0.999, 1e-8, 5, 3, 0, 0);
    }

    /** A trainer on the engines NextTrack.trainer chooses by default (AUTO), with one CPU thread. */
    static Trainer trainer(TrainingConfig c, List<Hook> hooks, TrainedModel model) {
        return trainer(c, 1, hooks, model);
    }

    static Trainer trainer(TrainingConfig c, int threads, List<Hook> hooks, TrainedModel model) {
        return NextTrack.trainer(model, c, new Split(playlists(120, 1), playlists(20, 2), Playlists.of(SONGS)), hooks,
                EngineFactory.of(Device.AUTO, Lstm.FUSED, threads));
    }

    static TrainedModel freshModel() {
        return freshModel(0f);
    }

    static TrainedModel freshModel(float dropout) {
        ModelConfig mc = new ModelConfig(SONGS, 8, 10, 2, 0.1f, false, dropout);
        return new TrainedModel(new Parameters(mc).initialise(5), Vocabulary.identity(SONGS), SongCatalog.empty(SONGS));
    }

    /** Records every chunk loss and epoch. */
    static final class Recorder implements Hook {
        final List<Double> losses = new ArrayList<>();
        final List<Epoch> epochs = new ArrayList<>();

        @Override public void onStep(Trainer t, Step s) { losses.add(s.loss()); }

        @Override public void onEpoch(Trainer t, Epoch e) { epochs.add(e); }
    }

    @Test
    void sameSeedGivesIdenticalLossesAndLossFalls() {
        Recorder a = new Recorder(), b = new Recorder();
        try (Trainer t = trainer(config(4), 2, List.of(a), freshModel())) { t.train(); }
        try (Trainer t = trainer(config(4), 2, List.of(b), freshModel())) { t.train(); }
        assertEquals(a.losses, b.losses);
        assertTrue(a.epochs.get(3).trainLoss() < a.epochs.get(0).trainLoss() - 0.3, a.epochs.toString());
        assertTrue(a.epochs.get(3).validationLoss() < Math.log(SONGS));
    }

    /**
     * Trains {@code config} straight through, and again interrupted (by {@code stop}) and resumed from a checkpoint
     * written to disk; both must give the same chunk losses and bit-identical parameters. Returns the checkpoint.
     */
    private Checkpoint assertResumeIsExact(TrainingConfig interrupted, TrainingConfig config, int threads, Hook stop) throws IOException {
        return assertResumeIsExact(interrupted, config, threads, stop, 0f);
    }

    private Checkpoint assertResumeIsExact(TrainingConfig interrupted, TrainingConfig config, int threads, Hook stop, float dropout)
            throws IOException {
        TrainedModel straight = freshModel(dropout);
        Recorder full = new Recorder();
        try (Trainer t = trainer(config, threads, List.of(full), straight)) { t.train(); }

        Path file = dir.resolve("ck.nt");
        Recorder first = new Recorder();
        try (Trainer t = trainer(interrupted, threads, List.of(first, stop), freshModel(dropout))) {
            t.train();
            t.checkpoint().write(file);
        }
        Checkpoint ck = Checkpoint.read(file);
        TrainedModel resumedModel = TrainedModel.decode(ck);
        Recorder second = new Recorder();
        try (Trainer t = trainer(config, threads, List.of(second), resumedModel)) {
            t.restore(ck);
            t.train();
        }
        List<Double> joined = new ArrayList<>(first.losses);
        joined.addAll(second.losses);
        assertEquals(full.losses, joined);
        Hook.Epoch expected = full.epochs.get(full.epochs.size() - 1), got = second.epochs.get(second.epochs.size() - 1);
        assertEquals(expected.trainLoss(), got.trainLoss()); // the epoch's loss spans the interruption
        assertEquals(expected.validationLoss(), got.validationLoss());
        assertArrayEquals(straight.parameters().values(), resumedModel.parameters().values());
        return ck;
    }

    @Test
    void twoEpochsEqualOneThenResumeFromCheckpoint() throws IOException {
        assertResumeIsExact(config(1), config(2), 2, new Hook() {});
    }

    @Test
    void stoppingInsideAnEpochResumesExactly() throws IOException {
        Hook stopAfter7 = new Hook() {
            @Override public void onStep(Trainer t, Step s) {
                if (s.step() == 7) t.requestStop();
            }
        };
        Checkpoint ck = assertResumeIsExact(config(2), config(2), 1, stopAfter7);
        assertEquals(7, ck.getInt("progress.chunk"));
    }

    /**
     * The sampled loss (candidates drawn from the step number, lazy Adam) resumes exactly inside an epoch: with the
     * default-sized store, and with a store refilled every two steps (N = 2^21), so that the resumed run starts in the
     * middle of a generation of draws that it must remake.
     */
    @Test
    void sampledLossResumesExactly() throws IOException {
        Hook stopAfter7 = new Hook() {
            @Override public void onStep(Trainer t, Step s) {
                if (s.step() == 7) t.requestStop();
            }
        };
        for (int samples : new int[] {16, 1 << 21}) {
            TrainingConfig sampled = config(2).withLoss(io.nexttrack.engine.Loss.sampled(samples));
            Checkpoint ck = assertResumeIsExact(sampled, sampled, 2, stopAfter7);
            assertEquals("sampled", ck.get("train.loss"));
            assertEquals(samples, ck.getInt("train.samples"));
            assertEquals(sampled, Trainer.configOf(ck, 2, 0, 0));
        }
    }

    /** The sampled loss trains: the (full-softmax) validation loss falls, and the same seed gives the same losses. */
    @Test
    void sampledLossTrainsAndIsDeterministic() {
        TrainingConfig sampled = config(4).withLoss(io.nexttrack.engine.Loss.sampled(8));
        Recorder a = new Recorder(), b = new Recorder();
        try (Trainer t = trainer(sampled, 2, List.of(a), freshModel())) { t.train(); }
        try (Trainer t = trainer(sampled, 1, List.of(b), freshModel())) { t.train(); }
        assertEquals(a.losses, b.losses, "1 and 2 threads, same seed: the same losses");
        assertTrue(a.epochs.get(3).validationLoss() < a.epochs.get(0).validationLoss() - 0.2, a.epochs.toString());
        assertTrue(a.epochs.get(3).validationLoss() < Math.log(SONGS));
    }

    @Test
    void resumeIsExactWithDropoutToo() throws IOException {
        Hook stopAfter5 = new Hook() {
            @Override public void onStep(Trainer t, Step s) {
                if (s.step() == 5) t.requestStop();
            }
        };
        assertResumeIsExact(config(2), config(2), 2, stopAfter5, 0.3f);
    }

    @Test
    void earlyStoppingKeepsTheBestEpoch() {
        TrainedModel m = freshModel();
        List<Hook.Epoch> seen = new ArrayList<>();
        Hook record = new Hook() {
            @Override public void onEpoch(Trainer t, Epoch e) { seen.add(e); }
        };
        TrainingConfig c = new TrainingConfig(6, 8, 6, Batcher.Layout.LANES, 5e-2, 1.0, 0.9, 0.999, 1e-8, 5, 3, 1, 0);
        try (Trainer t = trainer(c, List.of(new EarlyStopping(1), record), m)) {
            t.train();
            double best = seen.stream().mapToDouble(Hook.Epoch::validationLoss).min().orElseThrow();
            assertEquals(best, t.bestValidationLoss());
            t.restoreBest(); // the model now holds the best epoch's parameters: its validation loss is the best one
            assertEquals(best, t.validationLoss(), 1e-6);
        }
    }

    @Test
    void learningRateHalvesAfterEpochsWithoutImprovementAndIsCheckpointed() {
        List<Double> rates = new ArrayList<>();
        Hook record = new Hook() {
            @Override public void onEpoch(Trainer t, Epoch e) { rates.add(t.learningRate()); }
        };
        TrainingConfig c = new TrainingConfig(6, 8, 6, Batcher.Layout.LANES, 5e-2, 0.5, 0.9, 0.999, 1e-8, 5, 3, 0, 0);
        List<Hook.Epoch> epochs = new ArrayList<>();
        Hook seen = new Hook() {
            @Override public void onEpoch(Trainer t, Epoch e) { epochs.add(e); }
        };
        try (Trainer t = trainer(c, List.of(seen, new LearningRateDecay(0.5), record), freshModel())) {
            t.train();
            double expected = 5e-2;
            for (int i = 0; i < epochs.size(); i++) {
                if (!epochs.get(i).best()) expected *= 0.5;
                assertEquals(expected, rates.get(i), expected * 1e-6, "epoch " + (i + 1));
            }
            assertEquals(t.learningRate(), t.checkpoint().getDouble("adam.lr"), 1e-9);
        }
    }

    @Test
    void hooksWriteMetricsPlotAndCheckpoints() throws IOException {
        Path model = dir.resolve("run/model.nt");
        List<Hook> hooks = List.of(new EarlyStopping(2), new MetricsLog(Checkpointing.sibling(model, ".metrics.jsonl")),
                new LossPlot(Checkpointing.sibling(model, ".loss.svg")),
                new Checkpointing(model, Checkpointing.resumeFileFor(model), 0));
        try (Trainer t = trainer(config(2), 2, hooks, freshModel())) { t.train(); }
        List<String> lines = Files.readAllLines(dir.resolve("run/model.metrics.jsonl"));
        assertEquals(2, lines.size());
        assertTrue(lines.get(1).startsWith("{\"epoch\":2,"), lines.get(1));
        assertTrue(Files.readString(dir.resolve("run/model.loss.svg")).contains("<polyline"));
        assertEquals(SONGS, TrainedModel.load(model).config().songs());
        assertEquals(2, Checkpoint.read(dir.resolve("run/model.resume.nt")).getInt("progress.epoch"));
    }

    @Test
    void aPlotOrMetricsLogThatCannotBeWrittenNeverStopsTraining() throws IOException {
        Path model = dir.resolve("aux/model.nt");
        Path plot = Files.createDirectories(Checkpointing.sibling(model, ".loss.svg")); // a folder where the plot goes
        java.io.ByteArrayOutputStream warnings = new java.io.ByteArrayOutputStream();
        java.io.PrintStream err = new java.io.PrintStream(warnings, true, java.nio.charset.StandardCharsets.UTF_8);
        Path full = Path.of("/dev/full"); // every write fails with "No space left on device"
        List<Hook> hooks = new ArrayList<>(List.of(new LossPlot(plot, err), new Checkpointing(model, Checkpointing.resumeFileFor(model), 0)));
        if (Files.isWritable(full)) hooks.add(0, new MetricsLog(full, err));
        try (Trainer t = trainer(config(2), 1, hooks, freshModel())) { t.train(); }
        assertEquals(2, Checkpoint.read(Checkpointing.resumeFileFor(model)).getInt("progress.epoch"), "both epochs trained");
        String w = warnings.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(Files.isWritable(full) ? 2 : 1, w.lines().count(), "one warning per output, not per epoch: " + w);
        assertTrue(w.contains("loss plot was not written") && w.contains("model.loss.svg"), w);
        if (Files.isWritable(full)) assertTrue(w.contains("/dev/full: No space left on device"), w);
    }

    @Test
    void theLibraryRefusesWhatCannotTrainBeforeAllocating() {
        TrainingConfig huge = new TrainingConfig(1, 100_000, 10_000, Batcher.Layout.LANES, 1e-3, 1.0, 0.9, 0.999, 1e-8, 5, 3, 0, 0);
        var e = assertThrows(IllegalArgumentException.class, () -> trainer(huge, List.of(), freshModel()));
        assertTrue(e.getMessage().contains("needs about") && e.getMessage().contains("--batch 100000"), e.getMessage());
        Split singles = new Split(Playlists.of(SONGS, new int[] {1}, new int[] {2}), Playlists.of(SONGS), Playlists.of(SONGS));
        e = assertThrows(IllegalArgumentException.class, () -> NextTrack.trainer(freshModel(), config(1), singles, List.of()));
        assertTrue(e.getMessage().contains("nothing to learn"), e.getMessage());
    }
}
