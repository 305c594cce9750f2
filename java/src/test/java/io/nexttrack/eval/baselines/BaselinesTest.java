package io.nexttrack.eval.baselines;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexttrack.data.Playlists;
import io.nexttrack.eval.NextSongModel;
import io.nexttrack.numeric.TopK;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each baseline on toy data with hand-computed answers. */
class BaselinesTest {

    /** The scores a model gives at every position, in call order, copied. */
    static List<float[]> scores(NextSongModel model, Playlists playlists) {
        List<float[]> out = new ArrayList<>();
        model.score(playlists, (p, i, s, offset) -> out.add(java.util.Arrays.copyOfRange(s, offset, offset + playlists.songCount())));
        return out;
    }

    /** Scores after the one history given as a playlist (its last song is only a dummy target). */
    static float[] after(NextSongModel model, int songCount, int... history) {
        int[] playlist = java.util.Arrays.copyOf(history, history.length + 1);
        List<float[]> all = scores(model, Playlists.of(songCount, playlist));
        return all.getLast();
    }

    static double sumOfProbabilities(float[] logProbs) {
        double sum = 0;
        for (float l : logProbs) sum += Math.exp(l);
        return sum;
    }

    // Counts: song 0 once, song 1 three times, song 2 once, song 3 never; 5 tokens, 4 songs.
    private static final Playlists POP_TRAIN = Playlists.of(4, new int[] {0, 1}, new int[] {1, 2}, new int[] {1});

    @Test
    void popularityIsTheAddOneUnigram() {
        Popularity pop = new Popularity().fit(POP_TRAIN);
        assertEquals(Math.log(4 / 9.0), pop.logProb(1), 1e-6);
        assertEquals(Math.log(1 / 9.0), pop.logProb(3), 1e-6);
        float[] s = after(pop, 4, 2, 3);
        assertArrayEquals(new int[] {1, 0, 2, 3}, TopK.of(s, 0, 4, 4));
        assertEquals(1, sumOfProbabilities(s), 1e-6);
        assertTrue(pop.givesProbabilities());
    }

    // Transitions 0->1 twice, 0->2, 1->2, 1->0; song 2 never precedes anything.
    // Unigram counts 0:4, 1:3, 2:2, 3:0 of 9 tokens: P(s) = (c + 1) / 13.
    private static final Playlists BIGRAM_TRAIN = Playlists.of(4, new int[] {0, 1, 2}, new int[] {0, 1}, new int[] {0, 2}, new int[] {1, 0});

    @Test
    void bigramInterpolatesWithTheUnigram() {
        Bigram bigram = new Bigram(0.5).fit(BIGRAM_TRAIN);
        assertEquals(Math.log(0.5 * 2 / 3.0 + 0.5 * 4 / 13.0), bigram.logProb(0, 1), 1e-9);
        assertEquals(Math.log(0.5 * 0 + 0.5 * 1 / 13.0), bigram.logProb(0, 3), 1e-9);
        assertEquals(Math.log(0.5 * 1 / 2.0 + 0.5 * 5 / 13.0), bigram.logProb(1, 0), 1e-9);
        assertEquals(Math.log(3 / 13.0), bigram.logProb(2, 2), 1e-9, "no successors seen: the unigram alone");

        float[] after0 = after(bigram, 4, 0);
        for (int s = 0; s < 4; s++) assertEquals(bigram.logProb(0, s), after0[s], 1e-6);
        assertEquals(1, sumOfProbabilities(after0), 1e-6);
        float[] after2 = after(bigram, 4, 1, 2);
        for (int s = 0; s < 4; s++) assertEquals(bigram.logProb(2, s), after2[s], 1e-6);
        assertEquals(1, sumOfProbabilities(after2), 1e-6);
    }

    @Test
    void bigramTuningFollowsTheValidationData() {
        Playlists train = Playlists.of(4, new int[] {0, 1, 2, 3}, new int[] {0, 1, 2, 3}, new int[] {3, 2});
        assertEquals(0.99, new Bigram().fit(train).tune(Playlists.of(4, new int[] {0, 1, 2, 3})).lambda(),
                "validation repeats the training transitions: trust the bigram");
        assertEquals(0.05, new Bigram().fit(train).tune(Playlists.of(4, new int[] {0, 3, 1, 0})).lambda(),
                "only unseen transitions: lean on the unigram");
        Bigram b = new Bigram().fit(train).tune(Playlists.of(4, new int[] {0, 1, 3}));
        double best = Double.POSITIVE_INFINITY;
        for (double l : Bigram.LAMBDA_GRID) best = Math.min(best, b.nll(Playlists.of(4, new int[] {0, 1, 3}), l));
        assertEquals(best, b.nll(Playlists.of(4, new int[] {0, 1, 3}), b.lambda()), 1e-12);
    }

    // Sets {0,1,2}, {0,1}, {2,3}: n = 2, 2, 2, 1; co(0,1) = 2, co(0,2) = co(1,2) = 1, co(2,3) = 1.
    private static final Playlists KNN_TRAIN = Playlists.of(5, new int[] {0, 1, 2}, new int[] {1, 0}, new int[] {2, 3});

    @Test
    void itemKnnUsesCosineCooccurrence() {
        ItemKnn knn = new ItemKnn().fit(KNN_TRAIN);
        assertEquals(1.0, knn.similarity(0, 1), 1e-6);
        assertEquals(0.5, knn.similarity(0, 2), 1e-6);
        assertEquals(1 / Math.sqrt(2), knn.similarity(3, 2), 1e-6);
        assertEquals(0, knn.similarity(0, 3));
        assertArrayEquals(new int[] {1, 2}, knn.neighbours(0), "most similar first");

        float[] s = after(new ItemKnn(500, 1).fit(KNN_TRAIN), 5, 3, 0);
        assertEquals(1.0f, s[1], 1e-6);
        assertEquals(0.5f, s[2], 1e-6);
        // Unsupported songs rank below, by popularity: 0 (2 plays), then 3 (1), then 4 (0).
        assertTrue(s[0] < 0 && s[3] < s[0] && s[4] < s[3]);
        assertFalse(knn.givesProbabilities());

        float[] windowed = after(new ItemKnn(10, 2).fit(KNN_TRAIN), 5, 3, 0);
        assertEquals(0.5 + 0.5 / Math.sqrt(2), windowed[2], 1e-6, "the song before the last weighs 1/2");
        assertEquals(1.0f, windowed[1], 1e-6);
        assertArrayEquals(new int[] {1}, new ItemKnn(1, 1).fit(KNN_TRAIN).neighbours(0), "only the nearest is kept");
    }

    // Sessions S0 {0,1,2}, S1 {0,1}, S2 {2,3}, S3 {4,5}.
    private static final Playlists SESSIONS = Playlists.of(6, new int[] {0, 1, 2}, new int[] {0, 1}, new int[] {2, 3}, new int[] {4, 5});

    @Test
    void sessionKnnSumsNeighbourSimilarities() {
        // History {0}: S0 has cosine 1/sqrt(3), S1 1/sqrt(2); S2, S3 share nothing.
        float[] s = after(new SessionKnn().fit(SESSIONS), 6, 0);
        double s0 = 1 / Math.sqrt(3), s1 = 1 / Math.sqrt(2);
        assertEquals(s0 + s1, s[1], 1e-6);
        assertEquals(s0 + s1, s[0], 1e-6);
        assertEquals(s0, s[2], 1e-6);
        assertTrue(s[3] < 0 && s[4] < 0 && s[5] < 0, "no neighbour holds them");

        float[] nearestOnly = after(new SessionKnn(1, 0).fit(SESSIONS), 6, 0);
        assertEquals(s1, nearestOnly[1], 1e-6);
        assertTrue(nearestOnly[2] < 0, "S0 is not among the k = 1 neighbours");

        // History {2, 0}: S0 overlaps 2 (cosine 2/sqrt(6)), S1 and S2 overlap 1 (1/2 each).
        float[] two = after(new SessionKnn().fit(SESSIONS), 6, 2, 0, 0);
        assertEquals(2 / Math.sqrt(6) + 0.5, two[1], 1e-6, "the repeated 0 does not count twice");
        assertEquals(0.5, two[3], 1e-6);

        // Sampling keeps the most recent (highest-index) overlapping sessions: S1 only.
        float[] sampled = after(new SessionKnn(100, 1).fit(SESSIONS), 6, 0);
        assertEquals(s1, sampled[0], 1e-6);
        assertTrue(sampled[2] < 0);
    }

    @Test
    void everyBaselineScoresEveryPositionOverTheFullCatalogue() {
        Playlists train = Playlists.of(6, new int[] {0, 1, 2, 3}, new int[] {4, 5, 0}, new int[] {1, 1, 2});
        Playlists eval = Playlists.of(6, new int[] {5, 4, 3, 0}, new int[] {2, 2}, new int[] {1, 0, 1});
        for (NextSongModel m : List.of(new Popularity().fit(train), new Bigram().fit(train), new ItemKnn().fit(train), new SessionKnn().fit(train))) {
            List<int[]> seen = new ArrayList<>();
            m.score(eval, (p, i, s, offset) -> {
                assertTrue(s.length - offset >= 6);
                for (int j = 0; j < 6; j++) assertFalse(Float.isNaN(s[offset + j]), m.name());
                seen.add(new int[] {p, i});
            });
            assertEquals(eval.transitions(), seen.size(), m.name());
            List<int[]> last = new ArrayList<>();
            m.scoreLast(eval, (p, i, s, offset) -> last.add(new int[] {p, i}));
            assertEquals(List.of("0:2", "1:0", "2:1"), last.stream().map(a -> a[0] + ":" + a[1]).toList(), m.name());
            assertThrows(IllegalArgumentException.class, () -> m.score(Playlists.of(7, new int[] {0, 1}), (p, i, s, o) -> {}));
        }
        assertThrows(IllegalStateException.class, () -> new SessionKnn().score(eval, (p, i, s, o) -> {}));
        assertThrows(IllegalStateException.class, () -> new Bigram().score(eval, (p, i, s, o) -> {}));
    }
}
