package io.nexttrack.optim;

import io.nexttrack.numeric.InnerLoops;

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
 * which the GPU kernel nt_clip_adam reproduces. The loop runs in {@link InnerLoops} (Vector API or plain Java: the same
 * bits).
 *
 * <p><b>Lazy Adam</b> ({@link #update(float[], SparseGradient)}, the sampled loss's optimiser): the same update, at the
 * same step t with the same constants, but only for the parameters the step's gradient lists (the dense range and the
 * touched rows of the embedding and the output layer). Every other parameter is left exactly as it is, its moments
 * included: they are <em>not</em> decayed by beta1 and beta2 for the steps in which the row was not touched (as
 * TensorFlow's {@code LazyAdam} and PyTorch's {@code SparseAdam}; dense Adam would decay them and keep moving the
 * weights on momentum). Bias correction uses the global step t, not a count of the row's own updates: the same
 * {@code alpha_t} and {@code eps_t} for every parameter of the step, so a step that touches every row is exactly dense
 * Adam (tested bit for bit), one pair of constants serves the GPU kernel as it does {@code nt_clip_adam}, and
 * checkpoints need no per-row state. The price, known from LazyAdam: a row first touched late takes a first step of
 * about {@code lr * (1 - beta1) / sqrt(1 - beta2)} (3.2 lr at the defaults) instead of lr, since its moments start at 0
 * while the correction assumes t updates.
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
        InnerLoops.CHOSEN.adam(params, grads, m, v, beta1, beta2, 1 - beta1, 1 - beta2, k.alpha(), k.eps());
    }

    /**
     * Takes one lazy step (class comment): dense Adam over {@code g}'s dense range, and Adam over the touched rows of
     * each of its blocks; nothing else changes. One step of the count, like {@link #update(float[], float[])}.
     */
    public void update(float[] params, SparseGradient g) {
        updatePart(params, g, nextStep(), 0, 1);
    }

    /**
     * Share {@code part} of {@code parts} of a lazy step whose constants {@code k} came from {@link #nextStep()} (once
     * for the step): a slice of the dense range and of every block's rows. Callers that run the shares in parallel
     * update every listed parameter exactly once, with the same bits as {@link #update(float[], SparseGradient)}.
     */
    public void updatePart(float[] params, SparseGradient g, StepConstants k, int part, int parts) {
        if (params.length != m.length) throw new IllegalArgumentException("size mismatch");
        int n = g.denseLength(), d0 = share(n, part, parts), d1 = share(n, part + 1, parts);
        InnerLoops.CHOSEN.adam(params, g.denseOffset() + d0, g.values, d0, m, v, d1 - d0, beta1, beta2, 1 - beta1, 1 - beta2,
                k.alpha(), k.eps());
        for (SparseGradient.Block b : g.blocks()) {
            int outer = b.isColumns() ? b.width() : b.count();
            updateRows(params, m, v, g.values, b, 1f, beta1, beta2, k, share(outer, part, parts), share(outer, part + 1, parts));
        }
    }

    /** The start of share {@code part} of {@code n} items in {@code parts} shares. */
    private static int share(int n, int part, int parts) { return (int) ((long) n * part / parts); }

    /**
     * Adam's update of the parameters of one block's touched rows, with their gradients first multiplied by
     * {@code clip} (1 when the norm was below the threshold): each operation rounded on its own, as {@link
     * InnerLoops#adam}. The Java twin of the GPU kernel nt_sparse_adam (its element order differs; each parameter is
     * updated on its own, so the bits do not).
     */
    public static void updateRows(float[] p, float[] m, float[] v, float[] values, SparseGradient.Block b, float clip, float beta1,
                                  float beta2, StepConstants k) {
        updateRows(p, m, v, values, b, clip, beta1, beta2, k, 0, b.isColumns() ? b.width() : b.count());
    }

    /**
     * {@link #updateRows(float[], float[], float[], float[], SparseGradient.Block, float, float, float, StepConstants)} for
     * the block's outer indices {@code [from, to)}: rows {@code k} of a columns block, touched rows {@code j} of a rows block.
     */
    static void updateRows(float[] p, float[] m, float[] v, float[] values, SparseGradient.Block b, float clip, float beta1,
                           float beta2, StepConstants k, int from, int to) {
        float c1 = 1 - beta1, c2 = 1 - beta2, alpha = k.alpha(), eps = k.eps();
        int count = b.count(), width = b.width(), base = b.base(), is = b.indexStride(), ws = b.widthStride();
        int vo = b.offset(), vis = b.valueIndexStride(), vws = b.valueWidthStride();
        int[] index = b.index();
        boolean columns = b.isColumns();
        // Columns: row k of the tensor, its touched columns in index order (ascending addresses when sorted); rows: row by row.
        int inner = columns ? count : width;
        for (int o = from; o < to; o++) {
            for (int i = 0; i < inner; i++) {
                int j = columns ? i : o, c = columns ? o : i;
                int pi = base + index[j] * is + c * ws, gi = vo + j * vis + c * vws;
                float g = values[gi] * clip;
                float mj = m[pi] * beta1 + g * c1;
                float vj = v[pi] * beta2 + g * g * c2;
                m[pi] = mj;
                v[pi] = vj;
                p[pi] -= mj * alpha / ((float) Math.sqrt(vj) + eps);
            }
        }
    }
}
