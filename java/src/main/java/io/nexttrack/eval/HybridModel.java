package io.nexttrack.eval;

import io.nexttrack.data.Playlists;
import io.nexttrack.model.Hybrid;
import io.nexttrack.model.PlaylistNeighbours;
import io.nexttrack.model.TrainedModel;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The default model as a {@link NextSongModel}: the LSTM's log-probabilities at each position, mixed with the
 * playlist neighbours of the same history by {@link Hybrid#mix} (the one implementation the recommender uses
 * too). The LSTM may visit playlists in any order (it batches them by length); a neighbourhood cursor follows
 * each playlist in flight, one song per position, and replays the history when positions come out of order.
 */
public final class HybridModel implements NextSongModel {
    /** Mixture weights {@link #tune} tries: 0 (the LSTM alone), 0.05, ..., 0.95. */
    public static final double[] WEIGHT_GRID = grid();

    private final NextSongModel lstm;
    private final Hybrid hybrid;

    /** @param lstm scores log-probabilities (the LSTM) */
    public HybridModel(NextSongModel lstm, Hybrid hybrid) {
        if (!lstm.givesProbabilities()) throw new IllegalArgumentException(lstm.name() + " gives no probabilities to mix");
        this.lstm = lstm;
        this.hybrid = hybrid;
    }

    /** The trained model as scored by default: the hybrid when it has one, else the LSTM alone. */
    public static NextSongModel of(TrainedModel model, int lanes, int steps, int threads) {
        LstmModel lstm = new LstmModel(model, lanes, steps, threads);
        return model.hybrid() == null ? lstm : new HybridModel(lstm, model.hybrid());
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
        float[] votes = new float[playlists.songCount()];
        return (p, i, scores, offset) -> {
            hybrid.mix(scores, offset, histories.at(p, i), votes);
            sink.accept(p, i, scores, offset);
        };
    }

    /**
     * Chooses the mixture weight on the validation playlists: the one of {@link #WEIGHT_GRID} with the highest
     * mean of MRR@20 over every position and MRR@20 with the history's songs excluded (the two ways the model is
     * used), in one pass of the LSTM; ties go to the smaller weight. Returns the hybrid with that weight (0 when
     * there is nothing to validate on).
     */
    public static Tuning tune(NextSongModel lstm, PlaylistNeighbours neighbours, Playlists validation) {
        int songs = validation.songCount();
        double[] grid = WEIGHT_GRID;
        RankingMetrics[] all = new RankingMetrics[grid.length], unseen = new RankingMetrics[grid.length];
        for (int g = 0; g < grid.length; g++) {
            all[g] = new RankingMetrics(true);
            unseen[g] = new RankingMetrics(true);
        }
        Histories histories = new Histories(neighbours, validation);
        float[] votes = new float[songs], mixed = new float[songs];
        int[] seen = new int[songs];
        lstm.score(validation, (p, i, scores, offset) -> {
            PlaylistNeighbours.Cursor history = histories.at(p, i);
            double total = history.vote(votes, true);
            int target = validation.song(p, i + 1);
            int distinct = history.played(target) ? -1 : history.distinctSongs(seen);
            for (int g = 0; g < grid.length; g++) {
                Hybrid.mix(scores, offset, votes, total, grid[g], mixed, 0);
                all[g].add(mixed, 0, songs, target);
                if (distinct >= 0) unseen[g].add(mixed, 0, songs, target, seen, distinct);
            }
        });
        int best = 0;
        double[] objective = new double[grid.length];
        for (int g = 0; g < grid.length; g++) {
            objective[g] = all[g].positions() == 0 ? 0 : (all[g].mrr(20) + (unseen[g].positions() == 0 ? 0 : unseen[g].mrr(20))) / 2;
            if (objective[g] > objective[best]) best = g;
        }
        return new Tuning(new Hybrid(neighbours, grid[best]), objective[0], objective[best], all[best].nll(), all[0].nll());
    }

    /**
     * What {@link #tune} found on validation: the chosen hybrid, the objective (mean MRR@20 with and without
     * excluding seen songs) of the LSTM alone and of the hybrid, and both NLLs.
     */
    public record Tuning(Hybrid hybrid, double lstmObjective, double hybridObjective, double hybridNll, double lstmNll) {}

    private static double[] grid() {
        double[] g = new double[20];
        for (int i = 0; i < g.length; i++) g[i] = i * 0.05;
        return g;
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
