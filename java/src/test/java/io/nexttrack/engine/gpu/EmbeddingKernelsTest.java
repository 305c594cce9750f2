package io.nexttrack.engine.gpu;

import static io.nexttrack.engine.gpu.HostKernels.floats;
import static io.nexttrack.engine.gpu.HostKernels.ints;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.nexttrack.data.Batch;
import io.nexttrack.engine.cpu.CpuModel;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The kernels of native/embedding.cuh, EMBEDDING_GATHER and EMBEDDING_GRAD, on the host build against CpuModel's gather and scatter. Tolerance 0:
 * the gather copies, and the gradient adds the same floats in the same order as the CPU (PositionsBySong).
 */
class EmbeddingKernelsTest {
    /** lanes, steps, embedding, songs: the seed shape at V = 3,168 and 75,262, and odd sizes. */
    @ParameterizedTest
    @CsvSource({"100, 20, 100, 3168", "100, 20, 100, 75262", "37, 7, 19, 1000", "1, 3, 5, 4"})
    void matchCpuEngine(int lanes, int steps, int dim, int songs) {
        HostKernels host = HostKernels.require();
        SplittableRandom rnd = new SplittableRandom(songs + lanes);
        Batch batch = KernelTestData.chunk(lanes, steps, songs, lanes > 2, songs);
        int positions = lanes * steps;
        float[] table = KernelTestData.uniform(rnd, songs * dim, 1);
        float[] expectedRows = new float[positions * dim];
        CpuModel.gatherEmbedding(batch, table, 0, dim, expectedRows, dim);

        float[] dRows = KernelTestData.uniform(rnd, positions * dim, 1);
        float[] grads = KernelTestData.uniform(rnd, songs * dim, 1); // not zero: the kernel adds, as the CPU
        float[] expectedGrads = grads.clone();
        CpuModel.scatterEmbeddingGradient(batch, dRows, dim, expectedGrads, 0);
        PositionsBySong groups = new PositionsBySong(lanes, steps).group(batch);

        try (Arena arena = Arena.ofConfined()) {
            MemorySegment lengths = ints(arena, batch.lengths), out = floats(arena, new float[positions * dim]);
            host.launch(Launch.elements(KernelCatalog.EMBEDDING_GATHER, (long) positions * dim), ints(arena, batch.inputs), lengths,
                    floats(arena, table), out, lanes, positions, dim);
            assertArrayEquals(expectedRows, floats(out));

            MemorySegment gradTable = floats(arena, grads);
            int count = Math.max(groups.count(), 1); // an empty chunk still has a valid (empty) launch
            host.launch(Launch.elements(KernelCatalog.EMBEDDING_GRAD, (long) groups.count() * dim),
                    ints(arena, Arrays.copyOf(groups.songs(), count)), ints(arena, Arrays.copyOf(groups.offsets(), count + 1)),
                    ints(arena, Arrays.copyOf(groups.positions(), Math.max(groups.size(), 1))), floats(arena, dRows), gradTable,
                    groups.count(), dim);
            assertArrayEquals(expectedGrads, floats(gradTable));
        }
    }
}
