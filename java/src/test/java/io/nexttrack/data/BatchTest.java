package io.nexttrack.data;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class BatchTest {
    @Test
    void putAppendsSoPositionsAreTheSumOfLengths() {
        Batch b = new Batch(3, 4);
        b.clear();
        b.put(0, 0, 5, 6, true);
        b.put(1, 0, 6, 7, false);
        b.put(0, 2, 1, Batch.PAD, true); // input-only position (recommending)
        assertArrayEquals(new int[] {2, 0, 1}, b.lengths);
        assertEquals(3, b.positions);
        assertThrows(IllegalArgumentException.class, () -> b.put(3, 1, 1, 2, false), "gap before step 3");
        assertThrows(IllegalArgumentException.class, () -> b.put(1, 0, 1, 2, false), "step 1 again");
        b.put(2, 0, 7, 8, false);
        b.put(3, 0, 8, 9, false);
        assertThrows(IllegalArgumentException.class, () -> b.put(4, 0, 1, 2, false), "beyond the chunk");
    }

    @Test
    void checkSongsLooksAtRealPositionsOnly() {
        Batch b = new Batch(2, 3);
        b.clear();
        b.put(0, 0, 0, 9, true);
        b.put(0, 1, 9, Batch.PAD, true);
        b.inputs[b.index(2, 0)] = -7; // padding: never read
        b.targets[b.index(2, 1)] = 99;
        b.checkSongs(10, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.checkSongs(10, true));
        assertEquals("target song -1 at step 0 of lane 1 is outside [0, 10)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> b.checkSongs(9, false));
        assertEquals("input song 9 at step 0 of lane 1 is outside [0, 9)", e.getMessage());
        b.lengths[1] = 4;
        assertThrows(IllegalArgumentException.class, () -> b.checkSongs(10, false), "length beyond the chunk");
    }
}
