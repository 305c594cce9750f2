package io.nexttrack.data;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The one definition of a listening session, used by {@code nexttrack data import} (and meant to be reused
 * unchanged wherever events become playlists). For one user's events, ordered by time (events with equal times
 * in the order they were read):
 * <ol>
 *   <li>a new session starts at an event when the time since the user's previous event is <b>more than</b> the
 *       gap; a pause of exactly the gap, or less, continues the session (every event counts for the pauses,
 *       also a repeat that step 2 drops);</li>
 *   <li>with {@code dropRepeats}, an event whose track is the same as the one before it in its session is
 *       dropped (A A B A becomes A B A);</li>
 *   <li>a session left with fewer than two tracks is dropped: it has no transition to learn from.</li>
 * </ol>
 * A pure function of its arguments: no state, no I/O.
 */
public final class Sessionizer {
    /** The default gap: 30 minutes, the usual choice for music listening sessions. */
    public static final Duration DEFAULT_GAP = Duration.ofMinutes(30);

    private Sessionizer() {}

    /**
     * The sessions kept (each an array of track ids, in time order) and what was dropped.
     *
     * @param droppedShort   sessions dropped for having fewer than two tracks (after dropping repeats)
     * @param droppedRepeats events dropped as repeats of the track before them
     */
    public record Result(List<int[]> sessions, long droppedShort, long droppedRepeats) {}

    /**
     * Cuts one user's events {@code [from, to)} into sessions.
     *
     * @param times     event times in milliseconds, non-decreasing over {@code [from, to)}
     * @param tracks    the events' track ids
     * @param gapMillis the session gap in milliseconds (>= 0)
     */
    public static Result sessions(long[] times, int[] tracks, int from, int to, long gapMillis, boolean dropRepeats) {
        if (gapMillis < 0) throw new IllegalArgumentException("the session gap must not be negative, got " + gapMillis);
        List<int[]> out = new ArrayList<>();
        long droppedShort = 0, droppedRepeats = 0;
        int[] session = new int[Math.max(0, to - from)];
        int n = 0;
        for (int i = from; i < to; i++) {
            if (i > from && times[i] < times[i - 1]) {
                throw new IllegalArgumentException("events are not in time order at " + i + ": " + times[i - 1] + " then " + times[i]);
            }
            if (i > from && times[i] - times[i - 1] > gapMillis) { // step 1: a new session
                if (n >= 2) out.add(java.util.Arrays.copyOf(session, n)); else droppedShort++;
                n = 0;
            }
            if (dropRepeats && n > 0 && session[n - 1] == tracks[i]) { // step 2
                droppedRepeats++;
                continue;
            }
            session[n++] = tracks[i];
        }
        if (to > from) {
            if (n >= 2) out.add(java.util.Arrays.copyOf(session, n)); else droppedShort++; // step 3
        }
        return new Result(out, droppedShort, droppedRepeats);
    }
}
