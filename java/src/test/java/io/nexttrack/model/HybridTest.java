package io.nexttrack.model;

import static org.junit.jupiter.api.Assertions.*;

import io.nexttrack.TestModels;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HybridTest {
    @TempDir Path dir;

    @Test
    void mixIsTheMixtureOfTheTwoDistributions() {
        float[] lstm = {(float) Math.log(0.5), (float) Math.log(0.25), (float) Math.log(0.125), (float) Math.log(0.125)};
        float[] votes = {0, 3, 1, 0};
        float[] out = new float[4];
        Hybrid.mix(lstm, 0, votes, 4, 0.4, out, 0);
        double[] expected = {0.6 * 0.5, 0.6 * 0.25 + 0.4 * 0.75, 0.6 * 0.125 + 0.4 * 0.25, 0.6 * 0.125};
        double sum = 0;
        for (int s = 0; s < 4; s++) {
            assertEquals(Math.log(expected[s]), out[s], 1e-6);
            sum += Math.exp(out[s]);
        }
        assertEquals(1, sum, 1e-6);

        float[] none = new float[4];
        Hybrid.mix(lstm, 0, new float[4], 0, 0.4, none, 0);
        assertArrayEquals(lstm, none, "no votes: the LSTM alone");
        float[] inPlace = lstm.clone();
        Hybrid.mix(inPlace, 0, votes, 4, 0.4, inPlace, 0);
        assertArrayEquals(out, inPlace);
        assertThrows(IllegalArgumentException.class, () -> new Hybrid(null, 1.0));
    }

    @Test
    void theModelFileKeepsTheHybrid() throws Exception {
        TrainedModel lstm = TestModels.random(6, 3);
        var settings = new PlaylistNeighbours.Settings(7, 11, PlaylistNeighbours.Votes.SEQUENCE, 0.5, 0.3);
        Hybrid h = new Hybrid(new PlaylistNeighbours(PlaylistNeighboursTest.TRAIN, settings), 0.35);
        Path file = dir.resolve("m.nt");
        lstm.withHybrid(h).save(file);
        TrainedModel back = TrainedModel.load(file);
        assertEquals(0.35, back.hybrid().weight());
        assertEquals(settings, back.hybrid().neighbours().settings());
        var p = back.hybrid().neighbours().playlists();
        assertArrayEquals(PlaylistNeighboursTest.TRAIN.offsets(), p.offsets());
        assertArrayEquals(PlaylistNeighboursTest.TRAIN.songs(), p.songs());
        assertArrayEquals(lstm.parameters().values(), back.parameters().values());

        lstm.save(file);
        assertNull(TrainedModel.load(file).hybrid(), "a model saved without a hybrid loads as the LSTM alone");
    }
}
