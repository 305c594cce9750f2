package io.nexttrack.engine.gpu;

import io.nexttrack.data.Batch;
import io.nexttrack.engine.Lstm;
import io.nexttrack.engine.Scorer;
import io.nexttrack.model.Parameters;

/**
 * Scoring on the GPU: the forward pass and the log-softmax rows on the device, the rows then handed to the host
 * in blocks for the one evaluator's metrics ({@link #logProbabilities(Batch, RowSink)}). Where only some positions
 * are wanted (recommendations, the last-song protocol), their top-layer rows are first gathered into a small
 * block, so that the output layer runs on them alone; for recommendations the top k are found on the device and
 * only they cross ({@link #top}).
 */
final class GpuScorer implements Scorer {
    private final GpuModel model;
    private final int songs, hidden;
    private final PinnedBuffer rows;
    private final float[] block;
    private final int[] packedOf;
    /** The wanted positions of a chunk [lanes], then their count, then 0, 1, ..., lanes - 1 (top-k's row index). */
    private final DeviceBuffer selection;
    private final PinnedBuffer selectionHost;
    /** The top-layer rows of the wanted positions [lanes, H]. */
    private final DeviceBuffer gathered;
    private final int[] wantedPositions, wantedLanes;
    private DeviceBuffer topSongs, topScores;
    private PinnedBuffer topHost;
    private int topCapacity;

    GpuScorer(Parameters parameters, int lanes, int steps, Lstm lstm) {
        this.model = new GpuModel(parameters, lanes, steps, lstm, false, 0);
        this.songs = parameters.config().songs();
        this.hidden = parameters.config().hidden();
        try {
            int rowsPerBlock = model.output.rowsPerBlock;
            this.rows = model.ctx.pinned("log-probability rows for the host", 4L * rowsPerBlock * songs);
            this.block = new float[rowsPerBlock * songs];
            this.packedOf = new int[lanes];
            this.selection = model.ctx.floats("wanted positions", 2L * lanes + 1);
            this.selectionHost = model.ctx.pinned("wanted positions", 4L * (2L * lanes + 1));
            this.gathered = model.ctx.floats("top-layer rows of the wanted positions [" + lanes + ", " + hidden + "]", (long) lanes * hidden);
            this.wantedPositions = new int[lanes];
            this.wantedLanes = new int[lanes];
        } catch (RuntimeException | Error e) {
            model.close();
            throw e;
        }
    }

    @Override public int lanes() { return model.lanes; }

    @Override public int steps() { return model.steps; }

    @Override public boolean takesSmallerBatches() { return false; }

    @Override public void resetState() { model.resetState(); }

    @Override
    public void logProbabilities(Batch batch, RowSink sink) {
        batch.checkSongs(songs, false);
        Batch chunk = model.prepare(batch);
        if (chunk.positions == 0) return;
        DeviceChunk dc = model.upload(chunk, false);
        long top = model.forward(dc, false);
        int n = chunk.lanes, positions = dc.positions(), per = model.output.rowsPerBlock;
        for (int r0 = 0; r0 < positions; r0 += per) {
            int count = Math.min(per, positions - r0);
            long address = model.output.logProbabilities(top + 4L * r0 * hidden, dc.lengths(), r0, count, dc.lanes());
            toHost(address, count);
            for (int r = 0; r < count; r++) {
                int pos = r0 + r, t = pos / n, lane = pos % n;
                if (t < chunk.lengths[lane]) sink.accept(t, model.lstm.batchLane(lane), block, r * songs);
            }
        }
    }

    @Override
    public void logProbabilities(Batch batch, int[] steps, RowSink sink) {
        if (steps == null) {
            logProbabilities(batch, sink);
            return;
        }
        int wanted = forwardAndGather(batch, steps);
        for (int r0 = 0; r0 < wanted; r0 += model.output.rowsPerBlock) {
            int count = Math.min(model.output.rowsPerBlock, wanted - r0);
            toHost(wantedLogProbabilities(r0, count), count);
            for (int r = 0; r < count; r++) {
                int lane = wantedLanes[r0 + r];
                sink.accept(steps[lane], lane, block, r * songs);
            }
        }
    }

    @Override
    public Top[] top(Batch batch, int[] steps, int k) {
        if (k < 1 || k > songs) throw new IllegalArgumentException("k must be in [1, " + songs + "]: " + k);
        Top[] out = new Top[batch.lanes];
        int wanted = forwardAndGather(batch, steps);
        if (wanted == 0) return out;
        ensureTopCapacity(batch.lanes, k);
        long rowIndex = selection.address() + 4L * (model.lanes + 1); // 0, 1, 2, ...: the rows of each block in order
        for (int r0 = 0; r0 < wanted; r0 += model.output.rowsPerBlock) {
            int count = Math.min(model.output.rowsPerBlock, wanted - r0);
            long address = wantedLogProbabilities(r0, count);
            model.ctx.kernels.topK(address, rowIndex, topSongs.address(), topScores.address(), count, songs, k);
            model.ctx.toHost(topHost.pointer(), topSongs.address(), 4L * count * k, "top-k songs");
            model.ctx.toHost(DevicePointer.at(topHost.address() + 4L * topCapacity), topScores.address(), 4L * count * k, "top-k scores");
            model.ctx.synchronize("top-k to the host");
            for (int s = 0; s < count; s++) {
                int[] best = new int[k];
                float[] scores = new float[k];
                topHost.getInts(4L * s * k, best, 0, k);
                topHost.getFloats(4L * topCapacity + 4L * s * k, scores, 0, k);
                out[wantedLanes[r0 + s]] = new Top(best, scores);
            }
        }
        return out;
    }

    /**
     * Runs the chunk through the LSTM and gathers the top-layer rows of the wanted positions (step {@code steps[b]}
     * of each lane b with {@code steps[b] >= 0}), in position order, into {@link #gathered}; returns how many, and
     * leaves their lanes in {@link #wantedLanes}. The gather is the embedding-gather kernel with the top layer's
     * output as the table and the positions as the ids, all of them real (one lane whose length is their count).
     */
    private int forwardAndGather(Batch batch, int[] steps) {
        if (steps.length != batch.lanes) throw new IllegalArgumentException(steps.length + " steps for " + batch.lanes + " lanes");
        batch.checkSongs(songs, false);
        for (int b = 0; b < batch.lanes; b++) {
            if (steps[b] >= batch.lengths[b]) throw new IllegalArgumentException("step " + steps[b] + " of lane " + b + " is not real");
        }
        Batch chunk = model.prepare(batch);
        if (chunk.positions == 0) return 0;
        java.util.Arrays.fill(packedOf, -1);
        for (int i = 0; i < chunk.lanes; i++) packedOf[model.lstm.batchLane(i)] = i;
        int wanted = 0;
        for (int t = 0; t < batch.steps; t++) {
            for (int b = 0; b < batch.lanes; b++) {
                if (steps[b] != t || packedOf[b] < 0) continue;
                wantedPositions[wanted] = t * chunk.lanes + packedOf[b];
                wantedLanes[wanted++] = b;
            }
        }
        DeviceChunk dc = model.upload(chunk, false);
        long top = model.forward(dc, false);
        if (wanted == 0) return 0;
        int lanes = model.lanes;
        selectionHost.putInts(0, wantedPositions, wanted);
        selectionHost.putInts(4L * lanes, new int[] {wanted}, 1);
        selectionHost.putInts(4L * (lanes + 1), identity(lanes), lanes);
        model.ctx.toDevice(selection.address(), selectionHost.pointer(), 4L * (2L * lanes + 1), "wanted positions");
        model.ctx.kernels.embeddingGather(selection.address(), selection.address() + 4L * lanes, top, gathered.address(), 1, wanted,
                hidden);
        return wanted;
    }

    /** The log-softmax rows of gathered rows [r0, r0 + count) in the output layer's block; returns its address. */
    private long wantedLogProbabilities(int r0, int count) {
        // One lane whose length is the number of wanted rows: every row is real.
        return model.output.logProbabilities(gathered.address() + 4L * r0 * hidden, selection.address() + 4L * model.lanes, r0, count,
                1);
    }

    /** The first {@code count} rows of the block at {@code address} into {@link #block}. */
    private void toHost(long address, int count) {
        model.ctx.toHost(rows.pointer(), address, 4L * count * songs, "log-probability rows");
        model.ctx.synchronize("log-probability rows to the host");
        rows.getFloats(0, block, 0, count * songs);
    }

    private static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        return a;
    }

    /**
     * Device and host room for the top k of every lane (grown when a call asks for more). The capacity is set once all
     * three exist: after a failed allocation the next call allocates again, and closing frees what was made.
     */
    private void ensureTopCapacity(int lanes, int k) {
        int need = lanes * k;
        if (topCapacity >= need) return;
        closeTop();
        topSongs = DeviceBuffer.allocate("top-k songs", 4L * need);
        topScores = DeviceBuffer.allocate("top-k scores", 4L * need);
        // Host layout: songs [capacity], then scores [capacity].
        topHost = new PinnedBuffer("top-k staging", 8L * need);
        topCapacity = need;
    }

    private void closeTop() {
        if (topSongs != null) topSongs.close();
        if (topScores != null) topScores.close();
        if (topHost != null) topHost.close();
        topSongs = topScores = null;
        topHost = null;
        topCapacity = 0;
    }

    @Override
    public void close() {
        closeTop();
        model.close();
    }
}
