package io.nexttrack.data;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SplitTest {
    static Playlists randomPlaylists(int n, int songs, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[][] lists = new int[n][];
        for (int p = 0; p < n; p++) {
            lists[p] = r.ints(1 + r.nextInt(30), 0, songs).toArray();
            lists[p][0] = p % songs; // makes playlists distinguishable
        }
        return Playlists.of(songs, lists);
    }

    private static Set<String> keys(Playlists p) {
        Set<String> s = new HashSet<>();
        for (int i = 0; i < p.size(); i++) s.add(java.util.Arrays.toString(p.playlist(i)) + "#" + i);
        return s;
    }

    @Test
    void deterministicDisjointAndComplete() {
        Playlists all = randomPlaylists(1000, 5000, 3);
        Split a = Split.of(all, 42), b = Split.of(all, 42), c = Split.of(all, 43);
        assertArrayEquals(a.test().songs(), b.test().songs());
        assertArrayEquals(a.train().offsets(), b.train().offsets());
        assertFalse(java.util.Arrays.equals(a.test().songs(), c.test().songs()));
        long trainable = java.util.stream.IntStream.range(0, all.size()).filter(p -> all.length(p) >= 2).count();
        assertEquals(trainable, a.train().size() + a.validation().size() + a.test().size());
        assertEquals(Math.round(trainable * 0.1), a.test().size());
        assertEquals(all.transitions(), a.train().transitions() + a.validation().transitions() + a.test().transitions());
        // Each original playlist lands in exactly one part: compare as multisets of contents.
        java.util.Map<String, Integer> seen = new java.util.HashMap<>();
        for (Playlists part : new Playlists[] {a.train(), a.validation(), a.test()}) {
            for (int i = 0; i < part.size(); i++) seen.merge(java.util.Arrays.toString(part.playlist(i)), 1, Integer::sum);
        }
        for (int p = 0; p < all.size(); p++) {
            if (all.length(p) < 2) continue;
            String k = java.util.Arrays.toString(all.playlist(p));
            assertTrue(seen.merge(k, -1, Integer::sum) >= 0, "playlist " + p + " appears too often");
        }
        assertTrue(seen.values().stream().allMatch(v -> v == 0));
        assertFalse(keys(a.train()).isEmpty());
    }

    @Test
    void singleSongPlaylistsAreLeftOut() {
        Playlists all = Playlists.of(5, new int[] {1}, new int[] {1, 2}, new int[] {3}, new int[] {0, 4, 2});
        Split s = Split.of(all, 1, 0, 0);
        assertEquals(2, s.train().size());
        assertEquals(0, s.test().size());
    }
}
