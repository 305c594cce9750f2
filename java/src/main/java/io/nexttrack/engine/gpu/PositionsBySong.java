package io.nexttrack.engine.gpu;

import io.nexttrack.data.Batch;
import java.util.Arrays;

/**
 * The real positions of a chunk grouped by their input song, in a fixed order, as compressed rows: song
 * {@code songs[k]} (ascending in k) is the input at positions {@code positions[offsets[k]]} up to
 * {@code positions[offsets[k + 1] - 1]} (ascending). {@link KernelCatalog#EMBEDDING_GRAD} adds each song's gradient
 * rows in this order, which makes the embedding gradient the same on every run (float atomics would not) and
 * the same as the CPU's. Computed on the host from the batch and uploaded with it; reused from chunk to chunk.
 */
public final class PositionsBySong {
    private final int[] songs;
    private final int[] offsets;
    private final int[] positions;
    private final long[] keys;
    private int count;

    public PositionsBySong(int lanes, int steps) {
        int n = lanes * steps;
        this.songs = new int[n];
        this.offsets = new int[n + 1];
        this.positions = new int[n];
        this.keys = new long[n];
    }

    /** Groups the real positions ({@code t < lengths[b]}) of {@code batch} by input song. */
    public PositionsBySong group(Batch batch) {
        if (batch.lanes * batch.steps != positions.length) {
            throw new IllegalArgumentException("batch has " + batch.lanes * batch.steps + " positions, expected " + positions.length);
        }
        int n = 0;
        for (int b = 0; b < batch.lanes; b++) {
            for (int t = 0; t < batch.lengths[b]; t++) {
                int pos = batch.index(t, b);
                keys[n++] = (long) batch.inputs[pos] << 32 | pos;
            }
        }
        Arrays.sort(keys, 0, n);
        count = 0;
        for (int i = 0; i < n; i++) {
            int song = (int) (keys[i] >>> 32);
            if (count == 0 || songs[count - 1] != song) {
                songs[count] = song;
                offsets[count++] = i;
            }
            positions[i] = (int) keys[i];
        }
        offsets[count] = n;
        return this;
    }

    /** Distinct songs in the chunk. */
    public int count() { return count; }

    /** Real positions in the chunk: {@code offsets()[count()]}. */
    public int size() { return offsets[count]; }

    /** The songs, ascending; the first {@link #count()} entries are valid (the array is reused). */
    public int[] songs() { return songs; }

    /** {@link #count()} + 1 offsets into {@link #positions()}. */
    public int[] offsets() { return offsets; }

    /** The positions grouped by song; the first {@link #size()} entries are valid. */
    public int[] positions() { return positions; }
}
