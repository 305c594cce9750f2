package io.nexttrack.engine.gpu;

import io.nexttrack.data.Batch;
import io.nexttrack.engine.Lstm;
import io.nexttrack.engine.cpu.DropoutSites;
import io.nexttrack.model.ModelConfig;
import io.nexttrack.model.Parameters;

/**
 * What the training engine and the scorer share on the device: the context, the parameters, the carried state
 * {@code [2L, B, H]}, the LSTM, the chunk staging, the embedding rows and the output layer. {@link #forward}
 * runs a chunk up to the top layer's output. The twin of the CPU's {@code CpuModel}.
 */
final class GpuModel implements AutoCloseable {
    final GpuContext ctx;
    final ModelConfig config;
    final DeviceParameters params;
    final DeviceBuffer state;
    final GpuLstm lstm;
    final ChunkStaging staging;
    final DeviceBuffer x;
    final GpuOutputLayer output;
    final int lanes, steps;
    private final PositionsBySong[] groupings;
    private boolean closed;

    /** Also the dropout masks when training with dropout: the masks' stream starts from {@code seed}, as the CPU engine's. */
    final DropoutMasks masks;

    GpuModel(Parameters parameters, int lanes, int steps, Lstm kind, boolean training, long seed) {
        this(parameters, lanes, steps, kind, training, seed, 0, -1);
    }

    /**
     * With {@code maxCandidates > 0}, for the sampled loss: a compact gradient of {@code compactGradient} floats instead
     * of a dense one, and the output layer's sampled path.
     */
    GpuModel(Parameters parameters, int lanes, int steps, Lstm kind, boolean training, long seed, int maxCandidates,
             long compactGradient) {
        this.config = parameters.config();
        if (training && kind == Lstm.CUDNN && config.dropout() > 0) {
            throw new IllegalArgumentException("--lstm cudnn trains without dropout (cuDNN's masks would not be the CPU engine's), "
                    + "and this model has --dropout " + config.dropout() + ": add --dropout 0, or use --lstm fused");
        }
        this.lanes = lanes;
        this.steps = steps;
        this.ctx = new GpuContext();
        GpuLstm made = null; // closed if a later allocation fails: cuDNN's handle is not the context's to free
        try {
            int positions = lanes * steps;
            this.params = new DeviceParameters(ctx, parameters, training, compactGradient);
            this.state = ctx.floats("LSTM state [" + 2 * config.layers() + ", " + lanes + ", " + config.hidden() + "]",
                    2L * config.layers() * lanes * config.hidden());
            state.zero(ctx.stream);
            boolean dropout = training && config.dropout() > 0;
            this.masks = dropout && kind == Lstm.FUSED
                    ? new DropoutMasks(ctx, config.dropout(), seed, DropoutSites.of(config, positions)) : null;
            this.lstm = made = kind == Lstm.CUDNN ? new CudnnLstm(ctx, params, state, lanes, steps)
                    : new FusedLstm(ctx, params, state, lanes, steps, masks);
            this.staging = new ChunkStaging(ctx, lanes, steps);
            this.x = ctx.floats("embedding rows [" + positions + ", " + config.embedding() + "]", (long) positions * config.embedding());
            this.output = new GpuOutputLayer(ctx, params, positions,
                    training ? GpuOutputLayer.TRAINING_BLOCK_BYTES : GpuOutputLayer.SCORING_BLOCK_BYTES, maxCandidates);
            this.groupings = new PositionsBySong[lanes + 1];
            params.uploadValues();
        } catch (RuntimeException | Error e) {
            try {
                if (made != null) made.close();
            } finally {
                ctx.close();
            }
            throw e;
        }
    }

    /**
     * The chunk as the LSTM runs it ({@link GpuLstm#prepare}). The batch must have this model's lanes and steps, as
     * {@code CpuModel} requires: the kernels and GEMMs take the sizes from the model and index with them unchecked.
     */
    Batch prepare(Batch batch) {
        checkShape(batch, lanes, steps);
        return lstm.prepare(batch);
    }

    static void checkShape(Batch batch, int lanes, int steps) {
        if (batch.lanes != lanes || batch.steps != steps) {
            throw new IllegalArgumentException("batch is " + batch.lanes + "x" + batch.steps + ", engine " + lanes + "x" + steps);
        }
    }

    /** The chunk as the LSTM runs it, uploaded; with {@code grouping}, the positions grouped by song too. */
    DeviceChunk upload(Batch prepared, boolean grouping) {
        PositionsBySong g = null;
        if (grouping) {
            if (groupings[prepared.lanes] == null) groupings[prepared.lanes] = new PositionsBySong(prepared.lanes, prepared.steps);
            g = groupings[prepared.lanes].group(prepared);
        }
        return staging.upload(prepared, g);
    }

    /** Embedding rows, then the LSTM layers; returns the top layer's output {@code [P, H]}. */
    long forward(DeviceChunk chunk, boolean training) {
        ctx.kernels.embeddingGather(chunk.inputs(), chunk.lengths(), params.value(params.host.embedding()), x.address(), chunk.lanes(),
                chunk.positions(), config.embedding());
        return lstm.forward(chunk, x.address(), training);
    }

    void resetState() { state.zero(ctx.stream); }

    float[] state() {
        float[] s = new float[(int) (state.bytes / 4)];
        PinnedBuffer host = new PinnedBuffer("LSTM state to the host", state.bytes);
        try {
            ctx.toHost(host.pointer(), state.address(), state.bytes, "LSTM state");
            ctx.synchronize("LSTM state to the host");
            host.getFloats(0, s, 0, s.length);
        } finally {
            host.close();
        }
        return s;
    }

    void setState(float[] s) {
        if (4L * s.length != state.bytes) throw new IllegalArgumentException("state must have " + state.bytes / 4 + " floats");
        PinnedBuffer host = new PinnedBuffer("LSTM state to the device", state.bytes);
        try {
            host.putFloats(0, s, s.length);
            ctx.toDevice(state.address(), host.pointer(), state.bytes, "LSTM state");
            ctx.synchronize("LSTM state to the device");
        } finally {
            host.close();
        }
    }

    /** Once (a second call does nothing): cuDNN's and cuBLAS's handles must not be destroyed twice. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            ctx.synchronize("closing the engine"); // nothing queued may still use what is freed below
        } catch (GpuException e) {
            // a failed step already reported its error; free what can be freed
        } finally {
            try {
                lstm.close();
            } finally {
                ctx.close();
            }
        }
    }
}
