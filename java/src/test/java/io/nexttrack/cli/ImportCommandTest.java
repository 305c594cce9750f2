package io.nexttrack.cli;

import static org.junit.jupiter.api.Assertions.*;

import io.nexttrack.cli.CliTest.Run;
import io.nexttrack.data.PlaylistReader;
import io.nexttrack.data.PlaylistStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code data import} as a user runs it, and a store given to the commands that take {@code --data}. */
class ImportCommandTest {
    @TempDir Path dir;

    @Test
    void importedPlaylistsServeEveryCommandThatTakesData() throws Exception {
        Path synth = dir.resolve("synth");
        assertEquals(0, CliTest.run("data", "synth", "--songs", "60", "--playlists", "400", "--seed", "2", "--out", synth.toString()).code());
        Path store = dir.resolve("synth.nts");
        Run r = CliTest.run("data", "import", "--data", synth.toString(), "--out", store.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().matches("wrote 400 playlists \\([\\d,]+ plays of 60 songs\\) to " + java.util.regex.Pattern.quote(store.toString())
                + " \\([\\d.]+ KiB\\) in [\\d.]+ s\\n"), r.out());
        assertEquals(CliTest.run("data", "stats", synth.toString()).out(), CliTest.run("data", "stats", store.toString()).out());
        Run b = CliTest.run("baselines", "--data", store.toString()), t = CliTest.run("baselines", "--data", synth.toString());
        assertEquals(0, b.code(), b.err());
        assertEquals(withoutSeconds(t.out()), withoutSeconds(b.out()), "the same data, the same figures");
        // An existing folder as --out gets FOLDER/playlists.nts, which --data FOLDER then reads.
        Path folder = Files.createDirectories(dir.resolve("folder"));
        assertEquals(0, CliTest.run("data", "import", "--data", synth.resolve("train.txt").toString(), "--out", folder.toString()).code());
        assertTrue(PlaylistReader.read(folder).playlists().isMapped());
        assertEquals(withoutSeconds(t.out()), withoutSeconds(CliTest.run("baselines", "--data", folder.toString()).out()));
    }

    /** The table without its last column, the seconds each model took. */
    private static String withoutSeconds(String table) {
        return table.replaceAll("(?m)\\s+\\S+$", "");
    }

    @Test
    void eventsAreCutIntoSessionsAndTheCountsSaid() throws Exception {
        Path events = dir.resolve("plays.tsv");
        Files.writeString(events, "user\ttrack\ttimestamp\n"
                + "u\ta\t2024-05-01T10:00:00Z\nu\ta\t2024-05-01T10:03:00Z\nu\tb\t2024-05-01T10:06:00Z\n"
                + "u\tc\t2024-05-01T11:00:00Z\n" // 54 minutes later: a session of one
                + "v\tb\t1714557600\nv\tc\t1714557700\n");
        Path store = dir.resolve("sessions.nts");
        Run r = CliTest.run("data", "import", "--data", events.toString(), "--out", store.toString(), "--drop-repeats");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("read 6 listening events of 2 users (3 tracks); cut at pauses over 30m: 2 sessions kept, "
                + "1 dropped as shorter than 2 songs, 1 repeat dropped. wrote 2 playlists (4 plays of 3 songs) to " + store), r.out());
        Run longer = CliTest.run("data", "import", "--data", events.toString(), "--out", store.toString(), "--session-gap", "1h");
        assertTrue(longer.out().contains("cut at pauses over 1h: 2 sessions kept, 0 dropped"), longer.out());
        assertEquals(2, PlaylistReader.read(store).playlists().size());

        Run notEvents = CliTest.run("data", "import", "--data", store.toString(), "--out", dir.resolve("x.nts").toString(),
                "--session-gap", "5m");
        ErrorContractTest.assertBadInput(notEvents, "--session-gap and --drop-repeats are for listening events");
        Run badGap = CliTest.run("data", "import", "--data", events.toString(), "--out", store.toString(), "--session-gap", "soon");
        ErrorContractTest.assertBadInput(badGap, "'soon' is not a duration such as 30m");
        Run trained = CliTest.run("train", "--data", events.toString(), "--out", dir.resolve("m.nt").toString());
        ErrorContractTest.assertBadInput(trained, "this is a file of listening events (user, track, timestamp), not playlists");
    }

    @Test
    void aCorruptStoreIsOneLineAndExitCode2() throws Exception {
        Path store = dir.resolve("c.nts");
        Path plain = dir.resolve("p.txt");
        Files.writeString(plain, "a b c\nc d\n");
        assertEquals(0, CliTest.run("data", "import", "--data", plain.toString(), "--out", store.toString()).code());
        byte[] b = Files.readAllBytes(store);
        Files.write(store, java.util.Arrays.copyOf(b, b.length - 3));
        Run r = CliTest.run("train", "--data", store.toString(), "--out", dir.resolve("m.nt").toString());
        assertEquals(2, r.code());
        assertEquals("nexttrack: " + store + ": corrupted or truncated playlist store (checksum mismatch: the file was damaged or cut "
                + "short; was a copy interrupted?)\n", r.err());
        Run again = CliTest.run("data", "import", "--data", store.toString(), "--out", dir.resolve("d.nts").toString());
        ErrorContractTest.assertBadInput(again, "this is a playlist store already");
    }

    @Test
    void gapsAreReadInTheUsualShorthands() {
        assertEquals(Duration.ofMinutes(30), ImportCommand.parseGap("30m"));
        assertEquals(Duration.ofMinutes(90), ImportCommand.parseGap("1h30m"));
        assertEquals(Duration.ofSeconds(90), ImportCommand.parseGap("90s"));
        assertEquals(Duration.ofMillis(250), ImportCommand.parseGap("250ms"));
        assertEquals(Duration.ofDays(1), ImportCommand.parseGap("1d"));
        assertEquals(Duration.ZERO, ImportCommand.parseGap("0s"));
        assertEquals(Duration.ofMinutes(45), ImportCommand.parseGap("PT45M"));
        for (String bad : new String[] {"", "30", "m", "30 m", "-5m", "PT-5M", "5w"}) {
            assertThrows(IllegalArgumentException.class, () -> ImportCommand.parseGap(bad), bad);
        }
        assertEquals(PlaylistStore.FILE_NAME, "playlists.nts");
    }
}
