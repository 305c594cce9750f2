package io.nexttrack.data;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class BatcherTest {
    private static final Playlists DATA = SplitTest.randomPlaylists(700, 50, 11);

    /** Replays the chunks of one epoch, lane by lane, following resets as a model would. */
    private static Map<Long, Integer> transitionsSeen(Batcher batcher, long seed, int epoch, boolean checkContinuity) {
        Map<Long, Integer> seen = new HashMap<>();
        Batch batch = new Batch(batcher.lanes(), batcher.steps());
        int[] lastTarget = new int[batcher.lanes()];
        java.util.Arrays.fill(lastTarget, Batch.PAD);
        Batcher.Epoch e = batcher.epoch(seed, epoch);
        int chunks = 0;
        while (e.next(batch)) {
            chunks++;
            int positions = 0;
            for (int b = 0; b < batch.lanes; b++) {
                for (int t = 0; t < batch.steps; t++) {
                    int i = batch.index(t, b);
                    boolean real = batch.targets[i] != Batch.PAD;
                    assertEquals(real, t < batch.lengths[b], "lengths cover exactly the real positions");
                    if (!real) {
                        assertEquals(0, batch.resets[i], "no reset on padding");
                        continue;
                    }
                    positions++;
                    // Continuity: without a reset, the input is the previous position's target (also across chunks).
                    if (checkContinuity && batch.resets[i] == 0) {
                        assertEquals(lastTarget[b], batch.inputs[i], "state-carry continuity in lane " + b);
                    }
                    if (batch.resets[i] == 1) assertNotEquals(-2, lastTarget[b]);
                    lastTarget[b] = batch.targets[i];
                    long key = ((long) batch.inputs[i] << 40) | ((long) batch.targets[i] << 20);
                    seen.merge(key, 1, Integer::sum);
                }
            }
            assertEquals(positions, batch.positions);
        }
        assertEquals(e.chunks(), chunks);
        return seen;
    }

    private static Map<Long, Integer> allTransitions(Playlists p) {
        Map<Long, Integer> m = new HashMap<>();
        for (int q = 0; q < p.size(); q++) {
            for (int i = 0; i + 1 < p.length(q); i++) {
                m.merge(((long) p.song(q, i) << 40) | ((long) p.song(q, i + 1) << 20), 1, Integer::sum);
            }
        }
        return m;
    }

    @ParameterizedTest
    @EnumSource(Batcher.Layout.class)
    void everyTransitionExactlyOncePerEpoch(Batcher.Layout layout) {
        Batcher b = Batcher.create(layout, DATA, 16, 7);
        assertEquals(allTransitions(DATA), transitionsSeen(b, 5, 0, true));
        assertEquals(allTransitions(DATA), transitionsSeen(b, 5, 1, true));
    }

    @ParameterizedTest
    @EnumSource(Batcher.Layout.class)
    void orderIsShuffledPerEpochAndReproducible(Batcher.Layout layout) {
        Batcher b = Batcher.create(layout, DATA, 8, 5);
        assertArrayEquals(firstChunk(b, 1, 0), firstChunk(b, 1, 0));
        assertFalse(java.util.Arrays.equals(firstChunk(b, 1, 0), firstChunk(b, 1, 1)));
    }

    private static int[] firstChunk(Batcher b, long seed, int epoch) {
        Batch batch = new Batch(b.lanes(), b.steps());
        assertTrue(b.epoch(seed, epoch).next(batch));
        return batch.inputs.clone();
    }

    @Test
    void lanesAreFullUntilTheTailOfTheEpoch() {
        Batcher b = Batcher.create(Batcher.Layout.LANES, DATA, 10, 6);
        Batch batch = new Batch(10, 6);
        Batcher.Epoch e = b.epoch(3, 0);
        int padded = 0, previous = 60;
        boolean tail = false;
        while (e.next(batch)) {
            int real = batch.positions;
            if (tail) assertTrue(real <= previous, "once lanes run dry they stay dry");
            tail |= real < 60;
            previous = real;
            padded += 60 - real;
        }
        // Greedy least-loaded assignment: lanes end within one playlist (< 30 transitions) of each other.
        assertTrue(padded < 10 * 30, "padding " + padded);
        Batcher.Epoch first = b.epoch(3, 0);
        first.next(batch);
        for (int lane = 0; lane < 10; lane++) assertEquals(1, batch.resets[batch.index(0, lane)]);
    }

    @Test
    void bucketBatchesHaveEqualLengthsAndResetOnlyAtTheStart() {
        Batcher b = Batcher.create(Batcher.Layout.BUCKETS, DATA, 12, 6);
        Batch batch = new Batch(12, 6);
        Batcher.Epoch e = b.epoch(9, 0);
        while (e.next(batch)) {
            int len = batch.lengths[0];
            assertTrue(len > 0);
            boolean firstChunk = batch.resets[0] == 1;
            for (int lane = 0; lane < 12; lane++) {
                int l = batch.lengths[lane];
                assertTrue(l == len || l == 0, "lane " + lane + " length " + l + " vs " + len);
                for (int t = 0; t < l; t++) {
                    assertEquals(firstChunk && t == 0 ? 1 : 0, batch.resets[batch.index(t, lane)]);
                }
            }
        }
    }

    @Test
    void bucketLayoutNeverMixesLengthsEvenForLongPlaylists() {
        Playlists p = Playlists.of(30, new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}, new int[] {1, 2},
                new int[] {3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15});
        Batcher b = Batcher.create(Batcher.Layout.BUCKETS, p, 4, 5);
        assertEquals(allTransitions(p), transitionsSeen(b, 1, 0, true));
        assertEquals(3 + 1, b.epoch(1, 0).chunks()); // 12 transitions -> 3 chunks; 1 transition -> 1 chunk
    }
}
