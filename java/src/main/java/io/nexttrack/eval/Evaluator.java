package io.nexttrack.eval;

import io.nexttrack.data.Playlists;
import io.nexttrack.numeric.TopK;

/**
 * Runs a {@link NextSongModel} over playlists and scores it with {@link RankingMetrics}.
 *
 * <p>Every report also splits the positions it scored by their target: a REPEAT (a song already in the history,
 * as when a radio station replays a hit) or not, and gives the metrics of each part
 * ({@link EvaluationReport#repeats()}, {@link EvaluationReport#nonRepeats()}). With {@code excludeSeen} every scored
 * position is a non-repeat.
 *
 * <ul>
 *   <li>{@link Protocol#NEXT}: every next-song position ({@code n - 1} per playlist of n songs);</li>
 *   <li>{@link Protocol#LAST}: only the last song of each playlist, predicted from all earlier songs; the
 *       report adds accuracy@k for k in {@link EvaluationReport#ACCURACY_CUTOFFS}.</li>
 * </ul>
 * With {@code excludeSeen}, songs already in the history (songs {@code 0..i}) are removed from the ranking,
 * as a recommender would not play them again. A position whose target is itself in the history then has no
 * correct answer left to rank: it is SKIPPED (not scored, in no metric) and counted in
 * {@link EvaluationReport.Scoring#skippedRepeats()}; every report says so.
 *
 * <p>Given the training split's song counts, the report also describes the recommended lists: coverage,
 * popularity and novelty of each position's top {@link BeyondAccuracy#LIST_LENGTH} ({@link BeyondAccuracy}).
 *
 * <p>Ranking is single-threaded: one O(V) pass per position, well below the cost of computing the scores.
 */
public final class Evaluator {
    public enum Protocol { NEXT, LAST }

    private final Protocol protocol;
    private final boolean excludeSeen;
    private final int[] trainCounts;

    /** Accuracy only (no list metrics). */
    public Evaluator(Protocol protocol, boolean excludeSeen) {
        this(protocol, excludeSeen, null);
    }

    /** @param trainCounts occurrences of each song in the training split, for the list metrics (null: none) */
    public Evaluator(Protocol protocol, boolean excludeSeen, int[] trainCounts) {
        this.protocol = protocol;
        this.excludeSeen = excludeSeen;
        this.trainCounts = trainCounts;
    }

    public Protocol protocol() { return protocol; }

    public boolean excludeSeen() { return excludeSeen; }

    /** Evaluates the model on the playlists; {@code split} names them in the report (e.g. "test"). */
    public EvaluationReport evaluate(NextSongModel model, Playlists playlists, String split) {
        long start = System.nanoTime();
        Tally t = tally(model, playlists);
        return report(model.name(), t, split, (System.nanoTime() - start) / 1e9);
    }

    /**
     * What {@link #evaluate} measures, before it becomes a report: sums and counts only, so that tallies of parts of
     * the playlists (partitions, perhaps in other processes: it is {@link java.io.Serializable}) {@link Tally#merge
     * merged} and {@link #report reported} give exactly the numbers of one tally over all of them.
     */
    public static final class Tally implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        private final int songCount;
        private final RankingMetrics metrics, repeats, others; // every position; those whose target is a replay; the rest
        private final BeyondAccuracy lists; // null without training counts
        private long skipped;

        Tally(int songCount, boolean probabilities, BeyondAccuracy lists) {
            this.songCount = songCount;
            this.metrics = new RankingMetrics(probabilities);
            this.repeats = new RankingMetrics(probabilities);
            this.others = new RankingMetrics(probabilities);
            this.lists = lists;
        }

        public long positions() { return metrics.positions(); }

        /** Adds another tally of the same evaluation (same model, songs and evaluator) to this one. */
        public void merge(Tally other) {
            if (other.songCount != songCount || (other.lists == null) != (lists == null)) {
                throw new IllegalArgumentException("tallies of different evaluations cannot be merged");
            }
            metrics.merge(other.metrics);
            repeats.merge(other.repeats);
            others.merge(other.others);
            if (lists != null) lists.merge(other.lists);
            skipped += other.skipped;
        }
    }

    /** An empty tally of this evaluator over {@code songCount} songs: the one to merge parts into. */
    public Tally emptyTally(boolean probabilities, int songCount) {
        if (trainCounts != null && trainCounts.length != songCount) {
            throw new IllegalArgumentException("training counts for " + trainCounts.length + " songs, playlists have " + songCount);
        }
        return new Tally(songCount, probabilities, trainCounts == null ? null : new BeyondAccuracy(trainCounts));
    }

    /** The report of a (merged) tally; {@code split} names the playlists, {@code seconds} the time it took. */
    public EvaluationReport report(String modelName, Tally t, String split, double seconds) {
        if (t.lists != null && trainCounts == null) throw new IllegalArgumentException("this evaluator has no training counts");
        var scoring = new EvaluationReport.Scoring(split, protocol, excludeSeen, t.songCount, t.skipped);
        BeyondAccuracy lists = t.lists;
        if (lists != null) { // a deserialized tally lacks the per-song values: add it to a fresh one
            lists = new BeyondAccuracy(trainCounts);
            lists.merge(t.lists);
        }
        return new EvaluationReport(modelName, scoring, t.metrics, t.repeats, t.others, lists, seconds);
    }

    /** Scores the model on the playlists: every position's rank, NLL and list, not yet a report. */
    public Tally tally(NextSongModel model, Playlists playlists) {
        int songCount = playlists.songCount();
        Tally tally = emptyTally(model.givesProbabilities(), songCount);
        RankingMetrics metrics = tally.metrics;
        BeyondAccuracy lists = tally.lists;
        History history = new History(songCount);
        float[] listScores = new float[songCount];
        long[] calls = {0};
        PositionSink sink = (p, i, scores, offset) -> {
            calls[0]++;
            if (p < 0 || p >= playlists.size() || i < 0 || i > playlists.length(p) - 2) {
                throw new IllegalStateException(model.name() + " scored a position that does not exist: playlist " + p + ", position " + i);
            }
            if (protocol == Protocol.LAST && i != playlists.length(p) - 2) {
                throw new IllegalStateException(model.name() + " scored a position other than the last one");
            }
            int target = playlists.song(p, i + 1);
            int excluded = 0;
            if (excludeSeen) {
                excluded = history.collect(playlists, p, i, target);
                if (excluded < 0) {
                    tally.skipped++;
                    return;
                }
            }
            int rank = metrics.add(scores, offset, songCount, target, history.songs, excluded);
            boolean repeat = !excludeSeen && History.holds(playlists, p, i, target);
            (repeat ? tally.repeats : tally.others).record(rank, scores[offset + target]);
            if (lists != null) addList(lists, scores, offset, songCount, history.songs, excluded, listScores);
        };
        if (protocol == Protocol.LAST) model.scoreLast(playlists, sink);
        else model.score(playlists, sink);

        long expected = protocol == Protocol.LAST ? countNonTrivial(playlists) : playlists.transitions();
        if (calls[0] != expected) {
            throw new IllegalStateException(model.name() + " scored " + calls[0] + " positions, expected " + expected);
        }
        return tally;
    }

    /** The top of the ranking without the excluded songs, recorded as the recommended list. */
    private static void addList(BeyondAccuracy lists, float[] scores, int offset, int songCount, int[] excluded, int excludedCount,
                                float[] scratch) {
        float[] row = scores;
        int from = offset;
        if (excludedCount > 0) {
            System.arraycopy(scores, offset, scratch, 0, songCount);
            for (int x = 0; x < excludedCount; x++) scratch[excluded[x]] = Float.NEGATIVE_INFINITY;
            row = scratch;
            from = 0;
        }
        int[] top = TopK.of(row, from, songCount, Math.min(BeyondAccuracy.LIST_LENGTH, songCount - excludedCount));
        lists.add(top, top.length);
    }

    private static long countNonTrivial(Playlists playlists) {
        long n = 0;
        for (int p = 0; p < playlists.size(); p++) if (playlists.length(p) >= 2) n++;
        return n;
    }

    /** The distinct songs of a history, found with a stamp per song so nothing is cleared between positions. */
    private static final class History {
        final int[] songs;
        private final int[] stamp;
        private int current;

        History(int songCount) {
            songs = new int[songCount];
            stamp = new int[songCount];
        }

        /** Whether the target is among songs 0..i of playlist p (a repeat). */
        static boolean holds(Playlists playlists, int p, int i, int target) {
            for (int j = 0; j <= i; j++) if (playlists.song(p, j) == target) return true;
            return false;
        }

        /** Fills {@link #songs} with the distinct songs 0..i of playlist p; -1 when the target is among them. */
        int collect(Playlists playlists, int p, int i, int target) {
            if (++current == 0) { // wrapped around: forget all stamps
                java.util.Arrays.fill(stamp, 0);
                current = 1;
            }
            int n = 0;
            for (int j = 0; j <= i; j++) {
                int s = playlists.song(p, j);
                if (s == target) return -1;
                if (stamp[s] != current) {
                    stamp[s] = current;
                    songs[n++] = s;
                }
            }
            return n;
        }
    }
}
