package io.nexttrack.cli;

import static io.nexttrack.cli.ErrorContractTest.assertBadInput;
import static io.nexttrack.cli.ErrorContractTest.assertOneLine;
import static org.junit.jupiter.api.Assertions.*;

import io.nexttrack.cli.CliTest.Run;
import io.nexttrack.data.Dataset;
import io.nexttrack.data.PlaylistReader;
import io.nexttrack.data.YesWriter;
import io.nexttrack.model.Checkpoint;
import io.nexttrack.model.RunCheckpoint;
import io.nexttrack.train.Checkpointing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --resume} continues the same run or refuses: every item of the run's fingerprint (split seed,
 * fractions, the training and the validation playlists) and every model or optimiser option is checked.
 */
class ResumeTest {
    @TempDir static Path dir;
    static Path data;
    static Path model;
    static byte[] resumeBytes;

    private static String[] train(Path out, String... more) {
        return ErrorContractTest.train(data, out, more);
    }

    @BeforeAll
    static void oneEpoch() throws Exception {
        data = ErrorContractTest.synthesise(dir.resolve("synth"));
        model = dir.resolve("run/model.nt");
        Run r = CliTest.run(train(model));
        assertEquals(0, r.code(), r.err());
        resumeBytes = Files.readAllBytes(Checkpointing.resumeFileFor(model));
    }

    /** Puts the run's resume file back as it was after the first epoch. */
    private static void reset() throws Exception {
        Files.write(Checkpointing.resumeFileFor(model), resumeBytes);
    }

    private static Run resume(String... more) throws Exception {
        reset();
        String[] args = new String[more.length + 3];
        args[0] = "--resume";
        args[1] = "--epochs";
        args[2] = "2";
        System.arraycopy(more, 0, args, 3, more.length);
        return CliTest.run(train(model, args));
    }

    @Test
    void theSameRunResumes() throws Exception {
        Run r = resume("--threads", "2", "--patience", "3", "--checkpoint-minutes", "5", "--hidden", "8", "--lr", "0.003");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("resuming") && r.out().contains("epoch 2  train loss"), r.out());
        assertEquals("", r.err());
    }

    @Test
    void badValuesOfTheOptionsThatMayChangeAreTheUsersNotTheFiles() throws Exception {
        Run r = assertBadInput(resume("--patience", "-1"), "--patience -1");
        assertFalse(r.err().contains("model.resume.nt"), r.err());
    }

    @Test
    void anotherSplitIsRefusedSayingWhatDiffers() throws Exception {
        Run r = assertBadInput(resume("--split-seed", "7"), "model.resume.nt", "--split-seed 7 (the run used 42)");
        assertFalse(r.out().contains("resuming"), r.out());
        assertBadInput(resume("--validation", "0.2"), "--validation 0.2 (the run used 0.1)");
        assertBadInput(resume("--test", "0.05"), "--test 0.05 (the run used 0.1)");
    }

    @Test
    void otherPlaylistsWithTheSameSongsAreRefused() throws Exception {
        // The same song list and split options, but playlists changed: drop the last playlist of the data.
        Dataset d = PlaylistReader.read(data);
        var p = d.playlists();
        int[] keep = java.util.stream.IntStream.range(0, p.size() - 1).toArray();
        Path other = dir.resolve("other");
        YesWriter.write(d.withPlaylists(withAllSongs(p.select(keep), p)), other);
        reset();
        Run r = CliTest.run(train(model, "--resume", "--epochs", "2", "--data", other.toString()));
        assertBadInput(r, "model.resume.nt", "playlists are not the run's", "CRC-32C");
        assertFalse(r.out().contains("resuming"), "checked before it is announced: " + r.out());
    }

    @Test
    void validationPlaylistsAreFingerprintedToo() throws Exception {
        reset();
        Path file = Checkpointing.resumeFileFor(model);
        Checkpoint ck = Checkpoint.read(file);
        RunCheckpoint.DATA_VALIDATION.write(ck, "7 playlists, 9 plays, CRC-32C 00000000");
        ck.write(file);
        Run r = CliTest.run(train(model, "--resume", "--epochs", "2"));
        assertBadInput(r, "validation playlists are not the run's", "7 playlists, 9 plays");
    }

    @Test
    void changedModelOrOptimiserOptionsAreRefusedNotIgnored() throws Exception {
        assertBadInput(resume("--hidden", "16"), "--hidden 16 (the run has 8)");
        assertBadInput(resume("--lr", "0.01", "--batch", "4"), "--batch 4 (the run has 8)", "--lr 0.01 (the run has 0.003)");
        assertBadInput(resume("--lr-decay", "0.5"), "--lr-decay 0.5 (the run has 1.0)");
        assertBadInput(resume("--loss", "sampled", "--samples", "64", "--sample-alpha", "1"), "--loss sampled (the run has auto)",
                "--samples 64 (the run has 2048)", "--sample-alpha 1.0 (the run has 0.5)");
        Path cfg = Files.writeString(dir.resolve("changed.properties"), "layers=3\n");
        assertBadInput(resume("--config", cfg.toString()), "--layers 3 (the run has 2)");
    }

    @Test
    void checkpointsFromBeforeFingerprintsResumeWithAWarning() throws Exception {
        reset();
        Path file = Checkpointing.resumeFileFor(model);
        Checkpoint ck = Checkpoint.read(file);
        for (RunCheckpoint.Key<?> k : List.of(RunCheckpoint.DATA_TRAIN, RunCheckpoint.DATA_VALIDATION, RunCheckpoint.SPLIT_SEED,
                RunCheckpoint.SPLIT_VALIDATION, RunCheckpoint.SPLIT_TEST)) {
            ck.header().remove(k.name());
        }
        ck.write(file);
        Run r = CliTest.run(train(model, "--resume", "--epochs", "2", "--split-seed", "9"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("warning") && r.err().contains("older nexttrack"), r.err());
    }

    @Test
    void aCorruptedResumeFileIsNamedAsSuch() throws Exception {
        reset();
        byte[] b = resumeBytes.clone();
        b[20] ^= 1; // inside the header, where the parser used to fail before the checksum was checked
        Files.write(Checkpointing.resumeFileFor(model), b);
        assertBadInput(CliTest.run(train(model, "--resume", "--epochs", "2")), "model.resume.nt: corrupted or truncated");
    }

    @Test
    void aResumeFileWithImpossibleSettingsIsRefusedNamingIt() throws Exception {
        reset();
        Path file = Checkpointing.resumeFileFor(model);
        Checkpoint ck = Checkpoint.read(file);
        ck.put("train.lr", "Infinity"); // what a careless edit of the file would do (with a valid checksum)
        ck.write(file);
        assertBadInput(CliTest.run(train(model, "--resume", "--epochs", "2")), "model.resume.nt", "not a usable model file",
                "learning rate");
        reset();
        ck = Checkpoint.read(file);
        ck.put("adam.lr", "Infinity"); // the reproduction: it used to train on NaN and overwrite the model
        ck.write(file);
        assertBadInput(CliTest.run(train(model, "--resume", "--epochs", "2")), "model.resume.nt", "not a usable model file",
                "adam.lr");
    }

    @Test
    void aHugeLearningRateStopsWithExitCode1AndKeepsTheBestModel() throws Exception {
        Path out = dir.resolve("diverge/model.nt"), resumeFile = Checkpointing.resumeFileFor(out);
        assertEquals(0, CliTest.run(train(out)).code());
        Checkpoint ck = Checkpoint.read(resumeFile);
        ck.put("adam.lr", "1e38"); // the current (decayed) rate: any finite rate is a valid state, this one overflows
        ck.write(resumeFile);
        byte[] model = Files.readAllBytes(out), resume = Files.readAllBytes(resumeFile);
        Run r = assertOneLine(1, CliTest.run(train(out, "--resume", "--epochs", "3")), "diverged", "epoch 2", "--lr");
        assertFalse(r.out().contains("model written"), r.out());
        assertArrayEquals(model, Files.readAllBytes(out), "the model on disk is byte-identical");
        assertArrayEquals(resume, Files.readAllBytes(resumeFile), "the resume file too");
        assertBadInput(CliTest.run(train(dir.resolve("lr.nt"), "--lr", "1e30")), "--lr 1.0E30");
    }

    /** {@code p}, plus a two-song playlist of every song it lacks, so that the song counts stay valid. */
    private static io.nexttrack.data.Playlists withAllSongs(io.nexttrack.data.Playlists p, io.nexttrack.data.Playlists all) {
        int[] counts = p.songCounts();
        java.util.List<int[]> lists = new java.util.ArrayList<>();
        for (int i = 0; i < p.size(); i++) lists.add(p.playlist(i));
        for (int s = 0; s < counts.length; s++) if (counts[s] == 0) lists.add(new int[] {s, (s + 1) % counts.length});
        return io.nexttrack.data.Playlists.of(all.songCount(), lists.toArray(int[][]::new));
    }
}
