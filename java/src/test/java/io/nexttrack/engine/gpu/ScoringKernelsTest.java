package io.nexttrack.engine.gpu;

import static io.nexttrack.engine.gpu.HostKernels.floats;
import static io.nexttrack.engine.gpu.HostKernels.ints;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexttrack.data.Batch;
import io.nexttrack.engine.LogSoftmax;
import io.nexttrack.eval.TopK;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The scoring kernels on the host build against their twins.
 * <ul>
 *   <li>LOG_SOFTMAX: every real row within 2e-5 (absolute, log-probabilities of order -10) of the bias added
 *       and {@code LogSoftmax.inPlace}: both sum the exponentials in double, in different orders and with
 *       different exp functions; padding rows untouched (exact).</li>
 *   <li>TOP_K: exactly {@code TopK.of}'s songs in its order, ties to the lower index and NaN last, and their
 *       scores (exact).</li>
 * </ul>
 */
class ScoringKernelsTest {
    @ParameterizedTest
    @CsvSource({"100, 20, 3168, 1000, 200", "6, 3, 75262, 4, 10", "37, 5, 1001, 100, 85", "3, 2, 7, 0, 6"})
    void logSoftmaxMatchesTheCpu(int lanes, int steps, int songs, int first, int rows) {
        HostKernels host = HostKernels.require();
        SplittableRandom rnd = new SplittableRandom(songs + rows);
        Batch batch = KernelTestData.chunk(lanes, steps, songs, true, songs + first);
        float[] logits = KernelTestData.uniform(rnd, rows * songs, 6), bias = KernelTestData.uniform(rnd, songs, 1);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment z = floats(arena, logits);
            host.launch(Launch.rows(Kernel.LOG_SOFTMAX, rows), z, floats(arena, bias), ints(arena, batch.lengths), first, lanes, songs);
            float[] got = HostKernels.floats(z);
            for (int r = 0; r < rows; r++) {
                int pos = first + r;
                float[] row = Arrays.copyOfRange(logits, r * songs, (r + 1) * songs);
                if (pos / lanes >= batch.lengths[pos % lanes]) {
                    assertArrayEquals(row, Arrays.copyOfRange(got, r * songs, (r + 1) * songs), "padding row " + r + " untouched");
                    continue;
                }
                for (int j = 0; j < songs; j++) row[j] += bias[j];
                LogSoftmax.inPlace(row, 0, songs);
                for (int j = 0; j < songs; j++) assertEquals(row[j], got[r * songs + j], 2e-5f, "row " + r + ", song " + j);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"3168, 10, 3", "75262, 5, 2", "7, 7, 4", "1001, 1, 2"})
    void topKIsTopKOf(int songs, int k, int rows) {
        HostKernels host = HostKernels.require();
        SplittableRandom rnd = new SplittableRandom(songs * 31L + k);
        float[] scores = KernelTestData.uniform(rnd, rows * songs, 10);
        for (int j = 0; j < Math.min(songs, 40); j += 3) scores[j] = 20f;       // ties at the top of row 0
        if (rows > 1) scores[songs + songs / 2] = Float.NaN;                    // NaN ranks last
        if (rows > 1) scores[songs + 1] = Float.NEGATIVE_INFINITY;
        int[] selected = new int[rows];
        for (int i = 0; i < rows; i++) selected[i] = rows - 1 - i; // rows in another order than stored
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment outSongs = arena.allocate(JAVA_INT, (long) rows * k), outScores = arena.allocate(4L * rows * k);
            host.launch(Launch.rows(Kernel.TOP_K, rows), floats(arena, scores), ints(arena, selected), outSongs, outScores, songs, k);
            int[] best = outSongs.toArray(JAVA_INT);
            float[] bestScores = HostKernels.floats(outScores);
            for (int i = 0; i < rows; i++) {
                int[] twin = TopK.of(scores, selected[i] * songs, songs, k);
                assertArrayEquals(twin, Arrays.copyOfRange(best, i * k, (i + 1) * k), "row " + selected[i]);
                for (int r = 0; r < k; r++) assertEquals(scores[selected[i] * songs + twin[r]], bestScores[i * k + r]);
            }
            if (songs >= 40 && k >= 2) assertTrue(best[(rows - 1) * k] == 0 && best[(rows - 1) * k + 1] == 3, "ties go to the lower index");
        }
    }
}
