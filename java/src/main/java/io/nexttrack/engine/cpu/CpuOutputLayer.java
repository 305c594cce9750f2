package io.nexttrack.engine.cpu;

import io.nexttrack.engine.Workspace;
import io.nexttrack.numeric.InnerLoops;
import io.nexttrack.numeric.MatMul;

/**
 * The output projection (logits = h . W + b, W: [H, V]) with a fused softmax cross-entropy, over the
 * rows the caller gathered into {@link #hidden}. Rows are processed in blocks of {@link #blockRows} so
 * that only a [blockRows, V] logits block exists at a time; the block becomes its own gradient in place. The twin of
 * the GPU's {@code GpuOutputLayer}.
 *
 * <p>Internal to the engine; public only for the kernel benchmarks.
 */
public final class CpuOutputLayer {
    private static final InnerLoops K = InnerLoops.CHOSEN;

    /** Receives one row of raw logits: {@code logits[offset, offset + V)}. */
    @FunctionalInterface
    interface RowSink {
        void accept(int row, float[] logits, int offset);
    }

    final int hiddenSize;
    final int songs;
    final int blockRows;
    /** [maxRows, H]: the hidden states of the rows to score (filled by the caller). */
    public final float[] hidden;
    /** [maxRows]: target song of each row. */
    public final int[] targets;
    /** [maxRows, H]: gradient w.r.t. {@link #hidden}, filled by {@link #lossAndGradient}. */
    final float[] dHidden;
    private final float[] logits;
    private final double[] rowLoss;
    /** [V, H]: W transposed for dh = dLogits . W^T; allocated on the first training call only. */
    private float[] weightT;

    public CpuOutputLayer(int hiddenSize, int songs, int maxRows) {
        this.hiddenSize = hiddenSize;
        this.songs = songs;
        this.blockRows = blockRows(songs, maxRows);
        this.hidden = new float[maxRows * hiddenSize];
        this.targets = new int[maxRows];
        this.dHidden = new float[maxRows * hiddenSize];
        this.logits = new float[blockRows * songs];
        this.rowLoss = new double[maxRows];
    }

    /** Blocks of 64..256 rows, fewer when V is large (a 128 x 75k block is already 38 MB). */
    static int blockRows(int songs, int maxRows) {
        return Math.min(maxRows, Math.max(64, Math.min(256, (8 << 20) / songs / 4 * 4)));
    }

    /** What the constructor allocates, and the transposed weights of the first training call (see {@link Workspace}). */
    static Workspace workspace(int hiddenSize, int songs, int maxRows) {
        return workspace(hiddenSize, songs, maxRows, true);
    }

    /** With {@code fullTraining} false (the sampled loss trains, this layer only scores) W^T is never allocated. */
    static Workspace workspace(int hiddenSize, int songs, int maxRows, boolean fullTraining) {
        long rows = maxRows;
        Workspace w = Workspace.floats(rows * hiddenSize).times(2).plus(Workspace.ints(rows))
                .plus(Workspace.floats((long) blockRows(songs, maxRows) * songs)).plus(Workspace.doubles(rows));
        return fullTraining ? w.plus(Workspace.floats((long) songs * hiddenSize)) : w;
    }

    /**
     * Sum over {@code rows} of -log softmax(logits)[target]; with {@code grad != null} also adds
     * {@code scale} times its gradient w.r.t. W and b into {@code grad} and fills {@link #dHidden}.
     */
    public double loss(float[] p, int wOff, int bOff, int rows, float[] grad, int gwOff, int gbOff, float scale, WorkerPool pool) {
        boolean training = grad != null;
        if (training) {
            if (weightT == null) weightT = new float[songs * hiddenSize];
            pool.run((part, parts) -> MatMul.transpose(p, wOff, hiddenSize, songs, weightT,
                    WorkerPool.split(hiddenSize, part, parts, 1), WorkerPool.split(hiddenSize, part + 1, parts, 1)));
        }
        for (int r0 = 0; r0 < rows; r0 += blockRows) {
            int n = Math.min(blockRows, rows - r0);
            int first = r0;
            computeLogits(p, wOff, first, n, pool);
            pool.run((part, parts) -> {
                int i0 = WorkerPool.split(n, part, parts, 1), i1 = WorkerPool.split(n, part + 1, parts, 1);
                for (int i = i0; i < i1; i++) {
                    rowLoss[first + i] = softmaxCrossEntropy(logits, i * songs, p, bOff, songs, targets[first + i], scale, training);
                }
            });
            if (!training) continue;
            pool.run((part, parts) -> {
                // dW = h^T . dLogits and db by columns of V; dh = dLogits . W^T by rows: disjoint outputs.
                int j0 = WorkerPool.split(songs, part, parts, MatMul.PANEL), j1 = WorkerPool.split(songs, part + 1, parts, MatMul.PANEL);
                MatMul.mul(hidden, first * hiddenSize, 1, hiddenSize, logits, 0, songs, grad, gwOff, songs,
                        hiddenSize, j0, j1, n, true);
                CpuLstmLayer.columnSums(logits, n, songs, j0, j1, grad, gbOff);
                int i0 = WorkerPool.split(n, part, parts, 4), i1 = WorkerPool.split(n, part + 1, parts, 4);
                MatMul.mul(logits, i0 * songs, songs, 1, weightT, 0, hiddenSize, dHidden, (first + i0) * hiddenSize,
                        hiddenSize, i1 - i0, 0, hiddenSize, songs, false);
            });
        }
        double sum = 0;
        for (int r = 0; r < rows; r++) sum += rowLoss[r];
        return sum;
    }

    /** Hands the raw logits (bias included) of each of {@code rows} rows to {@code sink}, in order, from the calling thread. */
    void logits(float[] p, int wOff, int bOff, int rows, RowSink sink, WorkerPool pool) {
        for (int r0 = 0; r0 < rows; r0 += blockRows) {
            int n = Math.min(blockRows, rows - r0);
            computeLogits(p, wOff, r0, n, pool);
            for (int i = 0; i < n; i++) {
                K.addBias(logits, i * songs, p, bOff, songs);
                sink.accept(r0 + i, logits, i * songs);
            }
        }
    }

    /** logits[0, n) = hidden[first, first + n) . W (no bias), split by columns of V. */
    private void computeLogits(float[] p, int wOff, int first, int n, WorkerPool pool) {
        pool.run((part, parts) -> {
            int j0 = WorkerPool.split(songs, part, parts, MatMul.PANEL), j1 = WorkerPool.split(songs, part + 1, parts, MatMul.PANEL);
            MatMul.mul(hidden, first * hiddenSize, hiddenSize, 1, p, wOff, songs, logits, 0, songs, n, j0, j1, hiddenSize, false);
        });
    }

    /**
     * Adds the bias to one row of logits and returns -log softmax at {@code target}; with {@code gradient},
     * replaces the row by scale * (softmax - onehot(target)), the gradient of scale * loss w.r.t. the logits.
     * Twin of the GPU kernel nt_softmax_xent.
     */
    public static double softmaxCrossEntropy(float[] z, int off, float[] p, int bOff, int v, int target, float scale, boolean gradient) {
        float mx = K.addBiasAndMax(z, off, p, bOff, v);
        float zTarget = z[off + target];
        double total = K.expShifted(z, off, v, mx); // the row now holds e^(z - max)
        double loss = mx + StrictMath.log(total) - zTarget;
        if (gradient) {
            K.scale(z, off, v, (float) (scale / total));
            z[off + target] -= scale;
        }
        return loss;
    }
}
