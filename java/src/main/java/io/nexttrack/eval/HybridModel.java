package io.nexttrack.eval;

import io.nexttrack.data.Playlists;
import io.nexttrack.engine.EngineFactory;
import io.nexttrack.model.Hybrid;
import io.nexttrack.model.PlaylistNeighbours;
import io.nexttrack.model.TrainedModel;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The default model as a {@link NextSongModel}: the LSTM's log-probabilities at each position, mixed with the
 * playlist neighbours of the same history by {@link Hybrid#mix} (the one implementation the recommender uses
 * too). The LSTM may visit playlists in any order (it batches them by length); a neighbourhood cursor follows
 * each playlist in flight, one song per position, and replays the history when positions come out of order.
 */
public final class HybridModel implements NextSongModel {
    /** The weights (set, sequence) {@link #tune} tries: multiples of 0.1 summing to at most 0.9, (0, 0) first. */
    public static final double[][] WEIGHT_GRID = grid();
    /**
     * {@link #tune} reads at most about this many validation positions (playlists spread evenly over the split),
     * so that its cost stays bounded on large data; two weights on a 0.1 grid need no more.
     */
    public static final int MAX_TUNING_POSITIONS = 30_000;

    private final NextSongModel lstm;
    private final Hybrid hybrid;

    /** @param lstm scores log-probabilities (the LSTM) */
    public HybridModel(NextSongModel lstm, Hybrid hybrid) {
        if (!lstm.givesProbabilities()) throw new IllegalArgumentException(lstm.name() + " gives no probabilities to mix");
        this.lstm = lstm;
        this.hybrid = hybrid;
    }

    /** The trained model as scored by default: the hybrid when it has one, else the LSTM alone. */
    public static NextSongModel of(TrainedModel model, int lanes, int steps, EngineFactory engines) {
        LstmModel lstm = new LstmModel(model, lanes, steps, engines);
        return model.hybrid() == null ? lstm : new HybridModel(lstm, model.hybrid());
    }

    /**
     * What a report shows of a trained model: the model as it scores by default, then, for a hybrid, its LSTM alone
     * (in batches of 100 lanes x 20 steps).
     */
    public static List<NextSongModel> withItsLstm(TrainedModel model, EngineFactory engines) {
        LstmModel lstm = new LstmModel(model, 100, 20, engines);
        return model.hybrid() == null ? List.of(lstm) : List.of(new HybridModel(lstm, model.hybrid()), lstm);
    }

    @Override public String name() { return Hybrid.NAME; }

    @Override public boolean givesProbabilities() { return true; }

    @Override
    public void score(Playlists playlists, PositionSink sink) {
        lstm.score(playlists, mixing(playlists, sink));
    }

    @Override
    public void scoreLast(Playlists playlists, PositionSink sink) {
        lstm.scoreLast(playlists, mixing(playlists, sink));
    }

    private PositionSink mixing(Playlists playlists, PositionSink sink) {
        Histories histories = new Histories(hybrid.neighbours(), playlists);
        Hybrid.Votes votes = new Hybrid.Votes(playlists.songCount());
        return (p, i, scores, offset) -> {
            hybrid.mix(scores, offset, histories.at(p, i), votes);
            sink.accept(p, i, scores, offset);
        };
    }

    /**
     * Chooses the mixture weights on the validation playlists, in one pass of the LSTM: the pair of
     * {@link #WEIGHT_GRID} with the highest NDCG@20, averaged over scoring every position and scoring with the
     * history's songs excluded (the two ways the model is used); NDCG@20 rewards the first ranks most but counts
     * every hit up to 20. Ties go to the earlier pair (less weight on the neighbours). On a validation split of
     * more than {@link #MAX_TUNING_POSITIONS} positions, an even spread of its playlists holding about that many.
     */
    public static Tuning tune(NextSongModel lstm, PlaylistNeighbours neighbours, Playlists validation) {
        validation = spread(validation, MAX_TUNING_POSITIONS);
        int songs = validation.songCount();
        double[][] grid = WEIGHT_GRID;
        RankingMetrics[] all = new RankingMetrics[grid.length], unseen = new RankingMetrics[grid.length];
        for (int g = 0; g < grid.length; g++) {
            all[g] = new RankingMetrics(true);
            unseen[g] = new RankingMetrics(true);
        }
        Histories histories = new Histories(neighbours, validation);
        Hybrid.Votes votes = new Hybrid.Votes(songs);
        float[] mixed = new float[songs];
        int[] seen = new int[songs];
        Playlists part = validation;
        lstm.score(part, (p, i, scores, offset) -> {
            PlaylistNeighbours.Cursor history = histories.at(p, i);
            votes.of(history);
            int target = part.song(p, i + 1);
            int distinct = history.played(target) ? -1 : history.distinctSongs(seen);
            for (int g = 0; g < grid.length; g++) {
                Hybrid.mix(scores, offset, votes, grid[g][0], grid[g][1], mixed, 0);
                all[g].add(mixed, 0, songs, target);
                if (distinct >= 0) unseen[g].add(mixed, 0, songs, target, seen, distinct);
            }
        });
        int best = 0;
        double[] objective = new double[grid.length];
        for (int g = 0; g < grid.length; g++) {
            objective[g] = (all[g].positions() == 0 ? 0 : all[g].ndcg(20)) + (unseen[g].positions() == 0 ? 0 : unseen[g].ndcg(20));
            objective[g] /= 2;
            if (objective[g] > objective[best]) best = g;
        }
        return new Tuning(new Hybrid(neighbours, grid[best][0], grid[best][1]), objective[0], objective[best], all[0].nll(),
                all[best].nll());
    }

    /**
     * What {@link #tune} found on validation: the chosen hybrid, the objective (mean NDCG@20 with and without
     * excluding seen songs) of the LSTM alone and of the hybrid, and both NLLs.
     */
    public record Tuning(Hybrid hybrid, double lstmObjective, double hybridObjective, double lstmNll, double hybridNll) {}

    /** Playlists picked evenly (every n-th, fractionally) so that they hold about {@code positions} transitions; all when fewer. */
    static Playlists spread(Playlists playlists, long positions) {
        long total = playlists.transitions();
        if (total <= positions) return playlists;
        double share = (double) positions / total;
        java.util.List<Integer> picked = new java.util.ArrayList<>();
        for (int p = 0; p < playlists.size(); p++) if (Math.floor((p + 1) * share) > Math.floor(p * share)) picked.add(p);
        return playlists.select(picked.stream().mapToInt(Integer::intValue).toArray());
    }

    private static double[][] grid() {
        java.util.List<double[]> g = new java.util.ArrayList<>();
        for (int a = 0; a <= 9; a++) for (int b = 0; a + b <= 9; b++) g.add(new double[] {a / 10.0, b / 10.0});
        return g.toArray(double[][]::new);
    }

    /** A neighbourhood cursor per playlist in flight, brought to position i (history: songs 0..i). */
    private static final class Histories {
        private final PlaylistNeighbours neighbours;
        private final Playlists playlists;
        private final Map<Integer, PlaylistNeighbours.Cursor> inFlight = new HashMap<>();
        private final ArrayDeque<PlaylistNeighbours.Cursor> free = new ArrayDeque<>();

        Histories(PlaylistNeighbours neighbours, Playlists playlists) {
            if (neighbours.songCount() != playlists.songCount()) {
                throw new IllegalArgumentException("the neighbours know " + neighbours.songCount() + " songs, the playlists "
                        + playlists.songCount());
            }
            this.neighbours = neighbours;
            this.playlists = playlists;
        }

        PlaylistNeighbours.Cursor at(int p, int i) {
            PlaylistNeighbours.Cursor c = inFlight.get(p);
            if (c == null) {
                c = free.isEmpty() ? neighbours.cursor() : free.pop();
                c.reset();
                inFlight.put(p, c);
            }
            if (c.length() != i) { // not the next position of this playlist: replay its history
                c.reset();
                for (int j = 0; j < i; j++) c.play(playlists.song(p, j));
            }
            c.play(playlists.song(p, i));
            if (i == playlists.length(p) - 2) { // its last position: the cursor is free after this call
                inFlight.remove(p);
                free.push(c);
            }
            return c;
        }
    }
}
