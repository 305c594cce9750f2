package io.nexttrack.data;

import java.util.Arrays;

/**
 * One chunk of training input: {@code lanes} sequences by {@code steps} unrolled time steps, time-major
 * (position {@code t * lanes + b}). The LSTM state is carried from the previous chunk of the same lane
 * and zeroed at every real position whose reset flag is set, before that position's input is read.
 *
 * <p>A position is <em>real</em> when {@code t < lengths[b]}, and padding otherwise: this is the one rule
 * every engine and kernel uses. Each real position is scored in training and in the loss, so its target
 * must be a song; padding is never read (its inputs, targets and resets do not matter).
 *
 * <ul>
 *   <li>{@code inputs[pos]}: the song fed in (0 at padding);</li>
 *   <li>{@code targets[pos]}: the song that follows it; {@link #PAD} at padding, and at the real positions
 *       of input-only chunks (recommending), which are never trained or scored;</li>
 *   <li>{@code resets[pos]}: 1 where a new playlist starts;</li>
 *   <li>{@code lengths[b]}: the number of leading steps of lane b that are real.</li>
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
    /** Real positions in this chunk: the sum of {@code lengths}. */
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

    /** Appends one real position to lane b: {@code t} must be its length so far. */
    public void put(int t, int b, int input, int target, boolean reset) {
        if (t != lengths[b] || t >= steps) {
            throw new IllegalArgumentException("lane " + b + " has " + lengths[b] + " of " + steps + " steps; cannot put step " + t);
        }
        int i = index(t, b);
        inputs[i] = input;
        targets[i] = target;
        resets[i] = (byte) (reset ? 1 : 0);
        positions++;
        lengths[b] = t + 1;
    }

    /**
     * Checks, before anything reads them, that the lengths fit the chunk and that the input of every real
     * position, and its target when {@code withTargets}, is a song in {@code [0, songs)}: kernels index
     * tables with them unchecked. Throws IllegalArgumentException naming the first bad position.
     */
    public void checkSongs(int songs, boolean withTargets) {
        for (int b = 0; b < lanes; b++) {
            if (lengths[b] < 0 || lengths[b] > steps) {
                throw new IllegalArgumentException("lane " + b + " has length " + lengths[b] + ", chunk " + steps + " steps");
            }
            for (int t = 0; t < lengths[b]; t++) {
                int i = index(t, b);
                if (inputs[i] < 0 || inputs[i] >= songs) throw outOfRange("input", inputs[i], t, b, songs);
                if (withTargets && (targets[i] < 0 || targets[i] >= songs)) throw outOfRange("target", targets[i], t, b, songs);
            }
        }
    }

    private static IllegalArgumentException outOfRange(String what, int song, int t, int b, int songs) {
        return new IllegalArgumentException(what + " song " + song + " at step " + t + " of lane " + b
                + " is outside [0, " + songs + ")");
    }
}
