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
 */
final class DeviceParameters {
    final Parameters host;
    final int size;
    final DeviceBuffer values, gradients, m, v;
    private final DeviceBuffer partials, sumSquares;
    private final GpuContext ctx;

    /** With {@code training} false (scoring) only the parameters are allocated. */
    DeviceParameters(GpuContext ctx, Parameters host, boolean training) {
        this.ctx = ctx;
        this.host = host;
        this.size = host.size();
        String shape = " (" + size + " floats)";
        this.values = ctx.floats("parameters" + shape, size);
        this.gradients = training ? ctx.floats("gradients" + shape, size) : null;
        this.m = training ? ctx.floats("Adam's first moments" + shape, size) : null;
        this.v = training ? ctx.floats("Adam's second moments" + shape, size) : null;
        this.partials = training ? ctx.bytes("gradient-norm partial sums", 8L * Launch.NORM_BLOCKS) : null;
        this.sumSquares = training ? ctx.bytes("squared gradient norm", 8) : null;
    }

    long value(Parameters.Tensor t) { return values.at(t.offset()); }

    long gradient(Parameters.Tensor t) { return gradients.at(t.offset()); }

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
