package io.nexttrack.engine.cpu;

import io.nexttrack.data.Batch;
import io.nexttrack.engine.Engine;
import io.nexttrack.model.Parameters;
import io.nexttrack.optim.Adam;
import io.nexttrack.optim.GradientClipping;

/** The reference {@link Engine}: {@link CpuModel}'s forward/backward, then clipping and Adam on the host buffers. */
public final class CpuTrainingEngine implements Engine {
    private final Parameters parameters;
    private final Adam adam;
    private final GradientClipping clipping;
    private final CpuModel model;
    private final float[] gradients;
    /** The results of the latest and the previous step. */
    private StepResult latest = new StepResult(Double.NaN, Double.NaN), previous = latest;

    public CpuTrainingEngine(Parameters parameters, Adam adam, double clipNorm, int lanes, int steps, int threads, long seed) {
        this.parameters = parameters;
        this.adam = adam;
        this.clipping = new GradientClipping((float) clipNorm);
        this.model = new CpuModel(parameters, lanes, steps, threads, seed);
        this.gradients = new float[parameters.size()];
    }

    @Override
    public void submit(Batch batch) {
        model.setTraining(true);
        model.restartDropout(adam.step()); // masks depend on the step only, so a resumed run draws the same
        double loss = model.forwardBackward(batch, gradients);
        previous = latest;
        if (batch.positions == 0) { // nothing to learn from (and the loss scale 1 / 0): no step, Adam's count unchanged
            latest = new StepResult(loss, 0);
            return;
        }
        double norm = clipping.clip(gradients);
        adam.update(parameters.values(), gradients);
        latest = new StepResult(loss, norm);
    }

    @Override
    public StepResult trained(int ago) {
        if (ago < 0 || ago > 1) throw new IllegalArgumentException("only the latest two steps are kept: " + ago);
        return ago == 0 ? latest : previous;
    }

    @Override
    public double loss(Batch batch) {
        model.setTraining(false);
        return model.forward(batch);
    }

    @Override public void resetState() { model.resetState(); }

    @Override public float[] state() { return model.state(); }

    @Override public void setState(float[] state) { model.setState(state); }

    @Override public void syncToHost() {} // parameters and Adam's moments already live on the host

    @Override public void syncFromHost() {}

    @Override public void uploadParameters() {}


    /** The forward/backward model itself. */
    public CpuModel model() { return model; }

    @Override
    public void close() { model.close(); }
}
