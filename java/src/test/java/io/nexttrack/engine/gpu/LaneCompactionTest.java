package io.nexttrack.engine.gpu;

import static org.junit.jupiter.api.Assertions.*;

import io.nexttrack.data.Batch;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The packing of a chunk's active lanes for cuDNN, and the state copies between the two layouts, on the CPU. */
class LaneCompactionTest {
    static final int LANES = 7, STEPS = 4;

    /** Lanes 0, 2, 3, 5 active (2 and 3 start playlists), lengths 3, 3, 3, 2. */
    static Batch chunk() {
        Batch b = new Batch(LANES, STEPS);
        b.clear();
        int[][] lanes = {{0, 3, 0}, {2, 3, 1}, {3, 3, 1}, {5, 2, 0}}; // lane, length, reset at t = 0
        for (int[] l : lanes) for (int t = 0; t < l[1]; t++) b.put(t, l[0], 10 * l[0] + t, 10 * l[0] + t + 1, t == 0 && l[2] == 1);
        return b;
    }

    @Test
    void activeLanesArePackedInOrderWithTheirRuns() {
        LaneCompaction c = new LaneCompaction(LANES);
        Batch batch = chunk();
        c.pack(batch);
        assertEquals(4, c.count());
        assertEquals(List.of(0, 2, 3, 5), List.of(c.batchLane(0), c.batchLane(1), c.batchLane(2), c.batchLane(3)));
        assertFalse(c.equalLengths());
        assertEquals(List.of(new LaneCompaction.Run(0, 0, 1), new LaneCompaction.Run(2, 1, 2), new LaneCompaction.Run(5, 3, 1)), c.runs());
        assertEquals(List.of(new LaneCompaction.Run(2, 1, 2)), c.resetRuns());
        Batch packed = c.packedView(batch);
        assertEquals(4, packed.lanes);
        assertEquals(batch.positions, packed.positions);
        for (int i = 0; i < 4; i++) {
            int b = c.batchLane(i);
            assertEquals(batch.lengths[b], packed.lengths[i]);
            for (int t = 0; t < batch.lengths[b]; t++) {
                assertEquals(batch.inputs[batch.index(t, b)], packed.inputs[t * 4 + i]);
                assertEquals(batch.targets[batch.index(t, b)], packed.targets[t * 4 + i]);
                assertEquals(batch.resets[batch.index(t, b)], packed.resets[t * 4 + i]);
            }
        }
    }

    @Test
    void equalLengthsAreNoticedAndAResetInsideTheChunkIsRefused() {
        LaneCompaction c = new LaneCompaction(3);
        Batch b = new Batch(3, 3);
        b.clear();
        for (int lane = 0; lane < 2; lane++) for (int t = 0; t < 2; t++) b.put(t, lane, 1, 2, t == 0);
        c.pack(b);
        assertTrue(c.equalLengths());
        assertEquals(List.of(new LaneCompaction.Run(0, 0, 2)), c.runs());
        b.put(0, 2, 1, 2, false);
        b.put(1, 2, 1, 2, true); // a new playlist at step 1: the lanes layout, which cuDNN cannot run
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.pack(b));
        assertTrue(e.getMessage().contains("cuDNN's LSTM cannot reset a lane inside a chunk"), e.getMessage());
    }

    /** The strided copies move exactly the active lanes' h and c of every layer, and back. */
    @Test
    void stateCopiesMoveTheActiveLanesOfEveryLayer() {
        int layers = 2, hidden = 3;
        LaneCompaction c = new LaneCompaction(LANES);
        c.pack(chunk());
        int n = c.count();
        float[] state = new float[2 * layers * LANES * hidden];
        for (int i = 0; i < state.length; i++) state[i] = i + 1;
        float[] hx = new float[layers * n * hidden], cx = new float[layers * n * hidden];
        for (LaneCompaction.Run run : c.runs()) {
            LaneCompaction.stateCopy(run, false, true, n, layers, LANES, hidden).apply(state, hx);
            LaneCompaction.stateCopy(run, true, true, n, layers, LANES, hidden).apply(state, cx);
        }
        for (int l = 0; l < layers; l++) {
            for (int i = 0; i < n; i++) {
                int b = c.batchLane(i);
                for (int j = 0; j < hidden; j++) {
                    assertEquals(state[((2 * l) * LANES + b) * hidden + j], hx[(l * n + i) * hidden + j], "h layer " + l + " lane " + b);
                    assertEquals(state[((2 * l + 1) * LANES + b) * hidden + j], cx[(l * n + i) * hidden + j], "c layer " + l + " lane " + b);
                }
            }
        }
        float[] back = new float[state.length];
        for (LaneCompaction.Run run : c.runs()) {
            LaneCompaction.stateCopy(run, false, false, n, layers, LANES, hidden).apply(hx, back);
            LaneCompaction.stateCopy(run, true, false, n, layers, LANES, hidden).apply(cx, back);
        }
        for (int l = 0; l < 2 * layers; l++) {
            for (int b = 0; b < LANES; b++) {
                boolean active = b == 0 || b == 2 || b == 3 || b == 5;
                for (int j = 0; j < hidden; j++) {
                    int at = (l * LANES + b) * hidden + j;
                    assertEquals(active ? state[at] : 0f, back[at], "row " + l + " lane " + b);
                }
            }
        }
    }
}
