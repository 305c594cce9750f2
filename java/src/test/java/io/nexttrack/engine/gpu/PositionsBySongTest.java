package io.nexttrack.engine.gpu;

import static org.junit.jupiter.api.Assertions.*;

import io.nexttrack.data.Batch;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PositionsBySongTest {
    @Test
    void groupsRealPositionsBySongInAFixedOrder() {
        Batch b = new Batch(3, 3); // positions t * 3 + lane
        b.clear();
        b.put(0, 0, 7, 1, true);   // pos 0
        b.put(1, 0, 2, 1, false);  // pos 3
        b.put(2, 0, 7, 1, false);  // pos 6
        b.put(0, 2, 7, 1, true);   // pos 2
        b.put(1, 2, 5, 1, false);  // pos 5
        b.inputs[b.index(2, 2)] = 2; // padding: not grouped
        PositionsBySong g = new PositionsBySong(3, 3).group(b);
        assertEquals(3, g.count());
        assertEquals(5, g.size());
        assertArrayEquals(new int[] {2, 5, 7}, Arrays.copyOf(g.songs(), 3));
        assertArrayEquals(new int[] {0, 1, 2, 5}, Arrays.copyOf(g.offsets(), 4));
        assertArrayEquals(new int[] {3, 5, 0, 2, 6}, Arrays.copyOf(g.positions(), 5));

        b.clear();
        b.put(0, 1, 4, 1, true);
        g.group(b); // reused
        assertEquals(1, g.count());
        assertArrayEquals(new int[] {4}, Arrays.copyOf(g.songs(), 1));
        assertArrayEquals(new int[] {0, 1}, Arrays.copyOf(g.offsets(), 2));
        assertArrayEquals(new int[] {1}, Arrays.copyOf(g.positions(), 1));

        b.clear();
        assertEquals(0, g.group(b).count());
        assertEquals(0, g.size());
        assertThrows(IllegalArgumentException.class, () -> g.group(new Batch(2, 3)));
    }
}
