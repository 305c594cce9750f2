package io.nexttrack.eval;

import static org.junit.jupiter.api.Assertions.*;

import io.nexttrack.data.Playlists;
import io.nexttrack.engine.cpu.CpuTrainingEngine;
import io.nexttrack.model.TrainedModel;
import io.nexttrack.recommend.Recommender;
import io.nexttrack.optim.Adam;
import io.nexttrack.train.Trainer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LstmModelTest {
    @Test
    void evaluatorNllEqualsTheEngineLossAndRanksMatchTheRecommender() {
        TrainedModel m = io.nexttrack.TestModels.random(300, 11);
        SplittableRandom r = new SplittableRandom(4);
        int[][] lists = new int[57][];
        for (int p = 0; p < lists.length; p++) lists[p] = r.ints(1 + r.nextInt(45), 0, m.config().songs()).toArray();
        Playlists playlists = Playlists.of(m.config().songs(), lists);

        EvaluationReport report = new Evaluator(Evaluator.Protocol.NEXT, false).evaluate(new LstmModel(m, 8, 7, 2), playlists, "t");
        double engineLoss;
        try (CpuTrainingEngine e = new CpuTrainingEngine(m.parameters(), new Adam(m.parameters().size()), 5, 8, 7, 2, 0)) {
            engineLoss = Trainer.meanLoss(e, playlists, 8, 7);
        }
        assertEquals(playlists.transitions(), report.positions());
        assertEquals(engineLoss, report.nll().orElseThrow(), 1e-4);

        // hit@1 from the evaluator equals "the recommender's first pick is the next song", position by position.
        Recommender rec = new Recommender(m);
        long hits = 0;
        for (int[] list : lists) {
            for (int i = 0; i + 1 < list.length; i++) {
                if (rec.recommend(java.util.Arrays.copyOf(list, i + 1), 1).get(0).song() == list[i + 1]) hits++;
            }
        }
        assertEquals(hits / (double) report.positions(), report.hit(1), 1e-12);
    }

    /** The last-song protocol runs the output layer at the last positions only, and gives the full pass's rows. */
    @Test
    void scoringTheLastPositionsGivesTheRowsOfScoringThemAll() {
        TrainedModel m = io.nexttrack.TestModels.random(300, 12);
        SplittableRandom r = new SplittableRandom(6);
        int[][] lists = new int[41][];
        for (int p = 0; p < lists.length; p++) lists[p] = r.ints(1 + r.nextInt(30), 0, m.config().songs()).toArray();
        Playlists playlists = Playlists.of(m.config().songs(), lists);
        LstmModel model = new LstmModel(m, 8, 7, 2);
        java.util.Map<Integer, float[]> all = new java.util.HashMap<>();
        model.score(playlists, (p, i, scores, offset) -> {
            if (i == playlists.length(p) - 2) all.put(p, java.util.Arrays.copyOfRange(scores, offset, offset + 300));
        });
        java.util.Map<Integer, float[]> last = new java.util.HashMap<>();
        model.scoreLast(playlists, (p, i, scores, offset) -> {
            assertEquals(playlists.length(p) - 2, i, "only last positions");
            assertNull(last.put(p, java.util.Arrays.copyOfRange(scores, offset, offset + 300)), "once per playlist");
        });
        assertEquals(all.keySet(), last.keySet());
        for (int p : all.keySet()) assertArrayEquals(all.get(p), last.get(p), "playlist " + p);
    }
}
