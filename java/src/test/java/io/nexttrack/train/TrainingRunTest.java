package io.nexttrack.train;

import static org.junit.jupiter.api.Assertions.*;

import io.nexttrack.NextTrack;
import io.nexttrack.data.Dataset;
import io.nexttrack.data.SongCatalog;
import io.nexttrack.data.Split;
import io.nexttrack.data.Vocabulary;
import io.nexttrack.engine.EngineFactory;
import io.nexttrack.model.Checkpoint;
import io.nexttrack.model.ModelConfig;
import io.nexttrack.model.RunCheckpoint;
import io.nexttrack.model.TrainedModel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training run of the library ({@link TrainingRun}): fresh or resumed exactly, what it refuses before writing, why
 * it stopped, and a stop from outside that leaves the last checkpoint whole and writes nothing more.
 */
class TrainingRunTest {
    @TempDir Path dir;

    static final int SONGS = TrainerTest.SONGS;
    static final Split SPLIT = new Split(TrainerTest.playlists(120, 1), TrainerTest.playlists(20, 2), TrainerTest.playlists(20, 3));
    static final Dataset DATA = new Dataset(Vocabulary.identity(SONGS), SPLIT.train(), SongCatalog.empty(SONGS));
    static final ModelConfig SHAPE = new ModelConfig(SONGS, 8, 10, 2, 0.1f, false, 0f);

    private static TrainingRun.Builder fresh(int epochs) {
        return TrainingRun.fresh(DATA, SPLIT, SHAPE, TrainerTest.config(epochs)).engines(EngineFactory.cpu(1));
    }

    @Test
    void aResumedRunEndsWhereAStraightRunDoes() throws Exception {
        TrainedModel straight;
        try (TrainingRun run = fresh(3).writingTo(dir.resolve("straight/m.nt")).open()) { straight = run.train(); }
        Path out = dir.resolve("run/m.nt");
        try (TrainingRun run = fresh(2).writingTo(out).open()) { run.train(); }
        TrainedModel resumed;
        try (TrainingRun run = TrainingRun.resume(DATA, SPLIT, out).epochs(3).engines(EngineFactory.cpu(1)).open()) {
            resumed = run.train();
            assertEquals(3, run.trainer().epoch());
        }
        assertArrayEquals(straight.parameters().values(), resumed.parameters().values());
        assertEquals(straight.hybrid().setWeight(), resumed.hybrid().setWeight());
        assertEquals(straight.hybrid().sequenceWeight(), resumed.hybrid().sequenceWeight());
        assertArrayEquals(resumed.parameters().values(), TrainedModel.load(out).parameters().values(), "the model file is the run's");
        assertNotNull(TrainedModel.load(out).hybrid(), "written with its hybrid");
    }

    /**
     * With dropout, the masks follow the step number, so a resumed run is the straight one bit for bit; a run that an
     * older nexttrack trained with dropout between layers only (its files lack {@code model.dropout_sites}) is refused.
     */
    @Test
    void aRunWithDropoutResumesExactlyAndOneFromBeforeItsSitesIsRefused() throws Exception {
        ModelConfig dropped = SHAPE.withDropout(0.3f);
        TrainedModel straight;
        try (TrainingRun run = TrainingRun.fresh(DATA, SPLIT, dropped, TrainerTest.config(2)).engines(EngineFactory.cpu(1))
                .writingTo(dir.resolve("straight/m.nt")).open()) { straight = run.train(); }
        Path out = dir.resolve("dropout/m.nt");
        try (TrainingRun run = TrainingRun.fresh(DATA, SPLIT, dropped, TrainerTest.config(1)).engines(EngineFactory.cpu(1)).writingTo(out)
                .open()) { run.train(); }
        Path resumeFile = Checkpointing.resumeFileFor(out);
        byte[] written = Files.readAllBytes(resumeFile);
        TrainedModel resumed;
        try (TrainingRun run = TrainingRun.resume(DATA, SPLIT, out).epochs(2).engines(EngineFactory.cpu(1)).open()) { resumed = run.train(); }
        assertArrayEquals(straight.parameters().values(), resumed.parameters().values());
        try (TrainingRun run = TrainingRun.fresh(DATA, SPLIT, SHAPE, TrainerTest.config(2)).engines(EngineFactory.cpu(1)).open()) {
            assertNotEquals(straight.parameters().values()[0], run.train().parameters().values()[0], "dropout changed the training");
        }

        Files.write(resumeFile, written); // the run after epoch 1 again, as an older nexttrack wrote it
        Checkpoint old = Checkpoint.read(resumeFile);
        assertEquals(RunCheckpoint.DROPOUT_EVERY_INPUT_AND_OUTPUT, old.header().remove(RunCheckpoint.DROPOUT_SITES.name()));
        old.write(resumeFile);
        var e = assertThrows(ResumeMismatchException.class,
                () -> TrainingRun.resume(DATA, SPLIT, out).epochs(2).engines(EngineFactory.cpu(1)).open());
        assertTrue(e.getMessage().contains("cannot resume: the run was trained with --dropout between LSTM layers only"), e.getMessage());
    }

    @Test
    void nextTrackResumesARunItStarted() throws Exception {
        Path out = dir.resolve("lib/m.nt");
        TrainedModel first = NextTrack.train(DATA, SPLIT, SHAPE, TrainerTest.config(1), out);
        TrainedModel again = NextTrack.resume(out, DATA, SPLIT); // its last epoch was done: straight to the hybrid
        assertArrayEquals(first.parameters().values(), again.parameters().values());
        var e = assertThrows(IllegalArgumentException.class, () -> NextTrack.train(DATA, SPLIT, SHAPE, TrainerTest.config(1), out));
        assertTrue(e.getMessage().contains("already holds a run"), e.getMessage());
    }

    @Test
    void aFreshRunRefusesARunThereAndOverwriteReplacesIt() throws Exception {
        Path out = dir.resolve("again/m.nt");
        try (TrainingRun run = fresh(1).writingTo(out).open()) { run.train(); }
        byte[] model = Files.readAllBytes(out), resume = Files.readAllBytes(Checkpointing.resumeFileFor(out));
        var e = assertThrows(IllegalArgumentException.class, () -> fresh(1).writingTo(out).open());
        assertEquals(out + " already holds a run (its model and its resume file m.resume.nt): add --resume to continue it, "
                + "or --overwrite to start afresh and replace it", e.getMessage());
        assertArrayEquals(model, Files.readAllBytes(out));
        Files.delete(out);
        e = assertThrows(IllegalArgumentException.class, () -> fresh(1).writingTo(out).open());
        assertTrue(e.getMessage().contains("its resume file m.resume.nt"), "a resume file alone is a run: " + e.getMessage());
        assertArrayEquals(resume, Files.readAllBytes(Checkpointing.resumeFileFor(out)));
        try (TrainingRun run = fresh(2).writingTo(out).overwrite().open()) { run.train(); }
        assertEquals(2, RunCheckpoint.EPOCH.read(Checkpoint.read(Checkpointing.resumeFileFor(out))));
    }

    @Test
    void itSaysWhyItStoppedAndAnEarlyStoppedRunResumedTrainsNoFurther() throws Exception {
        // From epoch 2 on the steps are far below float precision: the validation loss stays the same, never better.
        Hook stall = new Hook() {
            @Override public void onEpoch(Trainer t, Epoch e) { t.setLearningRate(1e-30); }
        };
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Path out = dir.resolve("early/m.nt");
        TrainingConfig patient = TrainerTest.config(10).withPatience(2);
        try (TrainingRun run = TrainingRun.fresh(DATA, SPLIT, SHAPE, patient).engines(EngineFactory.cpu(1)).writingTo(out).hooks(stall)
                .log(log).open()) {
            run.train();
            assertEquals(3, run.trainer().epoch());
        }
        assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("early stop: no better validation loss for 2 epochs\n"
                + "model written to " + out + " (best epoch 1,"), bytes.toString(StandardCharsets.UTF_8));
        bytes.reset();
        try (TrainingRun run = TrainingRun.resume(DATA, SPLIT, out).engines(EngineFactory.cpu(1)).log(log).open()) {
            run.train();
            assertEquals(3, run.trainer().epoch(), "stopped early, it stays stopped");
        }
        String said = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(said.startsWith("resuming " + Checkpointing.resumeFileFor(out) + " after epoch 3\n"
                + "loss: full softmax (auto: 40 songs is below 10,000; --loss sampled to sample)\n"
                + "early stop: no better validation loss for 2 epochs\n"), said);
        bytes.reset();
        try (TrainingRun run = fresh(2).log(log).open()) { run.train(); }
        assertTrue(bytes.toString(StandardCharsets.UTF_8).startsWith("loss: full softmax (auto: 40 songs is below 10,000; --loss sampled to sample)\n"
                + "reached --epochs 2\n"), bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anInterruptLeavesTheLastCheckpointWholeAndWritesNothingMore() throws Exception {
        Path out = dir.resolve("stopped/m.nt"), resumeFile = Checkpointing.resumeFileFor(out);
        CountDownLatch second = new CountDownLatch(1);
        Hook signal = new Hook() {
            @Override public void onEpoch(Trainer t, Epoch e) { if (e.epoch() == 2) second.countDown(); }
        };
        TrainingRun run = fresh(1000).writingTo(out).hooks(signal).open();
        Thread training = Thread.ofPlatform().daemon().start(run::train); // parked for good once interrupted
        assertTrue(second.await(60, TimeUnit.SECONDS), "epoch 2 ends");
        TrainingRun.Interrupted stopped = run.interrupt(); // training went on meanwhile: at some epoch end from the 2nd
        assertNotNull(stopped);
        assertTrue(stopped.resume().epoch() >= 2, stopped.safeOnDisk());
        assertEquals(0, stopped.resume().chunk(), "checkpoints at epoch ends only");
        Checkpoint ck = Checkpoint.read(resumeFile);
        assertEquals("after epoch " + stopped.resume().epoch(), RunCheckpoint.where(ck), "the resume file on disk is the one reported");
        assertEquals("the last checkpoint (after epoch " + stopped.resume().epoch() + ") is safe in " + resumeFile
                + ", the best model so far (epoch " + stopped.model().epoch() + ") in " + out, stopped.safeOnDisk());
        assertEquals(stopped.model().epoch(), RunCheckpoint.BEST_EPOCH.read(ck), "the model file holds the run's best epoch");
        byte[] resume = Files.readAllBytes(resumeFile), model = Files.readAllBytes(out);
        Thread.sleep(500); // the training thread goes on to its next hook, and waits there
        assertTrue(training.isAlive());
        assertArrayEquals(resume, Files.readAllBytes(resumeFile), "nothing more written");
        assertArrayEquals(model, Files.readAllBytes(out));
    }

    @Test
    void outputsNeverReplaceAnInputOrAFileThatIsNotAModel() throws Exception {
        Path data = Files.writeString(dir.resolve("plays.txt"), "a b c\n");
        var e = assertThrows(IllegalArgumentException.class, () -> fresh(1).writingTo(data).input(data, "the data (--data)").open());
        assertTrue(e.getMessage().startsWith("--out " + data + " is the data (--data): training would replace it"), e.getMessage());
        Path log = Files.writeString(dir.resolve("m.metrics.jsonl"), "mine\n");
        e = assertThrows(IllegalArgumentException.class, () -> fresh(1).writingTo(dir.resolve("m.nt")).input(log, "the data (--data)").open());
        assertTrue(e.getMessage().contains("would write " + log + ", which is the data (--data)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> fresh(1).writingTo(data).overwrite().open());
        assertTrue(e.getMessage().contains(data + " exists and is not a nexttrack model"), e.getMessage());
        assertEquals("a b c\n", Files.readString(data));
        assertEquals("mine\n", Files.readString(log));
        assertFalse(Files.exists(dir.resolve("m.nt")));
    }

    /** At the MPD's size start-up says what validation costs and how to lower it; at yes_small's it says nothing. */
    @Test
    void aValidationFarLargerThanTrainingIsSaidOnce() {
        assertTrue(TrainingRun.validationNote(17_000, 3_168).isEmpty(), "yes_small: nothing to say");
        String note = TrainingRun.validationNote(650_000, 2_262_292).orElseThrow();
        assertEquals("validation: 650,000 positions scored over all 2,262,292 songs every epoch (1.5 x 10^12 position-songs, full"
                + " softmax); a smaller --validation fraction validates on fewer playlists", note);
    }
}
