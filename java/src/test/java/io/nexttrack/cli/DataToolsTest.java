package io.nexttrack.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexttrack.data.Dataset;
import io.nexttrack.data.PlaylistReader;
import io.nexttrack.data.Playlists;
import io.nexttrack.data.Split;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The development-set tools: data sample, data split, and the plays per song and repeat count of data stats. */
class DataToolsTest {
    @TempDir Path dir;

    private Path synth(String name) {
        Path out = dir.resolve(name);
        CliTest.Run r = CliTest.run("data", "synth", "--songs", "200", "--playlists", "2000", "--seed", "4", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        return out;
    }

    @Test
    void sampleKeepsADeterministicShareOfThePlaylistsInFileOrder() throws Exception {
        Path data = synth("full");
        Path a = dir.resolve("a"), b = dir.resolve("b");
        CliTest.Run r = CliTest.run("data", "sample", "--data", data.toString(), "--keep", "0.3", "--seed", "9", "--out", a.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("wrote 600 of 2,000 playlists"), r.out());
        assertEquals(0, CliTest.run("data", "sample", "--data", data.toString(), "--keep", "0.3", "--seed", "9", "--out", b.toString()).code());
        assertArrayEquals(Files.readAllBytes(a.resolve("train.txt")), Files.readAllBytes(b.resolve("train.txt")), "deterministic");
        assertTrue(Files.readString(a.resolve("SOURCE.md")).contains("--keep 0.3 --seed 9"));

        Dataset full = PlaylistReader.read(data), kept = PlaylistReader.read(a);
        assertEquals(full.vocabulary().externalIds(), kept.vocabulary().externalIds(), "every song kept, with its id");
        assertEquals(600, kept.playlists().size());
        // Each kept playlist is one of the originals, in the original order.
        int from = 0;
        for (int p = 0; p < kept.playlists().size(); p++) {
            int[] wanted = kept.playlists().playlist(p);
            while (!Arrays.equals(full.playlists().playlist(from), wanted)) from++;
            from++;
        }
        CliTest.Run none = CliTest.run("data", "sample", "--data", data.toString(), "--keep", "0", "--out", b.toString());
        assertEquals(2, none.code());
        assertTrue(none.err().contains("--keep must be in (0, 1], got 0.0"), none.err());
    }

    @Test
    void splitWritesThePartsEveryCommandUses() throws Exception {
        Path data = synth("full");
        Path out = dir.resolve("split");
        CliTest.Run r = CliTest.run("data", "split", "--data", data.toString(), "--split-seed", "7", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        Dataset d = PlaylistReader.read(data);
        Split split = Split.of(d.playlists(), 7);
        assertEquals("200", Files.readString(out.resolve("songs.txt")).strip());
        for (Split.Part part : Split.Part.values()) {
            List<String> lines = Files.readAllLines(out.resolve(part.name().toLowerCase(java.util.Locale.ROOT) + ".txt"));
            Playlists p = split.part(part);
            assertEquals(p.size(), lines.size());
            for (int i = 0; i < p.size(); i++) {
                assertArrayEquals(p.playlist(i), Arrays.stream(lines.get(i).split(" ")).mapToInt(Integer::parseInt).toArray());
            }
        }
    }

    @Test
    void statsCountPlaysPerSongAndRepeatTargets() throws Exception {
        Path data = synth("full");
        long repeats = DataStatsCommand.repeatTargets(PlaylistReader.read(data).playlists());
        CliTest.Run stats = CliTest.run("data", "stats", data.toString());
        assertTrue(stats.out().contains("plays/song") && stats.out().contains("repeats       " + String.format("%,d", repeats)), stats.out());
    }

    @Test
    void repeatTargetsCountsNextSongsAlreadyInThePlaylist() {
        Playlists p = Playlists.of(4, new int[] {3, 1}, new int[] {0, 1, 0}, new int[] {2, 3, 1, 3, 2}, new int[] {1});
        assertEquals(3, DataStatsCommand.repeatTargets(p));
    }
}
