package io.nexttrack.engine.cpu;

import io.nexttrack.engine.Candidates;
import io.nexttrack.engine.Workspace;
import io.nexttrack.numeric.MatMul;

/**
 * The sampled softmax cross-entropy of training with {@code --loss sampled} ({@link Candidates}): the output layer
 * restricted to a chunk's candidate songs C. Its columns of {@code W [H, V]} are gathered into {@code Wc [H, |C|]}
 * (and {@code Wc^T}), its bias entries into {@code bc} with the logQ correction added, and then the full layer's
 * steps run at width |C| instead of V: the GEMM {@code logits = h . Wc}, the fused softmax cross-entropy
 * ({@link CpuOutputLayer#softmaxCrossEntropy}, over the candidates, the target given as its column), and the
 * gradients {@code dWc = h^T . dLogits}, {@code dbc} (column sums), {@code dh = dLogits . Wc^T}. The gradients of
 * W's columns and b's entries go to two columns blocks of the step's compact gradient ({@code optim.SparseGradient}).
 * The twin of the GPU's sampled path in {@code GpuOutputLayer} (its kernel nt_sampled_columns is the twin of
 * {@link #gatherColumns}).
 *
 * <p>Internal to the engine; public only for the kernel benchmarks.
 */
public final class CpuSampledOutputLayer {
    final int hiddenSize, songs, maxCandidates, blockRows;
    private final float[] weights, weightsT, bias, logits;
    private final double[] rowLoss;
    /** Per gathered row: its target's column in C (filled by the caller). */
    public final int[] targets;

    public CpuSampledOutputLayer(int hiddenSize, int songs, int maxCandidates, int maxRows) {
        this.hiddenSize = hiddenSize;
        this.songs = songs;
        this.maxCandidates = maxCandidates;
        this.blockRows = CpuOutputLayer.blockRows(maxCandidates, maxRows);
        this.weights = new float[hiddenSize * maxCandidates];
        this.weightsT = new float[hiddenSize * maxCandidates];
        this.bias = new float[maxCandidates];
        this.logits = new float[blockRows * maxCandidates];
        this.rowLoss = new double[maxRows];
        this.targets = new int[maxRows];
    }

    /** What the constructor allocates (see {@link Workspace}). */
    static Workspace workspace(int hiddenSize, int maxCandidates, int maxRows) {
        return Workspace.floats((long) hiddenSize * maxCandidates).times(2).plus(Workspace.floats(maxCandidates))
                .plus(Workspace.floats((long) CpuOutputLayer.blockRows(maxCandidates, maxRows) * maxCandidates))
                .plus(Workspace.doubles(maxRows)).plus(Workspace.ints(maxRows));
    }

    /**
     * Columns {@code columns[0, count)} of the row-major {@code W [hidden, songs]} at {@code p[wOff]} into {@code
     * out [hidden, count]} (rows {@code h0} to {@code h1}), and with {@code h0 == 0} the bias entries plus their
     * correction into {@code outBias[j] = p[bOff + columns[j]] + correction[j]}. Twin of the GPU kernel
     * nt_sampled_columns (a copy and one float addition per entry: the same bits).
     */
    public static void gatherColumns(float[] p, int wOff, int bOff, int songs, int[] columns, float[] correction, int count,
                                     float[] out, float[] outBias, int h0, int h1) {
        for (int h = h0; h < h1; h++) {
            int src = wOff + h * songs, dst = h * count;
            for (int j = 0; j < count; j++) out[dst + j] = p[src + columns[j]];
        }
        if (h0 == 0) for (int j = 0; j < count; j++) outBias[j] = p[bOff + columns[j]] + correction[j];
    }

    /**
     * The sampled loss of rows {@code [0, rows)} of {@code hidden [rows, H]}, row r's target being candidate column
     * {@code targets[r]}: returns the sum over them of -log softmax over C at the target, adds {@code scale} times its
     * gradient w.r.t. W's and b's candidate entries into {@code grad} ({@code [H, |C|]} at {@code gwOff}, {@code [|C|]}
     * at {@code gbOff}) and writes the gradient w.r.t. the rows into {@code dHidden [rows, H]}.
     */
    public double loss(float[] p, int wOff, int bOff, Candidates c, float[] hidden, float[] dHidden, int[] targets, int rows,
                       float[] grad, int gwOff, int gbOff, float scale, WorkerPool pool) {
        int count = c.count(), width = hiddenSize;
        if (count > maxCandidates) throw new IllegalArgumentException(count + " candidates, the layer holds " + maxCandidates);
        int[] columns = c.columns();
        float[] correction = c.correction();
        pool.run((part, parts) -> {
            int h0 = WorkerPool.split(width, part, parts, 1), h1 = WorkerPool.split(width, part + 1, parts, 1);
            gatherColumns(p, wOff, bOff, songs, columns, correction, count, weights, bias, h0, h1);
        });
        pool.run((part, parts) -> MatMul.transpose(weights, 0, width, count, weightsT,
                WorkerPool.split(width, part, parts, 1), WorkerPool.split(width, part + 1, parts, 1)));
        float[] h = hidden, dh = dHidden;
        for (int r0 = 0; r0 < rows; r0 += blockRows) {
            int n = Math.min(blockRows, rows - r0), first = r0;
            pool.run((part, parts) -> {
                int j0 = WorkerPool.split(count, part, parts, MatMul.PANEL), j1 = WorkerPool.split(count, part + 1, parts, MatMul.PANEL);
                MatMul.mul(h, first * width, width, 1, weights, 0, count, logits, 0, count, n, j0, j1, width, false);
            });
            pool.run((part, parts) -> {
                int i0 = WorkerPool.split(n, part, parts, 1), i1 = WorkerPool.split(n, part + 1, parts, 1);
                for (int i = i0; i < i1; i++) {
                    rowLoss[first + i] = CpuOutputLayer.softmaxCrossEntropy(logits, i * count, bias, 0, count, targets[first + i], scale,
                            true);
                }
            });
            pool.run((part, parts) -> {
                int j0 = WorkerPool.split(count, part, parts, MatMul.PANEL), j1 = WorkerPool.split(count, part + 1, parts, MatMul.PANEL);
                MatMul.mul(h, first * width, 1, width, logits, 0, count, grad, gwOff, count, width, j0, j1, n, true);
                CpuLstmLayer.columnSums(logits, n, count, j0, j1, grad, gbOff);
                int i0 = WorkerPool.split(n, part, parts, 4), i1 = WorkerPool.split(n, part + 1, parts, 4);
                MatMul.mul(logits, i0 * count, count, 1, weightsT, 0, width, dh, (first + i0) * width, width, i1 - i0, 0, width,
                        count, false);
            });
        }
        double sum = 0;
        for (int r = 0; r < rows; r++) sum += rowLoss[r];
        return sum;
    }
}
