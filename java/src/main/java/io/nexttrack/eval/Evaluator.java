package io.nexttrack.eval;

import io.nexttrack.data.Playlists;
import io.nexttrack.numeric.TopK;

/**
 * Runs a {@link NextSongModel} over playlists and scores it with {@link RankingMetrics}.
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
 * <p>Every report also splits the positions it scored by their target: a REPEAT (a song already in the history,
 * as when a radio station replays a hit) or not, and gives the metrics of each part
 * ({@link EvaluationReport#repeats()}, {@link EvaluationReport#nonRepeats()}). With {@code excludeSeen} every scored
 * position is a non-repeat.
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
        int songCount = playlists.songCount();
        RankingMetrics metrics = new RankingMetrics(model.givesProbabilities());
        RankingMetrics repeats = new RankingMetrics(model.givesProbabilities());
        RankingMetrics others = new RankingMetrics(model.givesProbabilities());
        History history = new History(songCount);
        if (trainCounts != null && trainCounts.length != songCount) {
            throw new IllegalArgumentException("training counts for " + trainCounts.length + " songs, playlists have " + songCount);
        }
        BeyondAccuracy lists = trainCounts == null ? null : new BeyondAccuracy(trainCounts);
        float[] listScores = new float[songCount];
        long[] calls = {0}, skipped = {0};
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
                    skipped[0]++;
                    return;
                }
            }
            int rank = metrics.add(scores, offset, songCount, target, history.songs, excluded);
            boolean repeat = !excludeSeen && History.holds(playlists, p, i, target);
            (repeat ? repeats : others).record(rank, scores[offset + target]);
            if (lists != null) addList(lists, scores, offset, songCount, history.songs, excluded, listScores);
        };
        if (protocol == Protocol.LAST) model.scoreLast(playlists, sink);
        else model.score(playlists, sink);

        long expected = protocol == Protocol.LAST ? countNonTrivial(playlists) : playlists.transitions();
        if (calls[0] != expected) {
            throw new IllegalStateException(model.name() + " scored " + calls[0] + " positions, expected " + expected);
        }
        var scoring = new EvaluationReport.Scoring(split, protocol, excludeSeen, songCount, skipped[0]);
        return new EvaluationReport(model.name(), scoring, metrics, repeats, others, lists, (System.nanoTime() - start) / 1e9);
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
