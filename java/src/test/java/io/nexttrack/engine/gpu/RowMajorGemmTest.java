package io.nexttrack.engine.gpu;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The row-major to cuBLAS mapping, checked on the CPU: the column-major call {@link RowMajorGemm#columnMajor()}
 * makes, evaluated by the BLAS definition, must give the row-major product on our arrays, for every transpose
 * combination and with leading dimensions wider than the matrices (sub-blocks, as the engine uses them).
 */
class RowMajorGemmTest {
    @Test
    void columnMajorCallComputesTheRowMajorProduct() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                int m = 5, n = 7, k = 4;
                int aRows = ta ? k : m, aCols = ta ? m : k, bRows = tb ? n : k, bCols = tb ? k : n;
                int lda = aCols + 3, ldb = bCols + 2, ldc = n + 1, aOff = 2, bOff = 3, cOff = 1;
                float[] a = random(rnd, aOff + aRows * lda), b = random(rnd, bOff + bRows * ldb), c = random(rnd, cOff + m * ldc);
                float alpha = 1.5f, beta = 0.5f;
                float[] expected = c.clone();
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        float sum = 0;
                        for (int p = 0; p < k; p++) {
                            float x = ta ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                            float y = tb ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                            sum += x * y;
                        }
                        expected[cOff + i * ldc + j] = alpha * sum + beta * c[cOff + i * ldc + j];
                    }
                }
                float[] got = c.clone();
                // cuBLAS's first operand is our B, its second our A: the mapping swaps them.
                new RowMajorGemm(ta, tb, m, n, k, lda, ldb, ldc).columnMajor().reference(alpha, b, bOff, a, aOff, beta, got, cOff);
                assertArrayEquals(expected, got, 1e-5f, "transA " + ta + ", transB " + tb);
            }
        }
    }

    @Test
    void theEngineShapesAreAccepted() {
        int positions = 2000, hidden = 100, songs = 3168, in = 100, g = 400;
        // output layer: logits, dW, dTop; LSTM: gates, dW (input and recurrent), dX
        new RowMajorGemm(false, false, positions, songs, hidden, hidden, songs, songs);
        new RowMajorGemm(true, false, hidden, songs, positions, hidden, songs, songs);
        new RowMajorGemm(false, true, positions, hidden, songs, songs, songs, hidden);
        new RowMajorGemm(false, false, positions, g, in, in, g, g);
        new RowMajorGemm(true, false, in, g, positions, in, g, g);
        new RowMajorGemm(false, true, positions, in, g, g, g, in);
        assertThrows(IllegalArgumentException.class, () -> new RowMajorGemm(false, false, 4, 5, 6, 5, 5, 5), "lda < k");
        assertThrows(IllegalArgumentException.class, () -> new RowMajorGemm(false, true, 4, 5, 6, 6, 5, 5), "ldb < k when B is transposed");
    }

    static float[] random(SplittableRandom rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (rnd.nextDouble() * 2 - 1);
        return x;
    }
}
