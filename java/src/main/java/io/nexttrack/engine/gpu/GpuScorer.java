package io.nexttrack.engine.gpu;

import io.nexttrack.data.Batch;
import io.nexttrack.engine.EngineFactory;
import io.nexttrack.engine.Scorer;
import io.nexttrack.model.Parameters;

/**
 * Scoring on the GPU: the forward pass and the log-softmax rows on the device, the rows then handed to the host
 * in blocks for the one evaluator's metrics ({@link #logProbabilities}); for recommendations the top k of the
 * wanted rows are found on the device and only they cross ({@link #top}).
 */
final class GpuScorer implements Scorer {
    private final GpuModel model;
    private final int songs;
    private final PinnedBuffer rows;
    private final float[] block;
    private final int[] packedOf;
    private DeviceBuffer topIndex, topSongs, topScores;
    private PinnedBuffer topHost;
    private int topCapacity;

    GpuScorer(Parameters parameters, int lanes, int steps, EngineFactory.Lstm lstm) {
        this.model = new GpuModel(parameters, lanes, steps, lstm, false, 0);
        this.songs = parameters.config().songs();
        try {
            int rowsPerBlock = model.output.rowsPerBlock;
            this.rows = model.ctx.pinned("log-probability rows for the host", 4L * rowsPerBlock * songs);
            this.block = new float[rowsPerBlock * songs];
            this.packedOf = new int[lanes];
        } catch (RuntimeException | Error e) {
            model.close();
            throw e;
        }
    }

    @Override public int lanes() { return model.lanes; }

    @Override public int steps() { return model.steps; }

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
            long address = model.output.logProbabilities(dc, top, r0, count);
            model.ctx.toHost(rows.pointer(), address, 4L * count * songs, "log-probability rows");
            model.ctx.synchronize("log-probability rows to the host");
            rows.getFloats(0, block, 0, count * songs);
            for (int r = 0; r < count; r++) {
                int pos = r0 + r, t = pos / n, lane = pos % n;
                if (t < chunk.lengths[lane]) sink.accept(t, model.lstm.batchLane(lane), block, r * songs);
            }
        }
    }

    @Override
    public Top[] top(Batch batch, int[] steps, int k) {
        if (k < 1 || k > songs) throw new IllegalArgumentException("k must be in [1, " + songs + "]: " + k);
        batch.checkSongs(songs, false);
        Top[] out = new Top[batch.lanes];
        Batch chunk = model.prepare(batch);
        if (chunk.positions == 0) return out;
        java.util.Arrays.fill(packedOf, -1);
        for (int i = 0; i < chunk.lanes; i++) packedOf[model.lstm.batchLane(i)] = i;
        DeviceChunk dc = model.upload(chunk, false);
        long top = model.forward(dc, false);
        int n = chunk.lanes, positions = dc.positions(), per = model.output.rowsPerBlock;
        ensureTopCapacity(batch.lanes, k);
        int[] wanted = new int[batch.lanes], lanesOf = new int[batch.lanes];
        for (int r0 = 0; r0 < positions; r0 += per) {
            int count = Math.min(per, positions - r0), selected = 0;
            for (int b = 0; b < batch.lanes; b++) {
                if (steps[b] < 0 || packedOf[b] < 0) continue;
                if (steps[b] >= batch.lengths[b]) throw new IllegalArgumentException("step " + steps[b] + " of lane " + b + " is not real");
                int pos = steps[b] * n + packedOf[b];
                if (pos >= r0 && pos < r0 + count) {
                    wanted[selected] = pos - r0;
                    lanesOf[selected++] = b;
                }
            }
            if (selected == 0) continue;
            long address = model.output.logProbabilities(dc, top, r0, count);
            topHost.putInts(0, wanted, selected);
            model.ctx.toDevice(topIndex.address(), topHost.pointer(), 4L * selected, "top-k rows");
            model.ctx.kernels.topK(address, topIndex.address(), topSongs.address(), topScores.address(), selected, songs, k);
            long scoresAt = 4L * topCapacity;
            model.ctx.toHost(DevicePointer.at(topHost.address() + 4L * batch.lanes), topSongs.address(), 4L * selected * k, "top-k songs");
            model.ctx.toHost(DevicePointer.at(topHost.address() + 4L * batch.lanes + scoresAt), topScores.address(), 4L * selected * k,
                    "top-k scores");
            model.ctx.synchronize("top-k to the host");
            for (int s = 0; s < selected; s++) {
                int[] best = new int[k];
                float[] scores = new float[k];
                topHost.getInts(4L * batch.lanes + 4L * s * k, best, 0, k);
                topHost.getFloats(4L * batch.lanes + scoresAt + 4L * s * k, scores, 0, k);
                out[lanesOf[s]] = new Top(best, scores);
            }
        }
        return out;
    }

    /** Device and host room for the top k of every lane (grown when a call asks for more). */
    private void ensureTopCapacity(int lanes, int k) {
        int need = lanes * k;
        if (topIndex != null && topCapacity >= need) return;
        if (topIndex != null) {
            topIndex.close();
            topSongs.close();
            topScores.close();
            topHost.close();
        }
        topCapacity = need;
        topIndex = DeviceBuffer.allocate("top-k row index", 4L * lanes);
        topSongs = DeviceBuffer.allocate("top-k songs", 4L * need);
        topScores = DeviceBuffer.allocate("top-k scores", 4L * need);
        // Host layout: row index [lanes], then songs [capacity], then scores [capacity].
        topHost = new PinnedBuffer("top-k staging", 4L * lanes + 8L * need);
    }

    @Override
    public void close() {
        if (topIndex != null) {
            topIndex.close();
            topSongs.close();
            topScores.close();
            topHost.close();
        }
        model.close();
    }
}
