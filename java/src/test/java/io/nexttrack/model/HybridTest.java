package io.nexttrack.model;

import static org.junit.jupiter.api.Assertions.*;

import io.nexttrack.TestModels;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HybridTest {
    @TempDir Path dir;

    @Test
    void mixIsTheMixtureOfTheThreeDistributions() {
        float[] lstm = {(float) Math.log(0.5), (float) Math.log(0.25), (float) Math.log(0.125), (float) Math.log(0.125)};
        Hybrid.Votes votes = new Hybrid.Votes(new float[] {0, 3, 1, 0}, new float[] {0, 0, 1, 1}, new double[] {4, 2});
        float[] out = new float[4];
        Hybrid.mix(lstm, 0, votes, 0.4, 0.2, out, 0);
        double[] expected = {0.4 * 0.5, 0.4 * 0.25 + 0.4 * 0.75, 0.4 * 0.125 + 0.4 * 0.25 + 0.2 * 0.5, 0.4 * 0.125 + 0.2 * 0.5};
        double sum = 0;
        for (int s = 0; s < 4; s++) {
            assertEquals(Math.log(expected[s]), out[s], 1e-6);
            sum += Math.exp(out[s]);
        }
        assertEquals(1, sum, 1e-6);

        Hybrid.Votes noSequence = new Hybrid.Votes(votes.set(), new float[4], new double[] {4, 0});
        Hybrid.mix(lstm, 0, noSequence, 0.4, 0.2, out, 0);
        assertEquals(Math.log(0.6 * 0.25 + 0.4 * 0.75), out[1], 1e-6, "a component without votes gives its weight to the LSTM");
        float[] none = new float[4];
        Hybrid.mix(lstm, 0, new Hybrid.Votes(4), 0.4, 0.2, none, 0);
        assertArrayEquals(lstm, none, "no votes: the LSTM alone");
        float[] inPlace = lstm.clone();
        Hybrid.mix(inPlace, 0, votes, 0.4, 0.2, inPlace, 0);
        Hybrid.mix(lstm, 0, votes, 0.4, 0.2, out, 0);
        assertArrayEquals(out, inPlace);
        // The bigram: votes 2 and 6 for songs 2 and 3 (P_bigram 0.25, 0.75), weight 0.2, with set votes at 0.4.
        Hybrid.Votes withBigram = new Hybrid.Votes(votes.set(), new float[4], new double[] {4, 0}).withBigram(new float[] {0, 0, 2, 6}, 8);
        Hybrid.mix(lstm, 0, withBigram, 0.4, 0.2, 0.2, out, 0);
        assertEquals(Math.log(0.4 * 0.125 + 0.4 * 0.25 + 0.2 * 0.25), out[2], 1e-6, "the sequence's weight went to the LSTM");
        assertEquals(Math.log(0.4 * 0.125 + 0.2 * 0.75), out[3], 1e-6);
        assertThrows(IllegalArgumentException.class, () -> new Hybrid(null, 0.4, 0.3, 0.3, null, 0));
        assertThrows(IllegalArgumentException.class, () -> new Hybrid(null, 0.5, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new Hybrid(null, -0.1, 0.5));
    }

    @Test
    void theRepeatComponentTakesItsShareFromEverySongInProportion() {
        float[] row = {(float) Math.log(0.5), (float) Math.log(0.25), (float) Math.log(0.125), (float) Math.log(0.125)};
        // No neighbour votes for the history's songs: the replay goes by g alone.
        Hybrid.Votes votes = new Hybrid.Votes(4).withHistory(new int[] {2, 0}, new float[] {0.2f, 0.1f}, new float[2]);
        float[] out = new float[4];
        Hybrid.addRepeats(row, 0, votes, 0.5, out, 0); // c = 0.5 * 0.3 = 0.15
        double[] expected = {0.85 * 0.5 + 0.5 * 0.1, 0.85 * 0.25, 0.85 * 0.125 + 0.5 * 0.2, 0.85 * 0.125};
        double sum = 0;
        for (int s = 0; s < 4; s++) {
            assertEquals(Math.log(expected[s]), out[s], 1e-6);
            sum += Math.exp(out[s]);
        }
        assertEquals(1, sum, 1e-6);
        Hybrid.addRepeats(row, 0, votes, 10, out, 0); // 10 * 0.3 > 0.9: lowered to 3, c = 0.9
        assertEquals(Math.log(0.1 * 0.125 + 3 * 0.2), out[2], 1e-6);
        assertEquals(Math.log(0.1 * 0.25), out[1], 1e-6);
        Hybrid.addRepeats(row, 0, votes, 0, out, 0);
        assertArrayEquals(row, out, "weight 0: the row as it was");
        // Votes 1 and 3: P_repeat(2) = 0.2 * 1 / (0.2 * 1 + 0.1 * 3) = 0.4, P_repeat(0) = 0.6; c = 0.15 as before.
        Hybrid.Votes voted = new Hybrid.Votes(4).withHistory(new int[] {2, 0}, new float[] {0.2f, 0.1f}, new float[] {1, 3});
        Hybrid.addRepeats(row, 0, voted, 0.5, out, 0);
        assertEquals(Math.log(0.85 * 0.125 + 0.15 * 0.4), out[2], 1e-6);
        assertEquals(Math.log(0.85 * 0.5 + 0.15 * 0.6), out[0], 1e-6);
        assertEquals(Math.log(0.85 * 0.25), out[1], 1e-6);
        Hybrid.addRepeats(row, 0, new Hybrid.Votes(4), 0.5, out, 0);
        assertArrayEquals(row, out, "no history: the row as it was");
        assertThrows(IllegalArgumentException.class, () -> new Hybrid(null, 0.1, 0.1, null, 0.5), "a repeat weight needs a profile");
        assertThrows(IllegalArgumentException.class, () -> new Hybrid(null, 0.1, 0.1, RepeatProfile.fit(PlaylistNeighboursTest.TRAIN), -1));
    }

    @Test
    void theModelFileKeepsTheRepeatProfileAndOldFilesLoadWithoutOne() throws Exception {
        TrainedModel lstm = TestModels.random(6, 3);
        RepeatProfile repeats = RepeatProfile.fit(PlaylistNeighboursTest.TRAIN);
        Hybrid h = new Hybrid(new PlaylistNeighbours(PlaylistNeighboursTest.TRAIN, PlaylistNeighbours.Settings.defaults()), 0.3, 0.2, 0.2,
                repeats, 0.75, new Temperature(2.125, -0.25, 1.0 / 3));
        Path file = dir.resolve("r.nt");
        lstm.withHybrid(h).save(file);
        Hybrid back = TrainedModel.load(file).hybrid();
        assertEquals(new Temperature(2.125, -0.25, 1.0 / 3), back.temperature(), "the temperature to the last bit");
        assertEquals(0.75, back.repeatWeight());
        assertEquals(0.2, back.bigramWeight());
        assertArrayEquals(repeats.table(), back.repeats().table());

        // A file written before the repeat component: the same header and tensors without its entries.
        Checkpoint ck = Checkpoint.read(file);
        ck.header().remove("hybrid.repeat_weight");
        ck.header().remove("hybrid.bigram_weight");
        ck.tensors().remove("hybrid.repeat_table");
        for (String k : new String[] {"hybrid.temperature_base", "hybrid.temperature_entropy", "hybrid.temperature_length"}) {
            assertNotNull(ck.header().remove(k), k);
        }
        ck.shapes().remove("hybrid.repeat_table");
        ck.write(file);
        Hybrid old = TrainedModel.load(file).hybrid();
        assertNull(old.repeats());
        assertEquals(0, old.repeatWeight());
        assertEquals(0, old.bigramWeight());
        assertSame(Temperature.NONE, old.temperature(), "files written before the temperature: none");
        assertEquals(0.3, old.setWeight());
    }

    @Test
    void theModelFileKeepsTheHybrid() throws Exception {
        TrainedModel lstm = TestModels.random(6, 3);
        var settings = new PlaylistNeighbours.Settings(7, 11, 0.5, 0.3);
        Hybrid h = new Hybrid(new PlaylistNeighbours(PlaylistNeighboursTest.TRAIN, settings), 0.35, 0.25);
        Path file = dir.resolve("m.nt");
        lstm.withHybrid(h).save(file);
        TrainedModel back = TrainedModel.load(file);
        assertEquals(0.35, back.hybrid().setWeight());
        assertEquals(0.25, back.hybrid().sequenceWeight());
        assertEquals(settings, back.hybrid().neighbours().settings());
        var p = back.hybrid().neighbours().playlists();
        assertArrayEquals(PlaylistNeighboursTest.TRAIN.offsets(), p.offsets());
        assertArrayEquals(PlaylistNeighboursTest.TRAIN.songs(), p.songs());
        assertArrayEquals(lstm.parameters().values(), back.parameters().values());

        assertNull(back.hybrid().repeats(), "a hybrid without a repeat profile keeps none");
        assertFalse(Checkpoint.read(file).header().containsKey("hybrid.temperature_base"), "no temperature, no entry");
        assertEquals(0, back.hybrid().repeatWeight());

        lstm.save(file);
        assertNull(TrainedModel.load(file).hybrid(), "a model saved without a hybrid loads as the LSTM alone");
    }
}
