package io.nexttrack.eval;

import io.nexttrack.data.Playlists;
import io.nexttrack.engine.EngineFactory;
import io.nexttrack.model.Hybrid;
import io.nexttrack.model.PlaylistNeighbours;
import io.nexttrack.model.RepeatProfile;
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
    /**
     * The weights (set, sequence, bigram) {@link #tune} tries: set and sequence multiples of 0.1, the bigram 0, 0.2, 0.4
     * or 0.6, summing to at most 0.9; (0, 0, 0) first.
     */
    public static final double[][] WEIGHT_GRID = grid();
    /**
     * {@link #tune} reads at most about this many validation positions (playlists spread evenly over the split),
     * so that its cost stays bounded on large data; a few weights on a 0.1 grid need no more.
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

    /** The repeat weights {@link #tune} tries (r of {@link Hybrid}; 1: replays as often as in training). */
    public static final double[] REPEAT_GRID = {0, 0.25, 0.5, 0.75, 1, 1.5};
    /**
     * Mixtures whose smallest margin is within this of the best one are told apart by their mean margin
     * ({@link #tune}): near-ties, such as mixtures that differ only in what the smallest margin does not see (the
     * repeat weight when it is an excluded metric), are settled by all the metrics. Well below a margin's noise (hit@1
     * on ten thousand positions: a few per cent).
     */
    public static final double MARGIN_TOLERANCE = 0.005;
    /** The metrics {@link #tune} compares with the baselines, each with and without excluding the history's songs. */
    static final String[] METRICS = {"hit@1", "hit@10", "hit@20", "hit@100", "mrr@20", "ndcg@20"};

    /**
     * Chooses the mixture on the validation playlists, in one pass of the LSTM. Fits the {@link RepeatProfile} on the
     * neighbours' playlists (the training split) and scores the {@code baselines} (fitted on the same; e.g.
     * {@code Baselines.fitAll}) on the same positions. Then, for every mixture of {@link #WEIGHT_GRID} x
     * {@link #REPEAT_GRID}, the margin of each of {@link #METRICS} over the best baseline on that metric,
     * {@code hybrid / best - 1}, scoring every position and scoring with the history's songs excluded (the two ways the
     * model is used): 12 margins. The mixture kept has the largest SMALLEST margin, so that the default stays ahead on
     * every metric rather than on one; among those within {@link #MARGIN_TOLERANCE} of it, the one with the largest
     * mean margin; ties go to the earlier mixture (less weight on the neighbours and the repeats). The repeat weights
     * of one mixture of the neighbours cost little: only the history's songs are ranked again (the others all gain
     * the same {@code log(1 - c)}), except at positions whose target is a repeat. Without baselines
     * the margins are over the LSTM alone. On a validation split of more than {@link #MAX_TUNING_POSITIONS}
     * positions, an even spread of its playlists holding about that many. Last, with the weights fixed, the
     * temperature that minimises the NLL on (part of) the same positions ({@link Calibration}): no ranking changes.
     */
    public static Tuning tune(NextSongModel lstm, PlaylistNeighbours neighbours, Playlists validation, List<NextSongModel> baselines) {
        Playlists part = spread(validation, MAX_TUNING_POSITIONS);
        double[][] best = baselines.isEmpty() ? null : bestBaselines(baselines, part);
        return tune(lstm, neighbours, RepeatProfile.fit(neighbours.playlists()), part, best);
    }

    /**
     * {@link #tune} against given best baseline values ({@code best[excluded ? 1 : 0][metric]}, {@link #METRICS}; null:
     * the LSTM's own).
     */
    static Tuning tune(NextSongModel lstm, PlaylistNeighbours neighbours, RepeatProfile repeats, Playlists part, double[][] best) {
        int songs = part.songCount();
        double[][] grid = WEIGHT_GRID;
        int mixes = grid.length * REPEAT_GRID.length;
        RankingMetrics[] all = new RankingMetrics[mixes], unseen = new RankingMetrics[mixes];
        for (int g = 0; g < mixes; g++) {
            all[g] = new RankingMetrics(true);
            unseen[g] = new RankingMetrics(true);
        }
        Histories histories = new Histories(neighbours, part);
        Hybrid.Votes votes = new Hybrid.Votes(songs);
        float[] mixed = new float[songs], withRepeats = new float[songs], replayed = new float[songs + 1];
        lstm.score(part, (p, i, scores, offset) -> {
            PlaylistNeighbours.Cursor history = histories.at(p, i);
            votes.of(history, repeats);
            int target = part.song(p, i + 1);
            boolean repeat = history.played(target);
            int[] songsPlayed = votes.history();
            int played = votes.historySize();
            for (int g = 0; g < grid.length; g++) {
                Hybrid.mix(scores, offset, votes, grid[g][0], grid[g][1], grid[g][2], mixed, 0);
                int m = g * REPEAT_GRID.length;
                all[m].add(mixed, 0, songs, target);
                int unseenRank = repeat ? 0 : unseen[m].add(mixed, 0, songs, target, songsPlayed, played);
                for (int r = 1; r < REPEAT_GRID.length; r++) {
                    m++;
                    if (repeat) { // the target's own value changes: rank the whole row
                        Hybrid.addRepeats(mixed, 0, votes, REPEAT_GRID[r], withRepeats, 0);
                        all[m].add(withRepeats, 0, songs, target);
                        continue;
                    }
                    // Every song outside the history, the target too, gains the same log(1 - c): their order, and so the
                    // rank with the history excluded, stays (up to float rounding of the shared shift); the history's
                    // songs are counted again.
                    float rest = Hybrid.replayed(mixed, 0, votes, REPEAT_GRID[r], replayed);
                    float t = Float.isNaN(rest) ? mixed[target] : mixed[target] + rest;
                    int above = 0;
                    for (int x = 0; x < played; x++) if ((Float.isNaN(rest) ? mixed[songsPlayed[x]] : replayed[x]) >= t) above++;
                    all[m].record(unseenRank + above, t);
                    unseen[m].record(unseenRank, t);
                }
            }
        });
        if (best == null) best = new double[][] {values(all[0]), unseen[0].positions() == 0 ? new double[METRICS.length] : values(unseen[0])};
        double[] smallest = new double[mixes], mean = new double[mixes];
        String[] weakest = new String[mixes];
        for (int m = 0; m < mixes; m++) {
            smallest[m] = Double.POSITIVE_INFINITY;
            int n = 0;
            for (int e = 0; e < 2; e++) {
                RankingMetrics x = e == 0 ? all[m] : unseen[m];
                if (x.positions() == 0) continue;
                double[] values = values(x);
                for (int k = 0; k < METRICS.length; k++) {
                    double margin = margin(values[k], best[e][k]);
                    mean[m] += margin;
                    n++;
                    if (margin < smallest[m]) {
                        smallest[m] = margin;
                        weakest[m] = (e == 1 ? "excl. " : "") + METRICS[k];
                    }
                }
            }
            mean[m] = n == 0 ? 0 : mean[m] / n;
            if (n == 0) smallest[m] = 0;
        }
        int chosen = choose(smallest, mean);
        double[] w = grid[chosen / REPEAT_GRID.length];
        double r = REPEAT_GRID[chosen % REPEAT_GRID.length];
        Hybrid hybrid = new Hybrid(neighbours, w[0], w[1], w[2], repeats, r);
        Calibration.Fit calibration = Calibration.fit(new HybridModel(lstm, hybrid), part);
        return new Tuning(hybrid.withTemperature(calibration.temperature()), smallest[0], smallest[chosen], weakest[chosen], all[0].nll(),
                all[chosen].nll(), calibration);
    }

    /**
     * The mixture with the largest smallest margin, or, among those within {@link #MARGIN_TOLERANCE} of it, the one with
     * the largest mean margin; the earliest of equals.
     */
    static int choose(double[] smallest, double[] mean) {
        double top = Double.NEGATIVE_INFINITY;
        for (double x : smallest) top = Math.max(top, x);
        int chosen = -1;
        for (int m = 0; m < smallest.length; m++) {
            if (smallest[m] >= top - MARGIN_TOLERANCE && (chosen < 0 || mean[m] > mean[chosen])) chosen = m;
        }
        return chosen;
    }

    /**
     * What {@link #tune} found on validation: the chosen hybrid (its temperature fitted last), the smallest margin over
     * the best baseline of the LSTM alone and of the hybrid (a share: 0.05 is 5 % ahead), the metric where the hybrid's
     * is found, both NLLs (the hybrid's before calibration), and the calibration's fit.
     */
    public record Tuning(Hybrid hybrid, double lstmMargin, double hybridMargin, String weakest, double lstmNll, double hybridNll,
                         Calibration.Fit calibration) {}

    /** The relative margin of a value over the best baseline's; a baseline at 0 counts as beaten by any value above 0. */
    static double margin(double value, double baseline) {
        return baseline > 0 ? value / baseline - 1 : value > 0 ? 1 : 0;
    }

    private static double[] values(RankingMetrics m) {
        return new double[] {m.hitRate(1), m.hitRate(10), m.hitRate(20), m.hitRate(100), m.mrr(20), m.ndcg(20)};
    }

    /**
     * The best value of each of {@link #METRICS} over the models on {@code part}, scoring every position
     * ({@code [0]}) and with the history's songs excluded ({@code [1]}).
     */
    static double[][] bestBaselines(List<NextSongModel> models, Playlists part) {
        double[][] best = new double[2][METRICS.length];
        for (NextSongModel model : models) {
            RankingMetrics[] both = bothWays(model, part);
            for (int e = 0; e < 2; e++) {
                if (both[e].positions() == 0) continue;
                double[] v = values(both[e]);
                for (int k = 0; k < v.length; k++) best[e][k] = Math.max(best[e][k], v[k]);
            }
        }
        return best;
    }

    /** Scores a model once, with and without excluding the history's songs (as {@link Evaluator} does). */
    static RankingMetrics[] bothWays(NextSongModel model, Playlists part) {
        RankingMetrics all = new RankingMetrics(model.givesProbabilities()), unseen = new RankingMetrics(model.givesProbabilities());
        int songs = part.songCount();
        int[] stamp = new int[songs], distinct = new int[songs];
        int[] current = {0};
        model.score(part, (p, i, scores, offset) -> {
            int target = part.song(p, i + 1);
            all.add(scores, offset, songs, target);
            current[0]++;
            int n = 0;
            for (int j = 0; j <= i; j++) {
                int s = part.song(p, j);
                if (s == target) return;
                if (stamp[s] != current[0]) {
                    stamp[s] = current[0];
                    distinct[n++] = s;
                }
            }
            unseen.add(scores, offset, songs, target, distinct, n);
        });
        return new RankingMetrics[] {all, unseen};
    }

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
        for (int d = 0; d <= 6; d += 2) {
            for (int a = 0; a + d <= 9; a++) for (int b = 0; a + b + d <= 9; b++) g.add(new double[] {a / 10.0, b / 10.0, d / 10.0});
        }
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
