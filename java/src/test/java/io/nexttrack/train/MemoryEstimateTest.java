package io.nexttrack.train;

import static org.junit.jupiter.api.Assertions.*;

import io.nexttrack.engine.Loss;
import io.nexttrack.model.ModelConfig;
import org.junit.jupiter.api.Test;

/** The memory check before training: what it counts with each loss, and the Million Playlist Dataset's catalogue. */
class MemoryEstimateTest {
    static final int MPD_SONGS = 2_262_292;
    static final long GIB = 1L << 30;

    /**
     * At 2,262,292 songs with E = H = 100 (454.8 M parameters, 1.8 GB a copy), training with the default loss (sampled
     * there) fits in 12 GiB of heap: five parameter-sized copies and the CPU engine's workspace (the full layer's
     * logits block for validation, the sampled layer, the compact gradient, the sample store). The full softmax would
     * need a sixth copy (the dense gradient) and the transposed output weights.
     */
    @Test
    void theMillionPlaylistCatalogueTrainsInTwelveGibibytes() {
        ModelConfig model = ModelConfig.seed(MPD_SONGS);
        MemoryEstimate sampled = MemoryEstimate.of(model, TrainingConfig.defaults(), true);
        assertTrue(TrainingConfig.defaults().sampledAt(MPD_SONGS));
        assertEquals(5, sampled.parameterCopies());
        assertTrue(sampled.bytes() < 12 * GIB, sampled.bytes() / (double) GIB + " GiB");
        assertTrue(sampled.engine().bytes() < GIB, "workspace " + sampled.engine().bytes());
        MemoryEstimate full = MemoryEstimate.of(model, TrainingConfig.defaults().withLoss(Loss.full()), true);
        assertEquals(6, full.parameterCopies());
        assertTrue(full.bytes() > sampled.bytes() + 4L * model.parameterCount());
        MemoryEstimate gpu = MemoryEstimate.of(model, TrainingConfig.defaults(), false);
        assertTrue(gpu.engine().bytes() > 0 && gpu.engine().bytes() < sampled.engine().bytes(),
                "a GPU engine keeps the candidates and the sample store on the host");
    }

    @Test
    void smallCataloguesCountAsBefore() {
        MemoryEstimate yes = MemoryEstimate.of(ModelConfig.seed(3_168), TrainingConfig.defaults(), true);
        assertEquals(6, yes.parameterCopies(), "the full softmax at 3,168 songs (auto)");
    }
}
