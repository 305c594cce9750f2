package io.nexttrack.engine.gpu;

import io.nexttrack.model.Parameters;
import java.util.ArrayList;
import java.util.List;

/**
 * Where each LSTM weight lives in cuDNN's weight space and in ours, and the copies between them.
 *
 * <p>Ours ({@link Parameters}): layer l has {@code W [in + H, 4H]} row-major, the input rows {@code [0, in)} then
 * the recurrent rows {@code [in, in + H)}, gate column blocks i, f, g, o; and one bias {@code [4H]}. cuDNN's
 * (cudnnGetRNNWeightParams, offsets read at run time): per layer, linear layers 0-3 are the input matrices of
 * gates i, f, g (the cell candidate), o and 4-7 the recurrent ones, each {@code [H, in]} or {@code [H, H]}
 * row-major (row j = unit j of the gate); with CUDNN_RNN_SINGLE_INP_BIAS only linear layers 0-3 have a bias
 * {@code [H]}. So cuDNN's matrix of gate g is the transpose of our column block g:
 * {@code cudnn[j][k] = W[k (+ in)][g H + j]}, and its bias is {@code bias[g H, (g + 1) H)}.
 *
 * <p>Each matrix moves with one cublasSgeam transpose ({@link Transpose}, column-major arguments as cuBLAS takes
 * them) and each bias with one copy, and neighbours merge: where cuDNN keeps a layer's four input matrices (or four
 * recurrent ones, or four biases) one after another, as our column blocks are, they move in one call (per layer
 * 2 transposes and 1 copy instead of 8 and 4, each way, every step); {@link #toCudnn} and {@link #fromCudnn} apply the same operations to host
 * arrays, which is how CI checks the index arithmetic without a GPU.
 */
final class CudnnWeightMap {
    /** One linear layer's place in the weight space, as cudnnGetRNNWeightParams reports it (offsets in floats). */
    record Entry(int layer, int linLayer, long matrixOffset, int rows, int cols, long biasOffset) {
        boolean hasBias() { return biasOffset >= 0; }
    }

    /**
     * {@code C = A^T} in cuBLAS's column-major terms: C is m x n with leading dimension ldc, A is n x m with
     * leading dimension lda; element (i, j) of C is at {@code c + i + j * ldc}, of A at {@code a + i + j * lda}.
     * {@code toCudnn}: A is our gate block, C cuDNN's matrix.
     */
    record Transpose(int m, int n, long a, int lda, long c, int ldc) {
        Transpose inverse() { return new Transpose(n, m, c, ldc, a, lda); }

        void apply(float[] from, float[] to) {
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < m; i++) to[(int) (c + i + (long) j * ldc)] = from[(int) (a + j + (long) i * lda)];
            }
        }
    }

    /** {@code count} floats from {@code from} (ours) to {@code to} (cuDNN's), and back for the gradients. */
    record Copy(long ours, long cudnn, int count) {}

    final List<Transpose> matrices = new ArrayList<>();
    final List<Copy> biases = new ArrayList<>();
    /** Floats of the weight space that the entries cover (all of it, for a layout we understand). */
    final long covered;

    /**
     * @param entries every (layer, linear layer) of the network, 8 per layer
     * @param weightSpaceFloats the size cudnnGetRNNWeightSpaceSize reported, in floats
     */
    CudnnWeightMap(Parameters params, List<Entry> entries, long weightSpaceFloats) {
        int hidden = params.config().hidden(), gates = 4 * hidden;
        long total = 0;
        boolean[] seen = new boolean[params.config().layers() * 8];
        for (Entry e : entries) {
            int l = e.layer(), g = e.linLayer() % 4;
            boolean recurrent = e.linLayer() >= 4;
            int in = params.config().layerInput(l);
            int cols = recurrent ? hidden : in;
            if (e.linLayer() < 0 || e.linLayer() > 7 || seen[l * 8 + e.linLayer()]) throw layout("linear layer " + e.linLayer() + " of layer " + l);
            seen[l * 8 + e.linLayer()] = true;
            if (e.rows() != hidden || e.cols() != cols) {
                throw layout("layer " + l + " linear layer " + e.linLayer() + " is " + e.rows() + "x" + e.cols() + ", expected " + hidden + "x" + cols);
            }
            if (e.hasBias() == recurrent) throw layout("layer " + l + " linear layer " + e.linLayer() + (recurrent ? " has" : " lacks") + " a bias");
            long ours = params.lstmWeight(l).offset() + (recurrent ? (long) in * gates : 0) + (long) g * hidden;
            // Our block: element (k, j) at ours + k * 4H + j, i.e. column-major A (H x cols) with lda = 4H.
            // cuDNN's: element (j, k) at offset + j * cols + k, i.e. column-major C (cols x H) with ldc = cols.
            matrices.add(new Transpose(cols, hidden, ours, gates, e.matrixOffset(), cols));
            total += (long) hidden * cols;
            if (e.hasBias()) {
                biases.add(new Copy(params.lstmBias(l).offset() + (long) g * hidden, e.biasOffset(), hidden));
                total += hidden;
            }
        }
        for (int i = 0; i < seen.length; i++) if (!seen[i]) throw layout("no linear layer " + i % 8 + " for layer " + i / 8);
        merge(matrices, (t, u) -> t.m() == u.m() && t.lda() == u.lda() && t.ldc() == u.ldc() && u.a() == t.a() + t.n()
                && u.c() == t.c() + (long) t.n() * t.ldc() ? new Transpose(t.m(), t.n() + u.n(), t.a(), t.lda(), t.c(), t.ldc()) : null);
        merge(biases, (c, d) -> d.ours() == c.ours() + c.count() && d.cudnn() == c.cudnn() + c.count()
                ? new Copy(c.ours(), c.cudnn(), c.count() + d.count()) : null);
        this.covered = total;
        if (total != weightSpaceFloats) throw layout("the linear layers cover " + total + " floats of a " + weightSpaceFloats + "-float weight space");
    }

    /** Replaces each run of neighbours that {@code join} merges (null: they do not) by their merger, in order. */
    private static <T> void merge(List<T> list, java.util.function.BinaryOperator<T> join) {
        List<T> out = new ArrayList<>();
        for (T x : list) {
            T joined = out.isEmpty() ? null : join.apply(out.getLast(), x);
            if (joined != null) out.set(out.size() - 1, joined);
            else out.add(x);
        }
        list.clear();
        list.addAll(out);
    }

    private static GpuException layout(String what) {
        return new GpuException("unexpected cuDNN LSTM weight layout: " + what);
    }

    /** Host twin of the upload: our flat parameters into a weight space. */
    void toCudnn(float[] ours, float[] cudnn) {
        for (Transpose t : matrices) t.apply(ours, cudnn);
        for (Copy c : biases) System.arraycopy(ours, (int) c.ours(), cudnn, (int) c.cudnn(), c.count());
    }

    /** Host twin of the gradient download: a weight space's gradients into our flat gradient buffer. */
    void fromCudnn(float[] cudnn, float[] ours) {
        for (Transpose t : matrices) t.inverse().apply(cudnn, ours);
        for (Copy c : biases) System.arraycopy(cudnn, (int) c.cudnn(), ours, (int) c.ours(), c.count());
    }
}
