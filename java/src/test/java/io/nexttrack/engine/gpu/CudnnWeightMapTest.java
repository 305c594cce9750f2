package io.nexttrack.engine.gpu;

import static org.junit.jupiter.api.Assertions.*;

import io.nexttrack.model.ModelConfig;
import io.nexttrack.model.Parameters;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Our LSTM weights against cuDNN's weight space, with synthetic offset tables (what cudnnGetRNNWeightParams
 * reports on a GPU, here laid out in a shuffled order): every weight must land where cuDNN's documented layout
 * puts it, and the gradients must come back to where they belong.
 */
class CudnnWeightMapTest {
    static final int E = 3, H = 4, L = 2;
    static final Parameters PARAMS = new Parameters(new ModelConfig(11, E, H, L, 0.1f, false, 0f)).initialise(3);

    /**
     * A weight space holding the 8 linear layers of every layer (and 4 biases) in a shuffled order; seed 0: in order,
     * each layer's 8 matrices then its 4 biases (so each layer's input matrices, recurrent ones and biases adjoin).
     */
    static List<CudnnWeightMap.Entry> entries(long seed) {
        List<int[]> blocks = new ArrayList<>(); // {layer, linLayer, isBias}
        for (int l = 0; l < L; l++) {
            for (int id = 0; id < 8; id++) blocks.add(new int[] {l, id, 0});
            for (int id = 0; id < 4; id++) blocks.add(new int[] {l, id, 1});
        }
        if (seed != 0) Collections.shuffle(blocks, new java.util.Random(seed));
        long[][] matrix = new long[L][8], bias = new long[L][8];
        for (long[] row : bias) java.util.Arrays.fill(row, -1);
        long at = 0;
        for (int[] b : blocks) {
            int cols = b[1] >= 4 || b[0] > 0 ? H : E;
            if (b[2] == 1) {
                bias[b[0]][b[1]] = at;
                at += H;
            } else {
                matrix[b[0]][b[1]] = at;
                at += (long) H * cols;
            }
        }
        List<CudnnWeightMap.Entry> list = new ArrayList<>();
        for (int l = 0; l < L; l++) {
            for (int id = 0; id < 8; id++) list.add(new CudnnWeightMap.Entry(l, id, matrix[l][id], H, id >= 4 || l > 0 ? H : E, bias[l][id]));
        }
        return list;
    }

    static long size() {
        long n = 0;
        for (int l = 0; l < L; l++) n += 4L * H * (PARAMS.config().layerInput(l) + H) + 4L * H;
        return n;
    }

    @Test
    void everyWeightLandsWhereCudnnReadsItAndComesBack() {
        for (long seed = 0; seed <= 3; seed++) {
            List<CudnnWeightMap.Entry> entries = entries(seed);
            CudnnWeightMap map = new CudnnWeightMap(PARAMS, entries, size());
            float[] ours = PARAMS.values(), cudnn = new float[(int) size()];
            java.util.Arrays.fill(cudnn, Float.NaN);
            map.toCudnn(ours, cudnn);
            for (float x : cudnn) assertFalse(Float.isNaN(x), "every float of the weight space is written");
            for (CudnnWeightMap.Entry e : entries) {
                int l = e.layer(), gate = e.linLayer() % 4, in = PARAMS.config().layerInput(l);
                boolean recurrent = e.linLayer() >= 4;
                int w = PARAMS.lstmWeight(l).offset(), b = PARAMS.lstmBias(l).offset();
                for (int j = 0; j < H; j++) {
                    for (int k = 0; k < e.cols(); k++) {
                        int row = recurrent ? in + k : k; // our W row: input k, or the recurrent input k
                        assertEquals(ours[w + row * 4 * H + gate * H + j], cudnn[(int) (e.matrixOffset() + j * e.cols() + k)],
                                "layer " + l + " linear layer " + e.linLayer() + " [" + j + "][" + k + "]");
                    }
                    if (e.hasBias()) assertEquals(ours[b + gate * H + j], cudnn[(int) (e.biasOffset() + j)]);
                }
            }
            float[] back = new float[ours.length];
            map.fromCudnn(cudnn, back);
            for (int l = 0; l < L; l++) {
                for (Parameters.Tensor t : List.of(PARAMS.lstmWeight(l), PARAMS.lstmBias(l))) {
                    for (int i = t.offset(); i < t.offset() + t.size(); i++) assertEquals(ours[i], back[i], t.name() + " at " + i);
                }
            }
            for (int i = 0; i < PARAMS.embedding().size(); i++) assertEquals(0f, back[i], "nothing else is written");
        }
    }

    @Test
    void adjoiningBlocksMoveInOneCallEach() {
        CudnnWeightMap inOrder = new CudnnWeightMap(PARAMS, entries(0), size());
        assertEquals(2 * L, inOrder.matrices.size(), "per layer: the 4 input matrices, then the 4 recurrent ones");
        assertEquals(L, inOrder.biases.size(), "per layer: the 4 biases");
        assertEquals(4 * H, inOrder.biases.get(0).count());
        CudnnWeightMap shuffled = new CudnnWeightMap(PARAMS, entries(1), size());
        assertTrue(shuffled.matrices.size() > 2 * L, "scattered blocks stay apart: " + shuffled.matrices.size());
    }

    @Test
    void anUnexpectedLayoutIsRefusedInOneLine() {
        List<CudnnWeightMap.Entry> entries = new ArrayList<>(entries(1));
        CudnnWeightMap.Entry first = entries.get(0);
        entries.set(0, new CudnnWeightMap.Entry(first.layer(), first.linLayer(), first.matrixOffset(), first.cols(), first.rows(), first.biasOffset()));
        GpuException e = assertThrows(GpuException.class, () -> new CudnnWeightMap(PARAMS, entries, size()));
        assertTrue(e.getMessage().startsWith("unexpected cuDNN LSTM weight layout: layer 0 linear layer 0 is 3x4, expected 4x3"), e.getMessage());
        assertThrows(GpuException.class, () -> new CudnnWeightMap(PARAMS, entries(1), size() + 1), "a weight space larger than the layers");
        assertThrows(GpuException.class, () -> new CudnnWeightMap(PARAMS, entries(1).subList(1, 16), size()), "a linear layer missing");
        List<CudnnWeightMap.Entry> recurrentBias = new ArrayList<>(entries(2));
        CudnnWeightMap.Entry r = recurrentBias.get(5);
        recurrentBias.set(5, new CudnnWeightMap.Entry(r.layer(), r.linLayer(), r.matrixOffset(), r.rows(), r.cols(), 0));
        assertThrows(GpuException.class, () -> new CudnnWeightMap(PARAMS, recurrentBias, size()), "double bias is not our model");
    }

    @Test
    void transposeIsCublasGeamsColumnMajorDefinition() {
        // C (m x n, ldc) = A^T, A (n x m, lda): element (i, j) of C is element (j, i) of A.
        CudnnWeightMap.Transpose t = new CudnnWeightMap.Transpose(2, 3, 1, 4, 0, 2);
        float[] a = new float[1 + 4 * 2], c = new float[2 * 3];
        for (int i = 0; i < a.length; i++) a[i] = i;
        t.apply(a, c);
        for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) assertEquals(a[1 + j + i * 4], c[i + j * 2]);
        float[] back = new float[a.length];
        t.inverse().apply(c, back);
        for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) assertEquals(a[1 + j + i * 4], back[1 + j + i * 4]);
    }
}
