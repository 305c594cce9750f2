package io.nexttrack.engine.gpu;

import java.util.EnumMap;
import java.util.Map;
import org.bytedeco.cuda.cudart.CUstream_st;

/**
 * Typed launchers of every {@link KernelCatalog} on one stream: each method names the kernel's parameters as Java
 * types (device addresses as {@code long}) and takes its launch from {@link Launch}; the packing checks every
 * value against the kernel's description. One instance per stream (the argument slots are reused).
 */
final class KernelLaunchers implements AutoCloseable {
    private final KernelModule module;
    private final CUstream_st stream;
    private final Map<KernelCatalog, KernelArgs> args = new EnumMap<>(KernelCatalog.class);
    private final int maxSharedBytes;

    KernelLaunchers(KernelModule module, CUstream_st stream, int maxSharedBytes) {
        this.module = module;
        this.stream = stream;
        this.maxSharedBytes = maxSharedBytes;
        for (KernelCatalog k : KernelCatalog.values()) args.put(k, new KernelArgs(k));
    }

    private void launch(Launch launch, Object... values) {
        module.launch(launch, args.get(launch.kernel()).set(values), stream);
    }

    void fill(long out, float value, int n) {
        if (n > 0) launch(Launch.gridStride(KernelCatalog.FILL, n), out, value, n);
    }

    void multiply(long a, long b, long out, int n) {
        if (n > 0) launch(Launch.gridStride(KernelCatalog.MULTIPLY, n), a, b, out, n);
    }

    void embeddingGather(long ids, long lengths, long table, long out, int lanes, int positions, int dim) {
        launch(Launch.elements(KernelCatalog.EMBEDDING_GATHER, (long) positions * dim), ids, lengths, table, out, lanes, positions, dim);
    }

    void embeddingGrad(long songs, long offsets, long positions, long gradRows, long gradTable, int count, int dim) {
        if (count > 0) {
            launch(Launch.elements(KernelCatalog.EMBEDDING_GRAD, (long) count * dim), songs, offsets, positions, gradRows, gradTable, count, dim);
        }
    }

    void softmaxXent(long logits, long bias, long targets, long lengths, long rowLoss, float scale, int firstPosition, int rows,
                     int lanes, int songs) {
        launch(Launch.softmaxXent(rows), logits, bias, targets, lengths, rowLoss, scale, firstPosition, lanes, songs);
    }

    void lossSum(long rowLoss, long loss, int n) {
        launch(Launch.singleBlock(KernelCatalog.LOSS_SUM), rowLoss, loss, n);
    }

    void sumSquares(long g, long partials, long sumSquares, int n) {
        launch(Launch.sumSquaresPartial(), g, partials, n);
        launch(Launch.singleBlock(KernelCatalog.SUM_SQUARES_FINAL), partials, sumSquares, Launch.NORM_BLOCKS);
    }

    void clipAdam(long p, long g, long m, long v, long sumSquares, float maxNorm, float alpha, float beta1, float beta2, float eps, int n) {
        launch(Launch.gridStride(KernelCatalog.CLIP_ADAM, n), p, g, m, v, sumSquares, maxNorm, alpha, beta1, beta2, eps, n);
    }

    void lstmForward(long gates, long bias, long recurrent, long lengths, long resets, long h, long c, long hPrev, long cPrev,
                     long tanhC, long out, int lanes, int steps, int hidden) {
        Launch.Lstm l = Launch.lstm(KernelCatalog.LSTM_FORWARD, lanes, hidden, maxSharedBytes);
        launch(l.launch(), gates, bias, recurrent, lengths, resets, h, c, hPrev, cPrev, tanhC, out, lanes, steps, hidden,
                l.lanesPerBlock(), l.recurrentInShared() ? 1 : 0);
    }

    void lstmBackward(long gates, long recurrent, long lengths, long resets, long dOut, long cPrev, long tanhC, int lanes, int steps,
                      int hidden) {
        Launch.Lstm l = Launch.lstm(KernelCatalog.LSTM_BACKWARD, lanes, hidden, maxSharedBytes);
        launch(l.launch(), gates, recurrent, lengths, resets, dOut, cPrev, tanhC, lanes, steps, hidden, l.lanesPerBlock(),
                l.recurrentInShared() ? 1 : 0);
    }

    void logSoftmax(long logits, long bias, long lengths, int firstPosition, int rows, int lanes, int songs) {
        launch(Launch.rows(KernelCatalog.LOG_SOFTMAX, rows), logits, bias, lengths, firstPosition, lanes, songs);
    }

    void topK(long rows, long rowIndex, long outSongs, long outScores, int count, int songs, int k) {
        launch(Launch.rows(KernelCatalog.TOP_K, count), rows, rowIndex, outSongs, outScores, songs, k);
    }

    void sampledColumns(long weight, long bias, long columns, long correction, long out, long outBias, int hidden, int songs, int count) {
        if (count > 0) {
            launch(Launch.elements(KernelCatalog.SAMPLED_COLUMNS, (long) (hidden + 1) * count), weight, bias, columns, correction, out,
                    outBias, hidden, songs, count);
        }
    }

    void sparseAdam(long p, long g, long m, long v, long index, long sumSquares, float maxNorm, float alpha, float beta1, float beta2,
                    float eps, int count, int width, int indexStride, int widthStride, boolean columns) {
        if (count > 0) {
            launch(Launch.gridStride(KernelCatalog.SPARSE_ADAM, (long) count * width), p, g, m, v, index, sumSquares, maxNorm, alpha, beta1,
                    beta2, eps, count, width, indexStride, widthStride, columns ? 1 : 0);
        }
    }

    @Override
    public void close() {
        args.values().forEach(KernelArgs::close);
    }
}
