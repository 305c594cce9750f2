package io.nexttrack.optim;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Adam (Kingma and Ba, 2015) over one flat parameter buffer; the specification a GPU kernel must match.
 * At step t (counting from 1), for every index j:
 * <pre>
 * m[j] = beta1 * m[j] + (1 - beta1) * g[j]
 * v[j] = beta2 * v[j] + (1 - beta2) * g[j]^2
 * p[j] = p[j] - alpha_t * m[j] / (sqrt(v[j]) + eps_t)
 *   with alpha_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t) and eps_t = eps * sqrt(1 - beta2^t),
 * </pre>
 * which is algebraically p -= lr * mHat / (sqrt(vHat) + eps) with mHat = m / (1 - beta1^t) and
 * vHat = v / (1 - beta2^t), computed with two per-step scalars instead of two divisions per weight.
 * The step's scalars are computed in double and rounded to float, in one place ({@link #nextStep}) that
 * the GPU engine uses too; the per-weight arithmetic is float, each operation rounded on its own (no FMA),
 * which the GPU kernel nt_clip_adam reproduces.
 */
public final class Adam {
    public static final float DEFAULT_LR = 1e-3f;
    public static final float DEFAULT_BETA1 = 0.9f;
    public static final float DEFAULT_BETA2 = 0.999f;
    public static final float DEFAULT_EPS = 1e-8f;

    /** Everything a checkpoint must save to resume: the moments and the number of steps taken. */
    public record State(float[] m, float[] v, long step) {}

    /** The per-step scalars of step t: {@code alpha_t} and {@code eps_t} of the class comment. */
    public record StepConstants(float alpha, float eps) {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private final float beta1;
    private final float beta2;
    private final float eps;
    private float learningRate;
    private final float[] m;
    private final float[] v;
    private long step;

    public Adam(int size) {
        this(size, DEFAULT_LR, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPS);
    }

    public Adam(int size, float learningRate, float beta1, float beta2, float eps) {
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.m = new float[size];
        this.v = new float[size];
    }

    public float learningRate() { return learningRate; }

    public void setLearningRate(float learningRate) { this.learningRate = learningRate; }

    public long step() { return step; }

    public float beta1() { return beta1; }

    public float beta2() { return beta2; }

    /**
     * Counts one more step and returns its constants. {@link #update} calls it; an engine that runs the
     * per-weight update elsewhere (the GPU kernel) calls it instead, once per update.
     */
    public StepConstants nextStep() {
        step++;
        return constants(step);
    }

    /** The constants of step {@code t} (counting from 1) at the current learning rate. */
    public StepConstants constants(long t) {
        double correction2 = Math.sqrt(1 - StrictMath.pow(beta2, t));
        return new StepConstants((float) (learningRate * correction2 / (1 - StrictMath.pow(beta1, t))), (float) (eps * correction2));
    }

    /** The live moment arrays and step count (not copies). */
    public State state() { return new State(m, v, step); }

    /** Restores moments and step count from a checkpoint. */
    public void setState(State state) {
        if (state.m().length != m.length || state.v().length != v.length) throw new IllegalArgumentException("state size mismatch");
        System.arraycopy(state.m(), 0, m, 0, m.length);
        System.arraycopy(state.v(), 0, v, 0, v.length);
        this.step = state.step();
    }

    /** Takes one step: updates {@code params} in place from {@code grads}. */
    public void update(float[] params, float[] grads) {
        if (params.length != m.length || grads.length != m.length) throw new IllegalArgumentException("size mismatch");
        StepConstants k = nextStep();
        float alpha = k.alpha(), epsT = k.eps();
        float b1 = beta1, b2 = beta2, c1 = 1 - beta1, c2 = 1 - beta2;
        int n = params.length;
        int j = 0;
        for (int bound = S.loopBound(n); j < bound; j += S.length()) {
            FloatVector g = FloatVector.fromArray(S, grads, j);
            FloatVector mj = FloatVector.fromArray(S, m, j).mul(b1).add(g.mul(c1));
            FloatVector vj = FloatVector.fromArray(S, v, j).mul(b2).add(g.mul(g).mul(c2));
            mj.intoArray(m, j);
            vj.intoArray(v, j);
            FloatVector.fromArray(S, params, j).sub(mj.mul(alpha).div(vj.sqrt().add(epsT))).intoArray(params, j);
        }
        for (; j < n; j++) {
            float g = grads[j];
            float mj = m[j] * b1 + g * c1;
            float vj = v[j] * b2 + g * g * c2;
            m[j] = mj;
            v[j] = vj;
            params[j] -= mj * alpha / ((float) Math.sqrt(vj) + epsT);
        }
    }
}
