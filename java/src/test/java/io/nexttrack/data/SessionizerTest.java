package io.nexttrack.data;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The session rule, case by case (see {@link Sessionizer}). */
class SessionizerTest {
    static final long MIN = 60_000, GAP = 30 * MIN;

    private static List<List<Integer>> cut(long[] times, int[] tracks, boolean dropRepeats) {
        return Sessionizer.sessions(times, tracks, 0, times.length, GAP, dropRepeats).sessions().stream()
                .map(s -> java.util.Arrays.stream(s).boxed().toList()).toList();
    }

    @Test
    void aPauseOfExactlyTheGapContinuesTheSessionOneLongerStartsANewOne() {
        long[] t = {0, GAP, 2 * GAP, 3 * GAP + 1, 3 * GAP + 2};
        int[] k = {1, 2, 3, 4, 5};
        assertEquals(List.of(List.of(1, 2, 3), List.of(4, 5)), cut(t, k, false));
        Sessionizer.Result r = Sessionizer.sessions(new long[] {0, GAP + 1, 2 * GAP + 2}, new int[] {1, 2, 3}, 0, 3, GAP, false);
        assertEquals(List.of(), r.sessions());
        assertEquals(3, r.droppedShort(), "three sessions of one song each");
    }

    @Test
    void consecutiveRepeatsAreDroppedOnlyWhenAskedAndOnlyInsideASession() {
        long[] t = {0, MIN, 2 * MIN, 3 * MIN, 4 * MIN, 4 * MIN + GAP + 1, 4 * MIN + GAP + 2};
        int[] k = {7, 7, 8, 8, 7, 7, 9};
        assertEquals(List.of(List.of(7, 7, 8, 8, 7), List.of(7, 9)), cut(t, k, false));
        assertEquals(List.of(List.of(7, 8, 7), List.of(7, 9)), cut(t, k, true), "the 7 after the pause is no repeat: a new session");
        assertEquals(2, Sessionizer.sessions(t, k, 0, t.length, GAP, true).droppedRepeats());
    }

    @Test
    void aDroppedRepeatStillCountsForThePauses() {
        // A at 0, A again at 20 min (a repeat), B at 45 min: 25 minutes after the repeat, so the same session.
        assertEquals(List.of(List.of(1, 2)), cut(new long[] {0, 20 * MIN, 45 * MIN}, new int[] {1, 1, 2}, true));
    }

    @Test
    void aSessionLeftWithOneSongAfterDroppingRepeatsIsDropped() {
        Sessionizer.Result r = Sessionizer.sessions(new long[] {0, 1, 2}, new int[] {4, 4, 4}, 0, 3, GAP, true);
        assertEquals(List.of(), r.sessions());
        assertEquals(1, r.droppedShort());
        assertEquals(2, r.droppedRepeats());
        assertEquals(List.of(List.of(4, 4, 4)), cut(new long[] {0, 1, 2}, new int[] {4, 4, 4}, false));
    }

    @Test
    void equalTimesStayTogetherAndARangeIsCutOnItsOwn() {
        long[] t = {99, 5, 5, 5, 99};
        int[] k = {0, 1, 2, 3, 0};
        Sessionizer.Result r = Sessionizer.sessions(t, k, 1, 4, 0, false);
        assertEquals(1, r.sessions().size());
        assertArrayEquals(new int[] {1, 2, 3}, r.sessions().get(0), "a gap of 0: only a pause cuts");
        assertEquals(0, Sessionizer.sessions(t, k, 2, 2, GAP, false).droppedShort(), "no events, no session");
    }

    @Test
    void eventsOutOfTimeOrderAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Sessionizer.sessions(new long[] {5, 4}, new int[] {1, 2}, 0, 2, GAP, false));
        assertThrows(IllegalArgumentException.class, () -> Sessionizer.sessions(new long[] {1}, new int[] {1}, 0, 1, -1, false));
    }
}
