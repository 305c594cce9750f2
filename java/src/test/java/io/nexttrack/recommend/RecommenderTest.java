package io.nexttrack.recommend;

import static org.junit.jupiter.api.Assertions.*;

import io.nexttrack.numeric.LogSoftmax;
import io.nexttrack.model.TrainedModel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RecommenderTest {
    static final int SONGS = 300;

    static TrainedModel model() {
        return io.nexttrack.TestModels.random(SONGS, 11);
    }

    static int[][] histories(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[][] h = new int[n][];
        for (int i = 0; i < n; i++) h[i] = r.ints(1 + r.nextInt(90), 0, SONGS).toArray(); // some longer than a chunk
        return h;
    }

    @Test
    void topKIsTheArgSortOfTheFullScoreVector() {
        Recommender r = new Recommender(model());
        int[] history = {5, 17, 3, 250};
        // The full score vector, from a session (a different code path: one step at a time).
        float[] all = new float[SONGS];
        try (ListeningSession s = r.session()) {
            for (int song : history) s.play(song);
            List<Recommendation> everything = s.next(SONGS, false);
            for (Recommendation x : everything) all[x.song()] = x.score();
        }
        Integer[] order = IntStream.range(0, SONGS).boxed().toArray(Integer[]::new);
        java.util.Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -all[i]).thenComparingInt(i -> i));
        List<Recommendation> top = r.recommend(history, 25);
        assertEquals(25, top.size());
        for (int i = 0; i < 25; i++) {
            assertEquals(order[i], top.get(i).song(), "rank " + (i + 1));
            assertEquals(all[order[i]], top.get(i).score(), 1e-4);
            assertEquals(i + 1, top.get(i).rank());
        }
        double total = 0;
        for (float s : all) total += Math.exp(s);
        assertEquals(1.0, total, 1e-3, "scores are log-probabilities");
    }

    @Test
    void batchedEqualsOneByOneAndExclusionRemovesHistory() {
        Recommender r = new Recommender(model());
        int[][] h = histories(20, 3);
        List<List<Recommendation>> batched = r.recommend(h, 10, true);
        for (int i = 0; i < h.length; i++) {
            List<Recommendation> single = r.recommend(h[i], 10, true);
            assertEquals(songs(single), songs(batched.get(i)), "history " + i);
            for (Recommendation x : single) {
                for (int s : h[i]) assertNotEquals(s, x.song());
            }
        }
    }

    @Test
    void concurrentCallsGiveTheSerialResults() throws Exception {
        Recommender r = new Recommender(model());
        int[][] h = histories(64, 9);
        List<List<Integer>> serial = new ArrayList<>();
        for (int[] x : h) serial.add(songs(r.recommend(x, 20)));
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<List<Integer>>> futures = new ArrayList<>();
            for (int[] x : h) futures.add(pool.submit(() -> songs(r.recommend(x, 20))));
            for (int i = 0; i < h.length; i++) assertEquals(serial.get(i), futures.get(i).get());
        }
    }

    @Test
    void sessionCarriesStateLikeAFullHistory() {
        Recommender r = new Recommender(model());
        int[] h = histories(1, 21)[0];
        try (ListeningSession s = r.session()) {
            for (int i = 0; i < h.length; i++) {
                s.play(h[i]);
                if (i % 7 == 0 || i == h.length - 1) {
                    assertEquals(songs(r.recommend(java.util.Arrays.copyOf(h, i + 1), 5)), songs(s.next(5, false)), "after " + (i + 1));
                }
            }
        }
    }

    @Test
    void scoringIgnoresDropout() {
        TrainedModel plain = model();
        io.nexttrack.model.ModelConfig c = plain.config();
        io.nexttrack.model.Parameters p = new io.nexttrack.model.Parameters(new io.nexttrack.model.ModelConfig(c.songs(),
                c.embedding(), c.hidden(), c.layers(), c.initScale(), false, 0.5f));
        System.arraycopy(plain.parameters().values(), 0, p.values(), 0, p.size());
        Recommender withDropout = new Recommender(new TrainedModel(p, plain.vocabulary(), plain.catalog()));
        int[] h = {3, 1, 4, 1, 5, 9, 2, 6};
        List<Recommendation> expected = new Recommender(plain).recommend(h, 10);
        assertEquals(expected, withDropout.recommend(h, 10));
        try (ListeningSession s = withDropout.session()) {
            for (int x : h) s.play(x);
            assertEquals(songs(expected), songs(s.next(10, false)));
        }
    }

    @Test
    void unknownSongsAreClearErrors() {
        Recommender r = new Recommender(model());
        var e = assertThrows(IllegalArgumentException.class, () -> r.recommend(new int[] {1, SONGS}, 5));
        assertTrue(e.getMessage().contains("unknown song id " + SONGS), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> r.recommend(new int[0], 5));
    }

    @Test
    void logSoftmaxIsNormalisedAndStable() {
        float[] x = {1000f, 999f, -5f};
        LogSoftmax.inPlace(x, 0, 3);
        double sum = 0;
        for (float v : x) sum += Math.exp(v);
        assertEquals(1.0, sum, 1e-4); // float spacing at |x| = 1000 is 6e-5
        assertTrue(x[0] > x[1]);
    }

    /**
     * Calls of every shape reuse the kept scorer (one here: calls are serial) and answer exactly as a fresh
     * recommender does; the hybrid path too.
     */
    @Test
    void keptScorersAnswerAsFreshOnes() {
        TrainedModel m = model();
        Recommender reused = new Recommender(m);
        int[][] h = histories(30, 17);
        for (int[][] call : new int[][][] {{h[0]}, java.util.Arrays.copyOf(h, 12), {h[5], h[6]}, h, {h[29]}}) {
            for (boolean exclude : new boolean[] {false, true}) {
                assertEquals(new Recommender(m).recommend(call, 7, exclude), reused.recommend(call, 7, exclude));
            }
        }
        assertEquals(1, reused.scorers().kept());
        int[][] many = histories(40, 5); // 40 lanes x 64 steps: more than is kept
        reused.recommend(many, 3, false);
        assertEquals(1, reused.scorers().kept(), "the large one was closed, the kept one stays");
        reused.close();
        assertEquals(0, reused.scorers().kept(), "close frees the kept scorer");
        assertEquals(new Recommender(m).recommend(h, 7, false), reused.recommend(h, 7, false), "a call after close still works");
        assertEquals(0, reused.scorers().kept(), "and keeps nothing");
    }

    private static List<Integer> songs(List<Recommendation> list) {
        return list.stream().map(Recommendation::song).toList();
    }
}
