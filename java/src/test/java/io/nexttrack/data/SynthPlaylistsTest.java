package io.nexttrack.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SynthPlaylistsTest {
    private static Dataset defaults;

    @BeforeAll
    static void generateDefaults() {
        defaults = SyntheticPlaylists.generate(SyntheticPlaylists.DEFAULT_SONGS, SyntheticPlaylists.DEFAULT_PLAYLISTS,
                SyntheticPlaylists.DEFAULT_SEED);
    }

    @Test
    void sameSeedGivesTheSamePlaylistsAndDifferentSeedsDiffer() {
        Playlists a = SyntheticPlaylists.generate(500, 3000, 7).playlists();
        Playlists b = SyntheticPlaylists.generate(500, 3000, 7).playlists();
        Playlists c = SyntheticPlaylists.generate(500, 3000, 8).playlists();
        assertArrayEquals(a.offsets(), b.offsets());
        assertArrayEquals(a.songs(), b.songs());
        assertFalse(Arrays.equals(a.songs(), c.songs()));
    }

    @Test
    void resultDoesNotDependOnTheNumberOfThreads() throws Exception {
        int playlists = 100_000; // several chunks
        Playlists parallel = SyntheticPlaylists.generate(2000, playlists, 3).playlists();
        try (ForkJoinPool one = new ForkJoinPool(1)) {
            Playlists serial = one.submit(() -> SyntheticPlaylists.generate(2000, playlists, 3).playlists()).get();
            assertArrayEquals(parallel.offsets(), serial.offsets());
            assertArrayEquals(parallel.songs(), serial.songs());
        }
    }

    @Test
    void shapeOfTheDataset() {
        assertEquals(3168, defaults.songCount());
        assertEquals(41480, defaults.playlists().size());
        assertEquals("s0", defaults.vocabulary().externalId(0));
        assertEquals("s3167", defaults.vocabulary().externalId(3167));
        for (int s = 0; s < defaults.songCount(); s++) {
            assertFalse(defaults.catalog().title(s).isBlank());
            assertTrue(defaults.catalog().artist(s).startsWith("The "));
        }
    }

    @Test
    void idsInRangeAndNoSongFollowsItself() {
        Playlists p = defaults.playlists();
        for (int i = 0; i < p.size(); i++) {
            assertTrue(p.length(i) >= 1);
            for (int j = 0; j < p.length(i); j++) {
                int s = p.song(i, j);
                assertTrue(s >= 0 && s < p.songCount(), "song id " + s);
                if (j > 0) assertNotEquals(p.song(i, j - 1), s, "self-transition in playlist " + i);
            }
        }
    }

    @Test
    void lengthsFollowTheRealHistogram() {
        Playlists p = defaults.playlists();
        int[] hist = new int[12];
        int longest = 0;
        for (int i = 0; i < p.size(); i++) {
            hist[Math.min(p.length(i), 11)]++;
            longest = Math.max(longest, p.length(i));
        }
        assertEquals(16726.0 / 41480, SyntheticLengths.realShare(1), 1e-12);
        for (int n = 1; n <= 11; n++) {
            assertEquals(SyntheticLengths.realShare(n), (double) hist[n] / p.size(), 0.01, "share of length " + n);
        }
        assertEquals(4.24, (double) p.tokens() / p.size(), 0.15, "mean length");
        assertTrue(longest > 60 && longest <= SyntheticLengths.MAX, "longest " + longest);
    }

    @Test
    void popularityIsZipfLikeAndFewSongsGoUnplayed() {
        int[] counts = defaults.playlists().songCounts();
        int[] sorted = counts.clone();
        Arrays.sort(sorted);
        long total = defaults.playlists().tokens(), top = 0;
        int topSongs = sorted.length / 100;
        for (int i = 0; i < topSongs; i++) top += sorted[sorted.length - 1 - i];
        double topShare = (double) top / total;
        long unplayed = Arrays.stream(counts).filter(c -> c == 0).count();
        System.out.printf("top 1%% of songs: %.3f of plays; unplayed songs: %d%n", topShare, unplayed);
        assertTrue(topShare > 0.25, "top 1% share " + topShare);
        assertTrue(unplayed < counts.length / 100, unplayed + " songs never played");
    }

    @Test
    void playlistsMostlyStayInOneCluster() {
        SyntheticWorld w = new SyntheticWorld(SyntheticPlaylists.DEFAULT_SONGS, SyntheticPlaylists.DEFAULT_SEED);
        Playlists p = defaults.playlists();
        long same = 0, transitions = 0;
        for (int i = 0; i < p.size(); i++) {
            for (int j = 1; j < p.length(i); j++) {
                transitions++;
                if (w.clusterOf[p.song(i, j)] == w.clusterOf[p.song(i, j - 1)]) same++;
            }
        }
        double share = (double) same / transitions;
        System.out.printf("transitions within one cluster: %.3f (%d clusters)%n", share, w.clusters);
        assertTrue(share > 0.6 && share < 0.95, "share within a cluster " + share);
    }

    @Test
    void rejectsBadSizes() {
        assertThrows(IllegalArgumentException.class, () -> SyntheticPlaylists.generate(1, 10, 1));
        assertThrows(IllegalArgumentException.class, () -> SyntheticPlaylists.generate(10, -1, 1));
        assertEquals(0, SyntheticPlaylists.generate(2, 0, 1).playlists().size());
        Playlists tiny = SyntheticPlaylists.generate(2, 2000, 1).playlists(); // must alternate, never repeat
        for (int i = 0; i < tiny.size(); i++) {
            for (int j = 1; j < tiny.length(i); j++) assertNotEquals(tiny.song(i, j - 1), tiny.song(i, j));
        }
    }
}
