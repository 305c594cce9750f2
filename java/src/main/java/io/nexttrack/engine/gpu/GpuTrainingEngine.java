package io.nexttrack.engine.gpu;

import static org.bytedeco.cuda.global.cudart.cudaEventRecord;
import static org.bytedeco.cuda.global.cudart.cudaEventSynchronize;

import io.nexttrack.data.Batch;
import io.nexttrack.data.Batcher;
import io.nexttrack.engine.Candidates;
import io.nexttrack.engine.Engine;
import io.nexttrack.engine.EngineSettings;
import io.nexttrack.engine.Lstm;
import io.nexttrack.model.Parameters;
import io.nexttrack.optim.Adam;
import io.nexttrack.optim.GradientClipping;
import java.util.List;
import java.util.Optional;
import org.bytedeco.cuda.cudart.CUevent_st;

/**
 * The GPU training engine: parameters, gradients and Adam's moments stay on the device; a step is queued on one
 * stream with no host synchronisation (chunk copy in, embedding, LSTM, output layer, embedding gradient,
 * clipping and Adam), and its loss and squared gradient norm are copied into one of two page-locked result slots
 * that {@link #trained} reads when asked: the previous step's is ready while the latest runs.
 *
 * <p>With the sampled loss ({@link EngineSettings#sampling()}) the host makes each chunk's candidates (the same
 * {@link Candidates} as the CPU engine, from the same seed and step number), uploads them with the chunk, and the
 * step runs the output layer's sampled path, writes a compact gradient (the LSTM, the chunk's embedding rows through
 * {@code nt_embedding_grad} with row numbers for songs, the candidates' output columns) and updates it with lazy Adam
 * ({@link DeviceParameters#clipAndUpdateSparse}).
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
    /** The sampled loss's candidates and their staging (null with the full softmax). */
    private final Candidates candidates;
    private final SampledStaging sampledStaging;
    /** The latest sampled step's gradient layout (for clipping and Adam, and the tests). */
    private SparseLayout layout;

    GpuTrainingEngine(Parameters parameters, Adam adam, EngineSettings settings, Lstm lstm) {
        int positions = settings.batch() * settings.unroll();
        int maxCandidates = settings.sampled() ? settings.sampling().maxCandidates(positions) : 0;
        if (settings.sampled() && settings.sampling().songs() != parameters.config().songs()) {
            throw new IllegalArgumentException("the sampled loss has the plays of " + settings.sampling().songs() + " songs, the model "
                    + parameters.config().songs());
        }
        long compact = settings.sampled() ? io.nexttrack.engine.cpu.CpuModel.sparseGradientCapacity(parameters.config(), positions,
                maxCandidates) : -1;
        this.model = new GpuModel(parameters, settings.batch(), settings.unroll(), lstm, true, settings.seed(), maxCandidates, compact);
        this.adam = adam;
        this.clipping = new GradientClipping((float) settings.clipNorm());
        this.songs = parameters.config().songs();
        GpuContext ctx = model.ctx;
        try {
            this.dTop = ctx.floats("top-layer output gradient", (long) positions * parameters.config().hidden());
            this.dX = ctx.floats("embedding-row gradient", (long) positions * parameters.config().embedding());
            this.zeroLoss = ctx.bytes("zero loss", 8);
            zeroLoss.zero(ctx.stream);
            this.results = ctx.pinned("step results", 32);
            this.scalar = ctx.pinned("validation loss", 8);
            for (int i = 0; i < 2; i++) resultReady[i] = ctx.event();
            model.params.uploadMoments(adam);
            this.candidates = settings.sampled() ? new Candidates(settings.sampling(), settings.seed(), positions) : null;
            this.sampledStaging = settings.sampled() ? new SampledStaging(ctx, maxCandidates, positions) : null;
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
            if (candidates != null) model.params.clipAndUpdateSparse(adam, clipping, layout);
            else model.params.clipAndUpdate(adam, clipping);
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
        if (candidates != null) return forwardBackwardSampled(batch);
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

    /**
     * {@link #forwardBackward} with the sampled loss: the chunk's candidates (of Adam's step number) and the compact
     * gradient's layout on the host, then the step's kernels; the layout is kept in {@link #layout} for the update.
     */
    private long forwardBackwardSampled(Batch batch) {
        GpuContext ctx = model.ctx;
        Batch chunk = model.prepare(batch);
        Candidates c = candidates.prepare(chunk, adam.step());
        DeviceChunk dc = model.upload(chunk, true);
        SampledStaging.Uploaded uc = sampledStaging.upload(c, chunk.lanes * chunk.steps);
        int e = model.config.embedding(), hidden = model.config.hidden();
        Parameters host = model.params.host;
        // optim.SparseGradient's layout, as CpuModel.sparseGradient lays it out: the LSTM, the embedding rows of the chunk's
        // distinct input songs (the grouping's songs, ascending: Candidates.inputs), W's and b's candidate columns.
        int dense = host.outputWeight().offset() - host.lstmWeight(0).offset();
        int emb = dense, w = emb + dc.songCount() * e, b = w + hidden * c.count(), used = b + c.count();
        layout = new SparseLayout(dense, used, List.of(
                new SparseLayout.Block(host.embedding().offset(), emb, dc.songs(), dc.songCount(), e, e, 1, false),
                new SparseLayout.Block(host.outputWeight().offset(), w, uc.columns(), c.count(), hidden, 1, songs, true),
                new SparseLayout.Block(host.outputBias().offset(), b, uc.columns(), c.count(), 1, 1, 1, true)));
        model.params.zeroGradients();
        if (chunk.positions == 0) return zeroLoss.address();
        if (model.masks != null) model.masks.draw(adam.step());
        long top = model.forward(dc, true);
        long g = model.params.gradients.address();
        model.output.forwardSampled(dc, top, dTop.address(), uc, g + 4L * w, g + 4L * b);
        model.lstm.backward(dc, dTop.address(), dX.address());
        // The embedding gradient into the compact rows: "song" k of the grouping is row k.
        ctx.kernels.embeddingGrad(sampledStaging.rowNumbers(), dc.offsets(), dc.bySong(), dX.address(), g + 4L * emb, dc.songCount(), e);
        return model.output.loss();
    }

    /**
     * For the GPU tests, with the sampled loss: one chunk's summed loss and unclipped compact gradient (no update),
     * the gradient's first {@code used} floats copied into {@code gradient}; waits. Returns the loss.
     */
    double sampledLossAndGradient(Batch batch, float[] gradient) {
        batch.checkSongs(songs, true);
        long loss = forwardBackward(batch);
        GpuContext ctx = model.ctx;
        ctx.toHost(scalar.pointer(), loss, 8, "loss");
        org.bytedeco.javacpp.FloatPointer g = new org.bytedeco.javacpp.FloatPointer(layout.used());
        try {
            ctx.toHost(g, model.params.gradients.address(), 4L * layout.used(), "compact gradient");
            ctx.synchronize("loss and compact gradient to the host");
            g.get(gradient, 0, layout.used());
        } finally {
            g.close();
        }
        return scalar.buffer.getDouble(0);
    }

    /** The latest sampled step's gradient layout. */
    SparseLayout layout() { return layout; }

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
