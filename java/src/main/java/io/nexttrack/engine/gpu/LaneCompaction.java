package io.nexttrack.engine.gpu;

import io.nexttrack.data.Batch;
import java.util.ArrayList;
import java.util.List;

/**
 * cuDNN's LSTM runs a chunk on its active lanes only (length > 0), packed side by side: {@code batch = n} active
 * lanes, so that CUDNN_RNN_ALGO_PERSIST_STATIC_SMALL_H can run (it needs equal lengths, and no empty lane).
 * This is the index arithmetic of that packing, kept apart from the GPU so that CI checks it: which lane of the
 * batch each packed lane is, the packed chunk itself, and the runs of consecutive lanes in which the carried
 * state moves between the engine's [2L, B, H] state and cuDNN's packed [L, n, H] h and c (two strided copies
 * per run, not one per lane), and the runs whose state starts from zero (a reset at their first step).
 *
 * <p>cuDNN cannot reset a lane inside a chunk, so a reset at a real step after the first is refused.
 */
final class LaneCompaction {
    /** Lanes {@code [batchLane, batchLane + count)} of the batch are packed lanes {@code [packedLane, packedLane + count)}. */
    record Run(int batchLane, int packedLane, int count) {}

    private final int lanes;
    private final int[] active;
    private int n;
    private boolean equalLengths;
    private final List<Run> runs = new ArrayList<>();
    private final List<Run> resetRuns = new ArrayList<>();
    /** The packed chunks, one per lane count (index n), made when first needed and reused. */
    private Batch[] views = new Batch[0];

    LaneCompaction(int lanes) {
        this.lanes = lanes;
        this.active = new int[lanes];
    }

    /** Finds the active lanes of {@code batch}, their runs and whether their lengths are equal. */
    void pack(Batch batch) {
        if (batch.lanes != lanes) throw new IllegalArgumentException("batch has " + batch.lanes + " lanes, expected " + lanes);
        n = 0;
        runs.clear();
        resetRuns.clear();
        int length = -1;
        equalLengths = true;
        for (int b = 0; b < lanes; b++) {
            int len = batch.lengths[b];
            if (len == 0) continue;
            for (int t = 1; t < len; t++) {
                if (batch.resets[batch.index(t, b)] != 0) {
                    throw new IllegalArgumentException("lane " + b + " starts a playlist at step " + t + " of the chunk: cuDNN's LSTM "
                            + "cannot reset a lane inside a chunk (use --lstm fused, or the buckets layout)");
                }
            }
            if (length >= 0 && len != length) equalLengths = false;
            length = len;
            boolean reset = batch.resets[batch.index(0, b)] != 0;
            extend(runs, b, n);
            if (reset) extend(resetRuns, b, n);
            active[n++] = b;
        }
    }

    /** Appends lane b (packed as i) to the last run if it continues it, else starts a new run. */
    private static void extend(List<Run> list, int b, int i) {
        if (!list.isEmpty()) {
            Run last = list.get(list.size() - 1);
            if (last.batchLane() + last.count() == b && last.packedLane() + last.count() == i) {
                list.set(list.size() - 1, new Run(last.batchLane(), last.packedLane(), last.count() + 1));
                return;
            }
        }
        list.add(new Run(b, i, 1));
    }

    /**
     * The packed chunk: a batch of {@link #count()} lanes (at least 1) whose position {@code t * n + i} is the
     * batch's position {@code t * lanes + batchLane(i)}. Reused from call to call.
     */
    Batch packedView(Batch batch) {
        Batch view = viewFor(n, batch.steps);
        view.clear();
        for (int i = 0; i < n; i++) {
            int b = active[i];
            for (int t = 0; t < batch.lengths[b]; t++) {
                int from = batch.index(t, b);
                view.put(t, i, batch.inputs[from], batch.targets[from], batch.resets[from] != 0);
            }
        }
        return view;
    }

    private Batch viewFor(int count, int steps) {
        int size = Math.max(1, count);
        if (views.length <= size) views = java.util.Arrays.copyOf(views, size + 1);
        if (views[size] == null || views[size].steps != steps) views[size] = new Batch(size, steps);
        return views[size];
    }

    /** Active lanes in this chunk. */
    int count() { return n; }

    /** The batch lane of packed lane {@code i}. */
    int batchLane(int i) { return active[i]; }

    /** Whether every active lane has the same length (the persistent algorithm's condition). */
    boolean equalLengths() { return equalLengths; }

    /** Runs of consecutive active lanes: the state copies. */
    List<Run> runs() { return runs; }

    /** Runs of consecutive lanes that reset at their first step: their packed state starts at zero. */
    List<Run> resetRuns() { return resetRuns; }

    /**
     * One cudaMemcpy2D (or cudaMemset2D) in floats: {@code height} rows of {@code width} floats, row r at
     * {@code from + r * fromPitch} and {@code to + r * toPitch}.
     */
    record StridedCopy(long from, long fromPitch, long to, long toPitch, long width, int height) {
        /** Host twin of the device copy, on float arrays. */
        void apply(float[] source, float[] target) {
            for (int r = 0; r < height; r++) {
                System.arraycopy(source, (int) (from + r * fromPitch), target, (int) (to + r * toPitch), (int) width);
            }
        }
    }

    /**
     * The copy of one run's h (or c, {@code cell}) of every layer between the engine's state {@code [2L, B, H]}
     * and cuDNN's packed {@code [L, n, H]}: into cuDNN's hx or cx ({@code in}), or from its hy or cy.
     */
    static StridedCopy stateCopy(Run run, boolean cell, boolean in, int n, int layers, int lanes, int hidden) {
        long state = stateOffset(0, cell, run.batchLane(), lanes, hidden), statePitch = 2L * lanes * hidden;
        long packed = packedOffset(0, run.packedLane(), n, hidden), packedPitch = (long) n * hidden;
        long width = (long) run.count() * hidden;
        return in ? new StridedCopy(state, statePitch, packed, packedPitch, width, layers)
                : new StridedCopy(packed, packedPitch, state, statePitch, width, layers);
    }

    /**
     * The element offset of lane {@code b}'s h (or c, {@code cell}) of layer {@code l} in the engine's state
     * {@code [2L, B, H]} (h of layer l, then its c, as {@code CpuModel.state()}), and of packed lane {@code i} in
     * cuDNN's {@code [L, n, H]}.
     */
    static long stateOffset(int l, boolean cell, int b, int lanes, int hidden) {
        return ((2L * l + (cell ? 1 : 0)) * lanes + b) * hidden;
    }

    static long packedOffset(int l, int i, int n, int hidden) {
        return ((long) l * n + i) * hidden;
    }
}
