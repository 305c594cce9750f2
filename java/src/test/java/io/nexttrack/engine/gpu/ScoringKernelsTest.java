package io.nexttrack.engine.gpu;

import static io.nexttrack.engine.gpu.HostKernels.floats;
import static io.nexttrack.engine.gpu.HostKernels.ints;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexttrack.data.Batch;
import io.nexttrack.numeric.LogSoftmax;
import io.nexttrack.numeric.TopK;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The scoring kernels (native/scoring.cuh) on the host build against their twins.
 * <ul>
 *   <li>LOG_SOFTMAX: every real row within 2e-5 (absolute, log-probabilities of order -10) of the bias added
 *       and {@code LogSoftmax.inPlace}: both sum the exponentials in double, in different orders and with
 *       different exp functions; padding rows untouched (exact).</li>
 *   <li>TOP_K: exactly {@code TopK.of}'s songs in its order, ties to the lower index and NaN last, and their
 *       scores (exact).</li>
 *   <li>GpuScorer's wanted rows: EMBEDDING_GATHER with the top layer's output as the table and the wanted positions
 *       as ids (one lane whose length is their count) copies exactly those rows; LOG_SOFTMAX and TOP_K then take
 *       every gathered row as real, with GpuScorer's layout of its selection buffer.</li>
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
            host.launch(Launch.rows(KernelCatalog.LOG_SOFTMAX, rows), z, floats(arena, bias), ints(arena, batch.lengths), first, lanes, songs);
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
            host.launch(Launch.rows(KernelCatalog.TOP_K, rows), floats(arena, scores), ints(arena, selected), outSongs, outScores, songs, k);
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

    @ParameterizedTest
    @CsvSource({"8, 5, 3, 16, 301", "100, 20, 100, 100, 3168", "4, 2, 1, 12, 7"})
    void wantedRowsAreGatheredAndScoredAsGpuScorerDoes(int lanes, int steps, int wanted, int hidden, int songs) {
        HostKernels host = HostKernels.require();
        SplittableRandom rnd = new SplittableRandom(lanes * 7L + wanted);
        float[] top = KernelTestData.uniform(rnd, lanes * steps * hidden, 1);
        int[] positions = new int[wanted];
        for (int i = 0; i < wanted; i++) positions[i] = (int) ((long) i * lanes * steps / wanted) + rnd.nextInt(Math.max(1, lanes * steps / wanted));
        // GpuScorer's selection buffer: the positions [lanes], their count, then 0, 1, ..., lanes - 1.
        int[] selection = new int[2 * lanes + 1];
        System.arraycopy(positions, 0, selection, 0, wanted);
        selection[lanes] = wanted;
        for (int i = 0; i < lanes; i++) selection[lanes + 1 + i] = i;
        float[] bias = KernelTestData.uniform(rnd, songs, 1);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sel = ints(arena, selection), gathered = arena.allocate(4L * lanes * hidden);
            MemorySegment count = sel.asSlice(4L * lanes), rowIndex = sel.asSlice(4L * (lanes + 1));
            host.launch(Launch.elements(KernelCatalog.EMBEDDING_GATHER, (long) wanted * hidden), sel, count, floats(arena, top), gathered, 1,
                    wanted, hidden);
            float[] rows = HostKernels.floats(gathered);
            for (int i = 0; i < wanted; i++) {
                assertArrayEquals(Arrays.copyOfRange(top, positions[i] * hidden, (positions[i] + 1) * hidden),
                        Arrays.copyOfRange(rows, i * hidden, (i + 1) * hidden), "gathered row " + i);
            }
            // The second block of gathered rows (all of them when there is one): first position r0, all real.
            int r0 = wanted / 2, n = wanted - r0;
            float[] logits = KernelTestData.uniform(rnd, n * songs, 6);
            MemorySegment z = floats(arena, logits);
            host.launch(Launch.rows(KernelCatalog.LOG_SOFTMAX, n), z, floats(arena, bias), count, r0, 1, songs);
            float[] got = HostKernels.floats(z);
            for (int r = 0; r < n; r++) {
                float[] row = Arrays.copyOfRange(logits, r * songs, (r + 1) * songs);
                for (int j = 0; j < songs; j++) row[j] += bias[j];
                LogSoftmax.inPlace(row, 0, songs);
                for (int j = 0; j < songs; j++) assertEquals(row[j], got[r * songs + j], 2e-5f, "row " + r + ", song " + j);
            }
            int k = Math.min(5, songs);
            MemorySegment outSongs = arena.allocate(JAVA_INT, (long) n * k), outScores = arena.allocate(4L * n * k);
            host.launch(Launch.rows(KernelCatalog.TOP_K, n), z, rowIndex, outSongs, outScores, songs, k);
            int[] best = outSongs.toArray(JAVA_INT);
            for (int r = 0; r < n; r++) assertArrayEquals(TopK.of(got, r * songs, songs, k), Arrays.copyOfRange(best, r * k, (r + 1) * k));
        }
    }
}
