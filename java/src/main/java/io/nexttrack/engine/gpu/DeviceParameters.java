package io.nexttrack.engine.gpu;

import io.nexttrack.model.Parameters;
import io.nexttrack.optim.Adam;
import io.nexttrack.optim.GradientClipping;
import org.bytedeco.javacpp.FloatPointer;

/**
 * The model's flat buffers on the device, in the CPU layout ({@link Parameters}): parameters, gradients and
 * Adam's two moments, one allocation each, so that one kernel clips and updates everything and a checkpoint is
 * the same bytes whichever engine wrote it. Gradients are zeroed at the start of every step (the kernels that
 * fill them add).
 *
 * <p>With the sampled loss the gradient buffer is compact instead ({@code optim.SparseGradient}'s layout, as the CPU
 * engine's): the LSTM tensors (dense, from {@code gradient(lstm tensor)} as usual), then the step's embedding rows,
 * output-weight columns and output-bias entries; {@link #clipAndUpdateSparse} runs lazy Adam over it.
 */
final class DeviceParameters {
    final Parameters host;
    final int size;
    final DeviceBuffer values, gradients, m, v;
    private final DeviceBuffer partials, sumSquares;
    private final GpuContext ctx;
    /** Where the gradient buffer starts in the parameters' layout: 0, or with a compact gradient the first LSTM parameter. */
    private final int gradientOrigin;

    /** With {@code training} false (scoring) only the parameters are allocated. */
    DeviceParameters(GpuContext ctx, Parameters host, boolean training) {
        this(ctx, host, training, -1);
    }

    /** With {@code compactGradient} >= 0, a compact gradient of that many floats instead of a dense one (the sampled loss). */
    DeviceParameters(GpuContext ctx, Parameters host, boolean training, long compactGradient) {
        this.ctx = ctx;
        this.host = host;
        this.size = host.size();
        String shape = " (" + size + " floats)";
        this.values = ctx.floats("parameters" + shape, size);
        this.gradientOrigin = compactGradient >= 0 ? host.lstmWeight(0).offset() : 0;
        this.gradients = !training ? null : compactGradient >= 0
                ? ctx.floats("compact gradient (" + compactGradient + " floats)", compactGradient) : ctx.floats("gradients" + shape, size);
        this.m = training ? ctx.floats("Adam's first moments" + shape, size) : null;
        this.v = training ? ctx.floats("Adam's second moments" + shape, size) : null;
        this.partials = training ? ctx.bytes("gradient-norm partial sums", 8L * Launch.NORM_BLOCKS) : null;
        this.sumSquares = training ? ctx.bytes("squared gradient norm", 8) : null;
    }

    long value(Parameters.Tensor t) { return values.at(t.offset()); }

    /**
     * The gradient of tensor {@code t}: with a compact gradient, of the LSTM tensors only (the others are the step's
     * rows, laid out by the engine).
     */
    long gradient(Parameters.Tensor t) { return gradientBase() + 4L * t.offset(); }

    /**
     * The address at which the gradient of parameter 0 would be: {@code gradientBase() + 4 * offset} is the gradient of
     * the parameter at {@code offset} (with a compact gradient, for the LSTM's parameters).
     */
    long gradientBase() { return gradients.address() - 4L * gradientOrigin; }

    /** The device address of the squared norm of the gradients, written by {@link #clipAndUpdate}. */
    long sumSquares() { return sumSquares.address(); }

    void uploadValues() { upload(values, host.values()); }

    void uploadMoments(Adam adam) {
        upload(m, adam.state().m());
        upload(v, adam.state().v());
    }

    /** Copies parameters (and Adam's moments into {@code adam}'s live arrays) to the host; waits. */
    void download(Adam adam) {
        download(values, host.values());
        if (adam != null) {
            download(m, adam.state().m());
            download(v, adam.state().v());
        }
        ctx.synchronize("parameters to the host");
    }

    private void upload(DeviceBuffer to, float[] from) {
        FloatPointer staging = new FloatPointer(from);
        ctx.toDevice(to.address(), staging, 4L * size, to.what);
        ctx.synchronize(to.what + " uploaded"); // the staging copy is freed with the Java object: wait for the copy
        staging.close();
    }

    private void download(DeviceBuffer from, float[] to) {
        FloatPointer staging = new FloatPointer(size);
        ctx.toHost(staging, from.address(), 4L * size, from.what);
        ctx.synchronize(from.what + " downloaded");
        staging.get(to);
        staging.close();
    }

    void zeroGradients() { gradients.zero(ctx.stream); }

    /**
     * The sampled loss's clip and lazy Adam, in kernels with no host synchronisation: the norm over the compact
     * gradient's first {@code used} floats (everything updated), then {@code nt_clip_adam} on the LSTM's dense range
     * and {@code nt_sparse_adam} on each block of {@code layout}. The twin of {@code GradientClipping.clip(SparseGradient)}
     * then {@code Adam.update(float[], SparseGradient)}.
     */
    void clipAndUpdateSparse(Adam adam, GradientClipping clipping, SparseLayout layout) {
        ctx.kernels.sumSquares(gradients.address(), partials.address(), sumSquares.address(), layout.used());
        Adam.StepConstants c = adam.nextStep();
        float b1 = adam.beta1(), b2 = adam.beta2(), max = clipping.maxNorm();
        ctx.kernels.clipAdam(values.at(gradientOrigin), gradients.address(), m.at(gradientOrigin), v.at(gradientOrigin), sumSquares.address(),
                max, c.alpha(), b1, b2, c.eps(), layout.dense());
        for (SparseLayout.Block b : layout.blocks()) {
            ctx.kernels.sparseAdam(values.at(b.base()), gradients.at(b.offset()), m.at(b.base()), v.at(b.base()), b.index(),
                    sumSquares.address(), max, c.alpha(), b1, b2, c.eps(), b.count(), b.width(), b.indexStride(), b.widthStride(),
                    b.columns());
        }
    }

    /**
     * Global-norm clipping and Adam in two kernels with no host synchronisation: the norm stays on the device
     * and the clipping kernel reads it there. {@code adam} counts the step and gives its constants.
     */
    void clipAndUpdate(Adam adam, GradientClipping clipping) {
        ctx.kernels.sumSquares(gradients.address(), partials.address(), sumSquares.address(), size);
        Adam.StepConstants c = adam.nextStep();
        ctx.kernels.clipAdam(values.address(), gradients.address(), m.address(), v.address(), sumSquares.address(),
                clipping.maxNorm(), c.alpha(), adam.beta1(), adam.beta2(), c.eps(), size);
    }
}
