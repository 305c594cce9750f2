package io.nexttrack.data;

import java.util.Arrays;

/**
 * One chunk of training input: {@code lanes} sequences by {@code steps} unrolled time steps, time-major
 * (position {@code t * lanes + b}). The LSTM state is carried from the previous chunk of the same lane
 * and zeroed at every position whose reset flag is set, before that position's input is read.
 *
 * <ul>
 *   <li>{@code inputs[pos]}: the song fed in (0 at padding);</li>
 *   <li>{@code targets[pos]}: the song that follows it, or {@link #PAD} where nothing is scored;</li>
 *   <li>{@code resets[pos]}: 1 where a new playlist starts;</li>
 *   <li>{@code lengths[b]}: the number of leading steps of lane b that hold real input; later steps are
 *       padding (their targets are {@link #PAD}).</li>
 * </ul>
 * Arrays are reused from chunk to chunk: copy what must outlive the next call to the batcher.
 */
public final class Batch {
    public static final int PAD = -1;
    /** Heap bytes per position: input, target, reset flag. */
    public static final int BYTES_PER_POSITION = 4 + 4 + 1;

    public final int lanes;
    public final int steps;
    public final int[] inputs;
    public final int[] targets;
    public final byte[] resets;
    public final int[] lengths;
    /** Real (scored) positions in this chunk. */
    public int positions;

    public Batch(int lanes, int steps) {
        if (lanes < 1 || steps < 1) throw new IllegalArgumentException("lanes and steps must be positive");
        this.lanes = lanes;
        this.steps = steps;
        this.inputs = new int[lanes * steps];
        this.targets = new int[lanes * steps];
        this.resets = new byte[lanes * steps];
        this.lengths = new int[lanes];
    }

    public int index(int t, int b) { return t * lanes + b; }

    /** Marks every position as padding. */
    public void clear() {
        Arrays.fill(inputs, 0);
        Arrays.fill(targets, PAD);
        Arrays.fill(resets, (byte) 0);
        Arrays.fill(lengths, 0);
        positions = 0;
    }

    /** Writes one transition at (t, b); lengths grow to cover it. */
    public void put(int t, int b, int input, int target, boolean reset) {
        int i = index(t, b);
        inputs[i] = input;
        targets[i] = target;
        resets[i] = (byte) (reset ? 1 : 0);
        if (target != PAD) positions++;
        if (t + 1 > lengths[b]) lengths[b] = t + 1;
    }
}
