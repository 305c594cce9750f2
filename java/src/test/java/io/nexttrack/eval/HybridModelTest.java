package io.nexttrack.eval;

import static org.junit.jupiter.api.Assertions.*;

import io.nexttrack.engine.EngineFactory;
import io.nexttrack.TestModels;
import io.nexttrack.data.Playlists;
import io.nexttrack.model.Hybrid;
import io.nexttrack.model.PlaylistNeighbours;
import io.nexttrack.model.RepeatProfile;
import io.nexttrack.model.Temperature;
import io.nexttrack.model.TrainedModel;
import io.nexttrack.recommend.ListeningSession;
import io.nexttrack.recommend.Recommendation;
import io.nexttrack.recommend.Recommender;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HybridModelTest {
    static final int SONGS = 120;

    static Playlists random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[][] lists = new int[n][];
        for (int p = 0; p < n; p++) lists[p] = r.ints(2 + r.nextInt(30), 0, SONGS).toArray();
        return Playlists.of(SONGS, lists);
    }

    /** A hybrid with a repeat component (random playlists replay songs now and then) and a temperature. */
    static TrainedModel hybrid(double setWeight, double sequenceWeight) {
        Playlists train = random(200, 1);
        var neighbours = new PlaylistNeighbours(train, PlaylistNeighbours.Settings.defaults());
        return TestModels.random(SONGS, 5).withHybrid(new Hybrid(neighbours, setWeight, sequenceWeight, 0, RepeatProfile.fit(train), 1.5,
                new Temperature(1.6, -0.2, 0.1)));
    }

    @Test
    void theTemperatureChangesTheProbabilitiesAndNoRanking() {
        TrainedModel calibrated = hybrid(0.3, 0.2), plain = calibrated.withHybrid(calibrated.hybrid().withTemperature(Temperature.NONE));
        Playlists eval = random(40, 4);
        for (boolean exclude : new boolean[] {false, true}) {
            Evaluator evaluator = new Evaluator(Evaluator.Protocol.NEXT, exclude);
            EvaluationReport a = evaluator.evaluate(HybridModel.of(calibrated, 8, 7, EngineFactory.cpu(1)), eval, "v");
            EvaluationReport b = evaluator.evaluate(HybridModel.of(plain, 8, 7, EngineFactory.cpu(1)), eval, "v");
            assertEquals(b.positions(), a.positions());
            for (int k : RankingMetrics.CUTOFFS) {
                assertEquals(b.hit(k), a.hit(k), "hit@" + k);
                assertEquals(b.mrr(k), a.mrr(k), "mrr@" + k);
                assertEquals(b.ndcg(k), a.ndcg(k), "ndcg@" + k);
            }
            assertEquals(b.coverage(), a.coverage());
            assertNotEquals(b.nll().getAsDouble(), a.nll().getAsDouble(), 1e-3, "the probabilities moved");
        }
        // The recommender: the same songs in the same order, with the calibrated log-probabilities as scores.
        Recommender withTemperature = new Recommender(calibrated), without = new Recommender(plain);
        int[] history = eval.playlist(0);
        List<Recommendation> x = withTemperature.recommend(history, 10), y = without.recommend(history, 10);
        assertEquals(y.stream().map(Recommendation::song).toList(), x.stream().map(Recommendation::song).toList());
        float[] row = new float[SONGS];
        new LstmModel(plain, 1, history.length, 1).scoreLast(Playlists.of(SONGS, Arrays.copyOf(history, history.length + 1)),
                (p, i, s, o) -> System.arraycopy(s, o, row, 0, SONGS));
        PlaylistNeighbours.Cursor c = calibrated.hybrid().neighbours().cursor();
        for (int song : history) c.play(song);
        calibrated.hybrid().mix(row, 0, c, new Hybrid.Votes(SONGS));
        assertEquals(row[x.get(0).song()], x.get(0).score(), 1e-5f);
        assertNotEquals(y.get(0).score(), x.get(0).score(), 1e-4f);
    }

    @Test
    void scoresAreTheLstmRowMixedWithTheVotesOfTheSameHistory() {
        TrainedModel model = hybrid(0.3, 0.2);
        Playlists eval = random(23, 2);
        List<float[]> lstmRows = new ArrayList<>(), hybridRows = new ArrayList<>();
        List<int[]> lstmAt = new ArrayList<>(), hybridAt = new ArrayList<>();
        new LstmModel(model, 4, 5, 1).score(eval, (p, i, s, o) -> {
            lstmRows.add(Arrays.copyOfRange(s, o, o + SONGS));
            lstmAt.add(new int[] {p, i});
        });
        NextSongModel h = HybridModel.of(model, 4, 5, EngineFactory.cpu(1));
        assertEquals(Hybrid.NAME, h.name());
        h.score(eval, (p, i, s, o) -> {
            hybridRows.add(Arrays.copyOfRange(s, o, o + SONGS));
            hybridAt.add(new int[] {p, i});
        });
        assertEquals(eval.transitions(), hybridRows.size());
        Hybrid.Votes votes = new Hybrid.Votes(SONGS);
        int mixedRows = 0;
        for (int r = 0; r < hybridRows.size(); r++) {
            int p = hybridAt.get(r)[0], i = hybridAt.get(r)[1];
            assertArrayEquals(lstmAt.get(r), hybridAt.get(r));
            // A fresh cursor over the history 0..i: what the in-flight cursors must agree with.
            PlaylistNeighbours.Cursor c = model.hybrid().neighbours().cursor();
            for (int j = 0; j <= i; j++) c.play(eval.song(p, j));
            float[] expected = lstmRows.get(r).clone();
            model.hybrid().mix(expected, 0, c, votes);
            if (votes.totals()[0] > 0) mixedRows++;
            assertArrayEquals(expected, hybridRows.get(r), 1e-6f, "playlist " + p + " position " + i);
            double sum = 0;
            for (float x : hybridRows.get(r)) sum += Math.exp(x);
            assertEquals(1, sum, 1e-4, "a distribution");
        }
        assertTrue(mixedRows > hybridRows.size() / 2, "most positions have neighbours: " + mixedRows);

        // The last protocol replays each history for its single position.
        List<float[]> last = new ArrayList<>();
        h.scoreLast(eval, (p, i, s, o) -> last.add(Arrays.copyOfRange(s, o, o + SONGS)));
        for (int r = 0, k = 0; r < hybridRows.size(); r++) {
            int p = hybridAt.get(r)[0], i = hybridAt.get(r)[1];
            if (i == eval.length(p) - 2) assertNotNull(last.get(k++));
        }
    }

    @Test
    void theRecommenderAndTheSessionScoreLikeTheEvaluator() {
        TrainedModel model = hybrid(0.2, 0.3);
        Playlists eval = random(15, 3);
        EvaluationReport report = new Evaluator(Evaluator.Protocol.NEXT, false).evaluate(HybridModel.of(model, 8, 7, EngineFactory.cpu(1)), eval, "t");
        Recommender rec = new Recommender(model);
        long hits = 0;
        for (int p = 0; p < eval.size(); p++) {
            int[] list = eval.playlist(p);
            try (ListeningSession session = rec.session()) {
                for (int i = 0; i + 1 < list.length; i++) {
                    session.play(list[i]);
                    List<Recommendation> batch = rec.recommend(Arrays.copyOf(list, i + 1), 3, true);
                    List<Recommendation> live = session.next(3, true);
                    assertEquals(batch.stream().map(Recommendation::song).toList(), live.stream().map(Recommendation::song).toList());
                    if (rec.recommend(Arrays.copyOf(list, i + 1), 1).get(0).song() == list[i + 1]) hits++;
                }
            }
        }
        assertEquals(hits / (double) report.positions(), report.hit(1), 1e-12);
    }

    /** The same score row at every position: the target's rank is fixed by the row. */
    record Fixed(float[] logProbs) implements NextSongModel {
        @Override public String name() { return "fixed"; }

        @Override public boolean givesProbabilities() { return true; }

        @Override
        public void score(Playlists playlists, PositionSink sink) {
            for (int p = 0; p < playlists.size(); p++) {
                for (int i = 0; i + 1 < playlists.length(p); i++) sink.accept(p, i, logProbs.clone(), 0);
            }
        }
    }

    @Test
    void tuningReadsAnEvenSpreadOfALargeValidationSplit() {
        int[][] lists = new int[400][];
        for (int p = 0; p < lists.length; p++) lists[p] = new int[] {p % SONGS, (p + 1) % SONGS, (p + 2) % SONGS};
        Playlists all = Playlists.of(SONGS, lists); // 800 transitions
        Playlists spread = HybridModel.spread(all, 200);
        assertEquals(100, spread.size(), "every fourth playlist");
        assertArrayEquals(all.playlist(3), spread.playlist(0));
        assertArrayEquals(all.playlist(399), spread.playlist(99));
        assertSame(all, HybridModel.spread(all, all.transitions()), "small enough: all of it");
    }

    @Test
    void tuningTrustsTheNeighboursOnlyWhenTheyHelp() {
        // Training playlists that validation repeats exactly: the neighbours know every next song.
        int v = 8;
        Playlists train = Playlists.of(v, new int[] {0, 1, 2, 3}, new int[] {4, 5, 6, 7});
        Playlists validation = Playlists.of(v, new int[] {0, 1, 2, 3}, new int[] {4, 5, 6, 7});
        var neighbours = new PlaylistNeighbours(train, PlaylistNeighbours.Settings.defaults());
        float[] uniform = new float[v];
        Arrays.fill(uniform, (float) -Math.log(v));
        HybridModel.Tuning t = HybridModel.tune(new Fixed(uniform), neighbours, validation, List.of());
        assertEquals(0.1, t.hybrid().setWeight() + t.hybrid().sequenceWeight(), 1e-12,
                "any weight ranks by the votes; ties go to the least weight");
        assertEquals(0, t.hybrid().repeatWeight(), "nothing is replayed");
        assertEquals(0, t.lstmMargin(), "without baselines the margins are over the LSTM alone");
        assertEquals(0, t.hybridMargin(), 1e-12, "hit@100 is 1 either way");
        assertTrue(t.hybridNll() < t.lstmNll());

        // Neighbours that point elsewhere, and an LSTM that always ranks song 3 (a frequent target) first:
        // mixing in the neighbours can only push it down.
        Playlists misleading = Playlists.of(v, new int[] {0, 7, 6, 5}, new int[] {1, 7, 6, 5}, new int[] {2, 7, 6, 5});
        float[] confident = new float[v];
        Arrays.fill(confident, (float) Math.log(0.3 / (v - 1)));
        confident[3] = (float) Math.log(0.7);
        Playlists toThree = Playlists.of(v, new int[] {0, 3}, new int[] {1, 3}, new int[] {2, 3});
        var t2 = HybridModel.tune(new Fixed(confident), new PlaylistNeighbours(misleading, PlaylistNeighbours.Settings.defaults()), toThree,
                List.of());
        assertEquals(1, t2.hybrid().lstmWeight(), "the LSTM alone");
        assertEquals(t2.lstmMargin(), t2.hybridMargin());
    }

    @Test
    void tuningWeighsTheRepeatsWhenValidationReplays() {
        // Stations that come back to the song played three songs ago; the LSTM and the neighbours know nothing of it.
        int v = 40;
        SplittableRandom r = new SplittableRandom(5);
        int[][] lists = new int[300][];
        for (int p = 0; p < lists.length; p++) {
            int[] list = new int[12];
            for (int i = 0; i < list.length; i++) list[i] = i >= 3 && i % 3 == 0 ? list[i - 3] : r.nextInt(v);
            lists[p] = list;
        }
        Playlists train = Playlists.of(v, Arrays.copyOfRange(lists, 0, 250)), validation = Playlists.of(v, Arrays.copyOfRange(lists, 250, 300));
        float[] uniform = new float[v];
        Arrays.fill(uniform, (float) -Math.log(v));
        float[] byId = new float[v]; // a baseline that ranks the songs by id, whatever the history
        for (int s = 0; s < v; s++) byId[s] = -s;
        var t = HybridModel.tune(new Fixed(uniform), new PlaylistNeighbours(train, PlaylistNeighbours.Settings.defaults()), validation,
                List.of(new Fixed(byId)));
        assertTrue(t.hybrid().repeatWeight() > 0, "a replay a third of the time: " + t.hybrid());
        assertTrue(t.hybridMargin() >= 0 && t.hybridNll() < t.lstmNll(), t.toString());
        Evaluator evaluator = new Evaluator(Evaluator.Protocol.NEXT, false);
        EvaluationReport scored = evaluator.evaluate(new HybridModel(new Fixed(uniform), t.hybrid().withTemperature(Temperature.NONE)),
                validation, "v");
        assertEquals(scored.nll().getAsDouble(), t.hybridNll(), 1e-9, "the tuner scores the hybrid as the evaluator does");
        // The temperature, fitted last on the same positions (all of them: a small split), lowers the NLL and no rank.
        EvaluationReport calibrated = evaluator.evaluate(new HybridModel(new Fixed(uniform), t.hybrid()), validation, "v");
        assertEquals(validation.transitions(), t.calibration().positions());
        assertEquals(t.calibration().nllAfter(), calibrated.nll().getAsDouble(), 1e-5);
        assertTrue(calibrated.nll().getAsDouble() < scored.nll().getAsDouble(), t.calibration().toString());
        assertEquals(scored.hit(10), calibrated.hit(10));
        assertEquals(scored.mrr(20), calibrated.mrr(20));
        RepeatProfile g = t.hybrid().repeats();
        assertTrue(g.probability(3, 2) > 0.5 && g.probability(3, 1) > 5 * g.probability(2, 1), "replays of the song 3 back are counted");
        assertTrue(g.probability(1, 1) < 0.05, "the song just played: only by chance");
    }

    @Test
    void theChoiceMaximisesTheSmallestMarginThenTheMean() {
        double tolerance = HybridModel.MARGIN_TOLERANCE;
        assertEquals(1, HybridModel.choose(new double[] {0.01, 0.03, 0.02}, new double[] {0.5, 0.1, 0.2}), "the smallest margin first");
        assertEquals(2, HybridModel.choose(new double[] {0.01, 0.03, 0.03 - tolerance / 2}, new double[] {0.5, 0.1, 0.2}),
                "within the tolerance, the mean");
        assertEquals(0, HybridModel.choose(new double[] {0.02, 0.02}, new double[] {0.1, 0.1}), "the earliest of equals");
        assertEquals(0.5, HybridModel.margin(0.3, 0.2), 1e-12);
        assertEquals(1, HybridModel.margin(0.3, 0), "a baseline at 0 is beaten by anything above it");
        assertEquals(0, HybridModel.margin(0, 0));
    }

    @Test
    void theBaselinesAreScoredBothWays() {
        Playlists part = Playlists.of(4, new int[] {3, 1}, new int[] {0, 1, 0}, new int[] {2, 3, 1, 3});
        float[] row = {0, 1, 2, 3};
        RankingMetrics[] both = HybridModel.bothWays(new Fixed(row), part);
        EvaluationReport all = new Evaluator(Evaluator.Protocol.NEXT, false).evaluate(new Fixed(row), part, "t");
        EvaluationReport unseen = new Evaluator(Evaluator.Protocol.NEXT, true).evaluate(new Fixed(row), part, "t");
        assertEquals(all.positions(), both[0].positions());
        assertEquals(unseen.positions(), both[1].positions());
        for (int k : new int[] {1, 5}) {
            assertEquals(all.hit(k), both[0].hitRate(k), 1e-12);
            assertEquals(unseen.mrr(k), both[1].mrr(k), 1e-12);
        }
    }
}
