package io.nexttrack.engine.cpu;

import io.nexttrack.data.Batch;
import io.nexttrack.engine.Candidates;
import io.nexttrack.engine.Engine;
import io.nexttrack.engine.EngineSettings;
import io.nexttrack.model.Parameters;
import io.nexttrack.optim.Adam;
import io.nexttrack.optim.GradientClipping;
import io.nexttrack.optim.SparseGradient;

/**
 * The reference {@link Engine}: {@link CpuModel}'s forward/backward, then clipping and Adam on the host buffers. With
 * the full softmax the gradient is one dense buffer and Adam dense; with the sampled loss ({@link
 * EngineSettings#sampling()}) the gradient is compact ({@link SparseGradient}: the LSTM, the chunk's embedding rows,
 * its candidates' output columns), clipped by its global norm, and Adam lazy over it.
 */
public final class CpuTrainingEngine implements Engine {
    private final Parameters parameters;
    private final Adam adam;
    private final GradientClipping clipping;
    private final CpuModel model;
    /** The full softmax's dense gradient (null with the sampled loss). */
    private final float[] gradients;
    /** The sampled loss's candidates and compact gradient (null with the full softmax). */
    private final Candidates candidates;
    private final SparseGradient sparse;
    /** The results of the latest and the previous step. */
    private StepResult latest = new StepResult(Double.NaN, Double.NaN), previous = latest;

    public CpuTrainingEngine(Parameters parameters, Adam adam, double clipNorm, int lanes, int steps, int threads, long seed) {
        this(parameters, adam, new EngineSettings(lanes, steps, clipNorm, seed), threads);
    }

    public CpuTrainingEngine(Parameters parameters, Adam adam, EngineSettings settings, int threads) {
        this.parameters = parameters;
        this.adam = adam;
        this.clipping = new GradientClipping((float) settings.clipNorm());
        int lanes = settings.batch(), steps = settings.unroll(), positions = lanes * steps;
        if (settings.sampled() && settings.sampling().songs() != parameters.config().songs()) {
            throw new IllegalArgumentException("the sampled loss has the plays of " + settings.sampling().songs() + " songs, the model "
                    + parameters.config().songs());
        }
        this.model = new CpuModel(parameters, lanes, steps, threads, settings.seed(), settings.sampling());
        if (settings.sampled()) {
            this.gradients = null;
            this.candidates = new Candidates(settings.sampling(), settings.seed(), positions);
            this.sparse = CpuModel.sparseGradient(parameters, positions, settings.sampling().maxCandidates(positions));
        } else {
            this.gradients = new float[parameters.size()];
            this.candidates = null;
            this.sparse = null;
        }
    }

    @Override
    public void submit(Batch batch) {
        model.setTraining(true);
        model.restartDropout(adam.step()); // masks depend on the step only, so a resumed run draws the same
        if (sparse != null) {
            submitSampled(batch);
            return;
        }
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

    /** The sampled loss's step: candidates and touched rows of the chunk (draws of the step number), then lazy Adam. */
    private void submitSampled(Batch batch) {
        batch.checkSongs(parameters.config().songs(), true);
        Candidates c = candidates.prepare(batch, adam.step());
        layOut(sparse, c);
        double loss = model.forwardBackward(batch, sparse, c);
        previous = latest;
        if (batch.positions == 0) {
            latest = new StepResult(loss, 0);
            return;
        }
        double norm = clipping.clip(sparse);
        Adam.StepConstants k = adam.nextStep();
        // Lazy Adam in shares: the output weights' columns are scattered over the whole of W, so the step waits on memory.
        model.pool().run((part, parts) -> adam.updatePart(parameters.values(), sparse, k, part, parts));
        latest = new StepResult(loss, norm);
    }

    /** Lays out {@code g} ({@link CpuModel#sparseGradient}) for the chunk of {@code c}: its input songs' rows, its candidates' columns. */
    static void layOut(SparseGradient g, Candidates c) {
        g.blocks().get(0).set(c.inputs(), c.inputCount());
        g.blocks().get(1).set(c.columns(), c.count());
        g.blocks().get(2).set(c.columns(), c.count());
        g.arrange();
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
