package io.nexttrack.model;

import static org.junit.jupiter.api.Assertions.*;

import io.nexttrack.data.Playlists;
import org.junit.jupiter.api.Test;

/** Neighbours and their votes on toy playlists, against hand-computed values. */
class PlaylistNeighboursTest {
    // q0 [0 1 2], q1 [1 3], q2 [4 5], q3 [0 3 1 4]: distinct sizes 3, 2, 2, 4.
    static final Playlists TRAIN = Playlists.of(6, new int[] {0, 1, 2}, new int[] {1, 3}, new int[] {4, 5}, new int[] {0, 3, 1, 4});

    /** Set votes when {@code settings} is null (default neighbours), else sequence votes. */
    static float[] votes(PlaylistNeighbours.Settings settings, boolean skipPlayed, int... history) {
        PlaylistNeighbours.Cursor c = new PlaylistNeighbours(TRAIN, settings == null ? PlaylistNeighbours.Settings.defaults() : settings).cursor();
        for (int s : history) c.play(s);
        float[] out = new float[6];
        c.findNeighbours();
        double total = settings == null ? c.setVotes(out, skipPlayed) : c.sequenceVotes(out, skipPlayed);
        double sum = 0;
        for (float v : out) sum += v;
        assertEquals(sum, total, 1e-6, "vote() returns the sum of the votes");
        return out;
    }

    static PlaylistNeighbours.Settings sequence(int k, int sample) {
        return new PlaylistNeighbours.Settings(k, sample, 0.5, 0.3);
    }

    @Test
    void setVotesSumTheSimilaritiesOfTheNeighboursHoldingASong() {
        // History {0}: q0 cosine 1/sqrt(3), q3 1/sqrt(4).
        float[] v = votes(null, false, 0);
        double q0 = 1 / Math.sqrt(3), q3 = 0.5;
        assertArrayEquals(new float[] {(float) (q0 + q3), (float) (q0 + q3), (float) q0, (float) q3, (float) q3, 0}, v, 1e-6f);
        assertEquals(0, votes(null, true, 0)[0], "skipPlayed: no vote for the history");
    }

    @Test
    void sequenceVotesDecayWithTheDistanceFromTheSharedSong() {
        // History {0}: in q0 and q3 the shared song 0 is first; d steps after it weighs 0.5^(d-1).
        float[] v = votes(sequence(100, 0), true, 0);
        double q0 = 1 / Math.sqrt(3), q3 = 0.5;
        assertEquals(0, v[0]);
        assertEquals(q0 + 0.5 * q3, v[1], 1e-6); // right after 0 in q0; two after it in q3
        assertEquals(0.5 * q0, v[2], 1e-6);
        assertEquals(q3, v[3], 1e-6);
        assertEquals(0.25 * q3, v[4], 1e-6);
        assertEquals(0, v[5]);
    }

    @Test
    void theMostRecentSharedSongAnchorsTheVotesAndEarlierSongsCountLess() {
        // History 3, 1 (1 most recent), |H| = 2: q0 shares {1}: 1/sqrt(6); q1 shares {1, 3}: 2/sqrt(4) = 1;
        // q3 shares {3, 1}: 2/sqrt(8). Anchors: 1 in each (q0 at 1, q1 at 0, q3 at 2).
        double q0 = 1 / Math.sqrt(6), q1 = 1, q3 = 2 / Math.sqrt(8);
        float[] v = votes(sequence(100, 0), false, 3, 1);
        assertEquals(0.3 * q0 + 0.3 * 0.5 * q3, v[0], 1e-6); // one before 1 in q0, two before it in q3
        assertEquals(q0, v[2], 1e-6);
        assertEquals(q1 + 0.3 * q3, v[3], 1e-6, "without skipPlayed a history song keeps its votes");
        assertEquals(q3, v[4], 1e-6);
        assertEquals(0, v[1], "the anchor itself gets no vote");

        float[] two = votes(sequence(2, 0), true, 3, 1); // k = 2: q1 and q3; q0 drops out
        assertEquals(0.3 * 0.5 * q3, two[0], 1e-6);
        assertEquals(0, two[2]);
        assertEquals(0, two[3], "skipPlayed");
        float[] latest = votes(sequence(100, 1), true, 3, 1); // sample 1: only the latest overlapping playlist, q3
        assertEquals(0.3 * 0.5 * (1 / Math.sqrt(2)), latest[0], 1e-6, "|H ∩ q3| / sqrt(2 * 4)");
        assertEquals(0, latest[2]);
    }

    @Test
    void resetForgetsTheHistoryAndRepeatsDoNotChangeTheNeighbours() {
        PlaylistNeighbours n = new PlaylistNeighbours(TRAIN, sequence(100, 0));
        PlaylistNeighbours.Cursor c = n.cursor();
        for (int s : new int[] {4, 5, 4}) c.play(s);
        assertTrue(c.played(5) && c.length() == 3);
        c.reset();
        assertFalse(c.played(4));
        assertEquals(0, c.length());
        c.play(0);
        float[] after = new float[6];
        c.findNeighbours();
        c.sequenceVotes(after, true);
        assertArrayEquals(votes(sequence(100, 0), true, 0), after);
        c.play(0);
        float[] repeated = new float[6];
        assertEquals(0, c.sequenceVotes(repeated, true), "play() forgets the neighbours until they are found again");
        assertEquals(2, c.findNeighbours());
        c.sequenceVotes(repeated, true);
        assertArrayEquals(after, repeated, "a repeat of the anchor changes nothing");
        float[] none = new float[6];
        c.play(2);
        c.reset();
        assertEquals(0, c.findNeighbours(), "an empty history has no neighbours");
        assertEquals(0, c.setVotes(none, true));
    }

    @Test
    void settingsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new PlaylistNeighbours.Settings(0, 0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new PlaylistNeighbours.Settings(5, 0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new PlaylistNeighbours.Settings(5, 0, 0.5, 2));
    }

    @Test
    void bigramVotesCountTheTransitionsFromTheSongJustPlayed() {
        // After 1: 1 -> 2 (q0), 1 -> 3 (q1), 1 -> 4 (q3); after 3: 3 -> 1 (q3); after 0: 0 -> 1 (q0), 0 -> 3 (q3).
        PlaylistNeighbours.Cursor c = new PlaylistNeighbours(TRAIN, PlaylistNeighbours.Settings.defaults()).cursor();
        float[] out = new float[6];
        assertEquals(0, c.bigramVotes(out, true), "no song played: no votes");
        c.play(0);
        c.play(1);
        assertEquals(3, c.bigramVotes(out, false));
        assertArrayEquals(new float[] {0, 0, 1, 1, 1, 0}, out);
        c.play(3);
        assertEquals(0, c.bigramVotes(out, true), "3 -> 1 only, and 1 was played");
        c.reset();
        c.play(0);
        assertEquals(2, c.bigramVotes(out, true));
        assertArrayEquals(new float[] {0, 1, 0, 1, 0, 0}, out);
    }
}
