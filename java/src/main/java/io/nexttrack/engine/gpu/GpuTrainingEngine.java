package io.nexttrack.engine.gpu;

import static org.bytedeco.cuda.global.cudart.cudaEventRecord;
import static org.bytedeco.cuda.global.cudart.cudaEventSynchronize;

import io.nexttrack.data.Batch;
import io.nexttrack.data.Batcher;
import io.nexttrack.engine.Engine;
import io.nexttrack.engine.EngineSettings;
import io.nexttrack.engine.Lstm;
import io.nexttrack.model.Parameters;
import io.nexttrack.optim.Adam;
import io.nexttrack.optim.GradientClipping;
import java.util.Optional;
import org.bytedeco.cuda.cudart.CUevent_st;

/**
 * The GPU training engine: parameters, gradients and Adam's moments stay on the device; a step is queued on one
 * stream with no host synchronisation (chunk copy in, embedding, LSTM, output layer, embedding gradient,
 * clipping and Adam), and its loss and squared gradient norm are copied into one of two page-locked result slots
 * that {@link #trained} reads when asked: the previous step's is ready while the latest runs.
 */
final class GpuTrainingEngine implements Engine {
    private final GpuModel model;
    private final Adam adam;
    private final GradientClipping clipping;
    /** zeroLoss: 8 zero bytes, the loss and squared norm of a chunk without real positions. */
    private final DeviceBuffer dTop, dX, zeroLoss;
    private final PinnedBuffer results, scalar;
    private final CUevent_st[] resultReady = new CUevent_st[2];
    private final int songs;
    private long submitted;

    GpuTrainingEngine(Parameters parameters, Adam adam, EngineSettings settings, Lstm lstm) {
        this.model = new GpuModel(parameters, settings.batch(), settings.unroll(), lstm, true, settings.seed());
        this.adam = adam;
        this.clipping = new GradientClipping((float) settings.clipNorm());
        this.songs = parameters.config().songs();
        GpuContext ctx = model.ctx;
        try {
            int positions = settings.batch() * settings.unroll();
            this.dTop = ctx.floats("top-layer output gradient", (long) positions * parameters.config().hidden());
            this.dX = ctx.floats("embedding-row gradient", (long) positions * parameters.config().embedding());
            this.zeroLoss = ctx.bytes("zero loss", 8);
            zeroLoss.zero(ctx.stream);
            this.results = ctx.pinned("step results", 32);
            this.scalar = ctx.pinned("validation loss", 8);
            for (int i = 0; i < 2; i++) resultReady[i] = ctx.event();
            model.params.uploadMoments(adam);
        } catch (RuntimeException | Error e) {
            model.close();
            throw e;
        }
    }

    @Override
    public void submit(Batch batch) {
        batch.checkSongs(songs, true);
        GpuContext ctx = model.ctx;
        int slot = (int) (submitted & 1);
        // The slot's previous result (two steps ago) must have been read back before it is overwritten.
        if (submitted >= 2) Cuda.check(cudaEventSynchronize(resultReady[slot]), "cudaEventSynchronize(step result)");
        long loss = forwardBackward(batch), sumSquares = zeroLoss.address();
        if (batch.positions > 0) { // as the CPU engine: a chunk with no real position takes no step (nor Adam's count)
            model.params.clipAndUpdate(adam, clipping);
            sumSquares = model.params.sumSquares();
        }
        ctx.toHost(DevicePointer.at(results.address() + 16L * slot), loss, 8, "loss");
        ctx.toHost(DevicePointer.at(results.address() + 16L * slot + 8), sumSquares, 8, "squared gradient norm");
        Cuda.check(cudaEventRecord(resultReady[slot], ctx.stream), "cudaEventRecord(step result)");
        submitted++;
    }

    /**
     * Queues forward and backward on one chunk: the gradient of (summed loss / real positions) in the device's
     * gradient buffer, as {@code CpuModel.forwardBackward} computes it; returns the device address of the summed loss.
     */
    private long forwardBackward(Batch batch) {
        GpuContext ctx = model.ctx;
        Batch chunk = model.prepare(batch);
        DeviceChunk dc = model.upload(chunk, true);
        model.params.zeroGradients();
        if (chunk.positions == 0) return zeroLoss.address(); // nothing scored: zero gradients, as on the CPU
        if (model.masks != null) model.masks.draw(adam.step()); // the step number, as CpuTrainingEngine restarts its masks
        long top = model.forward(dc, true);
        model.output.forward(dc, top, dTop.address());
        model.lstm.backward(dc, dTop.address(), dX.address());
        ctx.kernels.embeddingGrad(dc.songs(), dc.offsets(), dc.bySong(), dX.address(),
                model.params.gradient(model.params.host.embedding()), dc.songCount(), model.config.embedding());
        return model.output.loss();
    }

    /** For the GPU tests: one chunk's summed loss and unclipped gradients (no update), copied to the host; waits. */
    double lossAndGradients(Batch batch, float[] gradients) {
        batch.checkSongs(songs, true);
        long loss = forwardBackward(batch);
        GpuContext ctx = model.ctx;
        ctx.toHost(scalar.pointer(), loss, 8, "loss");
        org.bytedeco.javacpp.FloatPointer g = new org.bytedeco.javacpp.FloatPointer(gradients.length);
        try {
            ctx.toHost(g, model.params.gradients.address(), 4L * gradients.length, "gradients");
            ctx.synchronize("loss and gradients to the host");
            g.get(gradients);
        } finally {
            g.close();
        }
        return scalar.buffer.getDouble(0);
    }

    @Override
    public StepResult trained(int ago) {
        if (ago < 0 || ago > 1) throw new IllegalArgumentException("only the latest two steps are kept: " + ago);
        long step = submitted - 1 - ago;
        if (step < 0) return new StepResult(Double.NaN, Double.NaN);
        int slot = (int) (step & 1);
        Cuda.check(cudaEventSynchronize(resultReady[slot]), "cudaEventSynchronize(step result)");
        double loss = results.buffer.getDouble(16 * slot), sumSquares = results.buffer.getDouble(16 * slot + 8);
        return new StepResult(loss, Math.sqrt(sumSquares));
    }

    @Override
    public double loss(Batch batch) {
        batch.checkSongs(songs, true);
        Batch chunk = model.prepare(batch);
        if (chunk.positions == 0) return 0;
        DeviceChunk dc = model.upload(chunk, false);
        long top = model.forward(dc, false);
        model.output.forward(dc, top, 0);
        GpuContext ctx = model.ctx;
        ctx.toHost(scalar.pointer(), model.output.loss(), 8, "validation loss");
        ctx.synchronize("validation loss to the host");
        return scalar.buffer.getDouble(0);
    }

    @Override public void resetState() { model.resetState(); }

    @Override public float[] state() { return model.state(); }

    @Override public void setState(float[] state) { model.setState(state); }

    @Override public void syncToHost() { model.params.download(adam); }

    @Override
    public void syncFromHost() {
        model.params.uploadValues();
        model.params.uploadMoments(adam);
    }

    @Override public void uploadParameters() { model.params.uploadValues(); }

    @Override public Optional<Batcher.Layout> requiredLayout() { return model.lstm.requiredLayout(); }

    @Override public long devicePeakMib() { return DeviceBuffer.peakBytes() >> 20; }

    @Override
    public void close() { model.close(); }
}
