package io.nexttrack.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.nexttrack.data.Playlists;
import org.junit.jupiter.api.Test;

class RepeatProfileTest {
    @Test
    void countsReplaysByAgeAndPlaysSmoothedTowardsTheMean() {
        // Positions of 5 1 5 2 1 (history -> next): chances by (age, plays) and replays, worked out by hand:
        // [5] -> 1: (1,1). [5 1] -> 5: (2,1) replayed, (1,1). [5 1 5] -> 2: (1,2), (2,1). [5 1 5 2] -> 1: (2,2), (3,1) replayed, (1,1).
        // 8 chances, 2 replays: the mean is 0.25.
        RepeatProfile g = RepeatProfile.fit(Playlists.of(6, new int[] {5, 1, 5, 2, 1}, new int[] {4}));
        double m = 10, prior = 0.25;
        assertEquals((1 + m * prior) / (2 + m), g.probability(2, 1), 1e-6);
        assertEquals((1 + m * prior) / (1 + m), g.probability(3, 1), 1e-6);
        assertEquals((0 + m * prior) / (3 + m), g.probability(1, 1), 1e-6);
        assertEquals((0 + m * prior) / (1 + m), g.probability(1, 2), 1e-6);
        assertEquals(prior, g.probability(7, 1), 1e-6, "a cell without chances: the mean");
        assertEquals(g.probability(RepeatProfile.MAX_AGE, 1), g.probability(RepeatProfile.MAX_AGE + 50, 1), "old plays pooled");
        assertEquals(g.probability(2, RepeatProfile.MAX_PLAYS), g.probability(2, RepeatProfile.MAX_PLAYS + 4), "many plays pooled");
        assertEquals(g.probability(2, 1), RepeatProfile.of(g.table()).probability(2, 1), "rebuilt from its table");
        assertThrows(IllegalArgumentException.class, () -> g.probability(0, 1));
        assertThrows(IllegalArgumentException.class, () -> RepeatProfile.of(new float[3]));
    }

    @Test
    void noReplaysInTrainingGiveZero() {
        RepeatProfile g = RepeatProfile.fit(Playlists.of(4, new int[] {0, 1, 2, 3}));
        assertEquals(0, g.probability(1, 1));
        assertEquals(0, g.probability(2, 1));
    }
}
