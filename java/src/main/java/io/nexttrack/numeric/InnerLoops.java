package io.nexttrack.numeric;

/**
 * The CPU's inner loops (not to be confused with the CUDA kernels of {@code engine.gpu}, which are their twins), in
 * two implementations chosen once per process ({@link #CHOSEN}): {@link VectorInnerLoops}
 * with the Java Vector API, which is still an incubator module that the JVM loads only when asked
 * ({@code --add-modules jdk.incubator.vector}), and {@link ScalarInnerLoops}, plain Java, used when the module is
 * absent (a one-line note on stderr says so, once) or when {@code -Dnexttrack.vector=false} asks for it. Only
 * the chosen class is loaded, so a JVM without the module never touches a vector class.
 *
 * <p>How the two agree (checked by {@code InnerLoopsTest} and, for whole steps and recommendations in JVMs
 * with and without the module, by {@code ScalarPathTest}):
 * <ul>
 *   <li>the same bits: {@link #mul} (each element of C is the same sequence of FMAs in k blocks of the same
 *       size, then added to C), {@link #sigmoid}, {@link #tanh}, the LSTM cell, {@link #columnSums},
 *       {@link #addBias}, {@link #addBiasAndMax}, {@link #scale}, {@link #adam} (each operation rounded on its
 *       own, no FMA on either side: the specification the GPU kernel nt_clip_adam is tested against) and
 *       {@link #greaterAndEqual};</li>
 *   <li>sums added in another order: {@link #expShifted} (the vector path keeps one float sum per lane)
 *       within 1e-6 relative, {@link #sumSquares} (double) within 1e-13 relative.</li>
 * </ul>
 * Every method works on arrays with offsets, never on vectors: a helper taking or returning vectors that the
 * JIT declines to inline boxes them, which is 100x slower.
 *
 * <p>Used by both engines, the optimiser ({@code optim.Adam}, {@code optim.GradientClipping}) and ranking
 * ({@code eval}); no compatibility promise.
 */
public sealed interface InnerLoops permits VectorInnerLoops, ScalarInnerLoops {

    /** The implementation of this process. */
    InnerLoops CHOSEN = InnerLoopsChoice.choose();

    /** "vector (16 floats)" or "scalar": for benchmarks and notes. */
    String describe();

    /** Alignment of column splits between workers (a vector's floats): any value gives the same results. */
    int lanes();

    /** Columns of C per register tile of {@link #mul}: column splits at multiples of it keep whole tiles. */
    int panel();

    /**
     * The one GEMM: C[i, j] (+)= sum_k op(A)(i, k) * B[k, j] for i in [0, m), j in [n0, n1), with
     * op(A)(i, k) = a[aOff + i*aRow + k*aCol] and row-major B and C; see {@link MatMul}.
     *
     * @param accumulate add to C instead of overwriting it
     */
    void mul(float[] a, int aOff, int aRow, int aCol, float[] b, int bOff, int ldb,
             float[] c, int cOff, int ldc, int m, int n0, int n1, int k, boolean accumulate);

    /** a[off, off + n) = sigmoid(a) in place, as 1 / (e^-x + 1). */
    void sigmoid(float[] a, int off, int n);

    /** dst[dstOff, dstOff + n) = tanh(src[srcOff, srcOff + n)) as 1 - 2 / (e^(2x) + 1): absolute error ~1e-7. */
    void tanh(float[] src, int srcOff, float[] dst, int dstOff, int n);

    /** z[off, off + n) = e^(z - shift) in place; returns their sum, added in a fixed order. */
    double expShifted(float[] z, int off, int n, float shift);

    /**
     * The LSTM cell after the gate pre-activations of one position are in {@code gates[g, g + 4H)} (blocks i, f,
     * g, o): activates them in place, then {@code c = f * cPrev + i * g} (into {@code c[st..]}), {@code tanh(c)}
     * (into {@code tanhCell[s..]}) and {@code h = o * tanh(c)} (into {@code out[s..]} and {@code h[st..]}).
     */
    void cellForward(float[] gates, int g, float[] cPrev, int s, float[] c, int st, float[] tanhCell, float[] out, float[] h,
                     int hidden);

    /**
     * Backward through {@code h = o * tanh(c)} at one position: {@code dh = dOut + dhNext};
     * {@code dcNext += dh * o * (1 - tanh(c)^2)}; the output gate's slot {@code gates[go..]} becomes its
     * pre-activation gradient {@code dh * tanh(c) * o * (1 - o)}.
     */
    void outputGateAndCellGradient(float[] gates, int go, float[] tanhCell, int s, float[] dOut, float[] dhNext, float[] dcNext,
                                   int st, int hidden);

    /**
     * Backward through {@code c = f * cPrev + i * g} with {@code dc = dcNext[st..]}: gates i, f, g become their
     * pre-activation gradients and {@code dcNext = dc * f} (zero when the state was {@code reset} at this position).
     */
    void inputGatesGradient(float[] gates, int g, float[] cPrev, int s, float[] dcNext, int st, int hidden, boolean reset);

    /** out[off + j] += sum over rows of a[r, j] (rows added in order, in float) for j in [j0, j1). */
    void columnSums(float[] a, int rows, int ld, int j0, int j1, float[] out, int off);

    /** z[off, off + n) += p[bOff, bOff + n). */
    void addBias(float[] z, int off, float[] p, int bOff, int n);

    /** {@link #addBias}, returning the largest element of the result. */
    float addBiasAndMax(float[] z, int off, float[] p, int bOff, int n);

    /** a[off, off + n) *= k. */
    void scale(float[] a, int off, int n, float k);

    /**
     * Adam's per-weight update (see {@code io.nexttrack.optim.Adam}): {@code m = m * b1 + g * c1},
     * {@code v = v * b2 + g * g * c2}, {@code p -= m * alpha / (sqrt(v) + eps)}, every operation rounded on its own.
     */
    default void adam(float[] params, float[] grads, float[] m, float[] v, float b1, float b2, float c1, float c2, float alpha,
                      float eps) {
        if (grads.length != params.length) throw new IllegalArgumentException("size mismatch");
        adam(params, 0, grads, 0, m, v, params.length, b1, b2, c1, c2, alpha, eps);
    }

    /**
     * {@link #adam} over {@code n} weights: {@code params}, {@code m} and {@code v} from {@code pOff}, their gradients
     * from {@code grads[gOff]} (the same bits as the whole-array call for those weights: each weight is on its own).
     */
    void adam(float[] params, int pOff, float[] grads, int gOff, float[] m, float[] v, int n, float b1, float b2, float c1,
              float c2, float alpha, float eps);

    /** The sum of the squares of {@code a}, each widened to double. */
    default double sumSquares(float[] a) { return sumSquares(a, 0, a.length); }

    /** The sum of the squares of {@code a[off, off + n)}, each widened to double. */
    double sumSquares(float[] a, int off, int n);

    /**
     * {@code (greater << 32) | equal}: how many of {@code scores[from .. to)} are greater than, and equal to,
     * {@code t}. NaN compares false both ways, and -0 equals +0.
     */
    long greaterAndEqual(float[] scores, int from, int to, float t);
}
