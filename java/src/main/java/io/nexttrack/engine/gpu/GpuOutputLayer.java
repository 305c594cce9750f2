package io.nexttrack.engine.gpu;

import io.nexttrack.model.Parameters;

/**
 * The output projection on the device: {@code logits = top . W + b} ({@code W [H, V]}) with cuBLAS, then our
 * fused softmax cross-entropy, bias-gradient and loss-sum kernels. Positions go through in blocks of at most
 * {@link #rowsPerBlock} rows, so that only a {@code [rows, V]} logits block exists at a time and memory does not
 * grow with B * T * V. Padding rows cost their GEMM rows but give zero loss and gradient. The twin of the CPU's
 * {@code CpuOutputLayer}.
 */
final class GpuOutputLayer {
    /** Largest logits block in training: 256 MiB (a [891, 75262] block; all 2000 positions of the seed's chunk at V = 3168). */
    static final long TRAINING_BLOCK_BYTES = 256L << 20;
    /** In scoring every block also crosses to the host: 64 MiB. */
    static final long SCORING_BLOCK_BYTES = 64L << 20;

    private final GpuContext ctx;
    private final DeviceParameters params;
    private final Parameters.Tensor weight, bias;
    private final int hidden, songs;
    final int rowsPerBlock;
    private final DeviceBuffer logits, rowLoss, loss;
    /** The sampled loss's buffers (null without it): the candidates' columns of W and their bias, and a logits block. */
    private final DeviceBuffer sampledWeights, sampledBias, sampledLogits;
    final int sampledRowsPerBlock;

    GpuOutputLayer(GpuContext ctx, DeviceParameters params, int maxPositions, long blockBytes) {
        this(ctx, params, maxPositions, blockBytes, 0);
    }

    /** With {@code maxCandidates > 0}, also the sampled loss's path ({@link #forwardSampled}). */
    GpuOutputLayer(GpuContext ctx, DeviceParameters params, int maxPositions, long blockBytes, int maxCandidates) {
        this.ctx = ctx;
        this.params = params;
        this.weight = params.host.outputWeight();
        this.bias = params.host.outputBias();
        this.hidden = params.host.config().hidden();
        this.songs = params.host.config().songs();
        this.rowsPerBlock = rowsPerBlock(maxPositions, songs, blockBytes);
        this.logits = ctx.floats("output logits block [" + rowsPerBlock + ", " + songs + "]", (long) rowsPerBlock * songs);
        this.rowLoss = ctx.floats("per-position losses", maxPositions);
        this.loss = ctx.bytes("chunk loss (double)", 8);
        this.sampledRowsPerBlock = maxCandidates > 0 ? rowsPerBlock(maxPositions, maxCandidates, blockBytes) : 0;
        this.sampledWeights = maxCandidates > 0 ? ctx.floats("candidates' output weights [" + hidden + ", " + maxCandidates + "]",
                (long) hidden * maxCandidates) : null;
        this.sampledBias = maxCandidates > 0 ? ctx.floats("candidates' output bias", maxCandidates) : null;
        this.sampledLogits = maxCandidates > 0 ? ctx.floats("candidate logits block [" + sampledRowsPerBlock + ", " + maxCandidates + "]",
                (long) sampledRowsPerBlock * maxCandidates) : null;
    }

    static int rowsPerBlock(int positions, int songs, long blockBytes) {
        return (int) Math.max(1, Math.min(positions, blockBytes / (4L * songs)));
    }

    /** The device address of the chunk's summed loss (a double), written by {@link #forward}. */
    long loss() { return loss.address(); }

    /**
     * Loss of the chunk whose top-layer output is {@code top [P, H]}; with {@code dTop != 0} also the gradients
     * of (loss / real positions): {@code dW} and {@code db} into the gradient buffer (zeroed by the caller) and
     * {@code dTop [P, H]} (written).
     */
    void forward(DeviceChunk chunk, long top, long dTop) {
        boolean training = dTop != 0;
        int positions = chunk.positions();
        float scale = 1f / Math.max(1, chunk.realPositions());
        long w = params.value(weight), b = params.value(bias);
        for (int r0 = 0; r0 < positions; r0 += rowsPerBlock) {
            int rows = Math.min(rowsPerBlock, positions - r0);
            long h = top + 4L * r0 * hidden;
            // logits [rows, V] = h [rows, H] . W [H, V]
            ctx.blas.gemm(new RowMajorGemm(false, false, rows, songs, hidden, hidden, songs, songs), 1f, h, w, 0f, logits.address());
            ctx.kernels.softmaxXent(logits.address(), b, chunk.targets(), chunk.lengths(), rowLoss.address(), scale, r0, rows,
                    chunk.lanes(), songs);
            if (!training) continue;
            // dW [H, V] += h^T . dLogits;  db += column sums of dLogits;  dTop [rows, H] = dLogits . W^T
            ctx.blas.gemm(new RowMajorGemm(true, false, hidden, songs, rows, hidden, songs, songs), 1f, h, logits.address(),
                    r0 == 0 ? 0f : 1f, params.gradient(weight));
            ctx.addColumnSums(logits.address(), params.gradient(bias), rows, songs);
            ctx.blas.gemm(new RowMajorGemm(false, true, rows, hidden, songs, songs, songs, hidden), 1f, logits.address(), w, 0f,
                    dTop + 4L * r0 * hidden);
        }
        ctx.kernels.lossSum(rowLoss.address(), loss.address(), positions);
    }

    /**
     * The sampled loss of the chunk whose top-layer output is {@code top [P, H]} over the candidates {@code c}: the
     * candidates' columns of W and bias (plus the logQ correction) gathered by {@code nt_sampled_columns}, then the
     * full layer's steps at width |C| ({@code nt_softmax_xent} with the targets as candidate columns). Writes the
     * gradients of (loss / real positions) w.r.t. those columns, {@code [H, |C|]} at {@code gradWeight} and {@code [|C|]}
     * at {@code gradBias} (zeroed by the caller: the bias gradient adds), and {@code dTop [P, H]}. Twin: {@code
     * CpuSampledOutputLayer.loss}.
     */
    void forwardSampled(DeviceChunk chunk, long top, long dTop, SampledStaging.Uploaded c, long gradWeight, long gradBias) {
        int positions = chunk.positions(), count = c.count();
        float scale = 1f / Math.max(1, chunk.realPositions());
        long wc = sampledWeights.address(), bc = sampledBias.address(), z = sampledLogits.address();
        ctx.kernels.sampledColumns(params.value(weight), params.value(bias), c.columns(), c.corrections(), wc, bc, hidden, songs, count);
        for (int r0 = 0; r0 < positions; r0 += sampledRowsPerBlock) {
            int rows = Math.min(sampledRowsPerBlock, positions - r0);
            long h = top + 4L * r0 * hidden;
            ctx.blas.gemm(new RowMajorGemm(false, false, rows, count, hidden, hidden, count, count), 1f, h, wc, 0f, z);
            ctx.kernels.softmaxXent(z, bc, c.targets(), chunk.lengths(), rowLoss.address(), scale, r0, rows, chunk.lanes(), count);
            ctx.blas.gemm(new RowMajorGemm(true, false, hidden, count, rows, hidden, count, count), 1f, h, z, r0 == 0 ? 0f : 1f, gradWeight);
            ctx.addColumnSums(z, gradBias, rows, count);
            ctx.blas.gemm(new RowMajorGemm(false, true, rows, hidden, count, count, count, hidden), 1f, z, wc, 0f, dTop + 4L * r0 * hidden);
        }
        ctx.kernels.lossSum(rowLoss.address(), loss.address(), positions);
    }

    /**
     * Scoring: the log-softmax rows of the {@code rows} hidden rows at {@code h [rows, H]} (bias added) into the logits
     * block. They are positions {@code firstPosition, ...} of a chunk of {@code lanes} lanes with {@code lengths}:
     * padding rows are left as they are. Returns the block's device address.
     */
    long logProbabilities(long h, long lengths, int firstPosition, int rows, int lanes) {
        ctx.blas.gemm(new RowMajorGemm(false, false, rows, songs, hidden, hidden, songs, songs), 1f, h, params.value(weight), 0f,
                logits.address());
        ctx.kernels.logSoftmax(logits.address(), params.value(bias), lengths, firstPosition, rows, lanes, songs);
        return logits.address();
    }
}
