package io.nexttrack.eval.baselines;

import io.nexttrack.data.Playlists;
import java.util.Arrays;

/**
 * First-order Markov baseline: {@code P(next | prev) = lambda * c(prev, next) / c(prev, .) + (1 - lambda) * P(next)},
 * the maximum-likelihood bigram linearly interpolated with the add-one unigram {@link Popularity} (Jelinek and
 * Mercer, "Interpolated estimation of Markov source parameters from sparse data", 1980; for playlists, the
 * "first-order Markov" baselines of Chen et al., "Playlist Prediction via Metric Embedding", KDD 2012, whose
 * Yes.com data this project uses). A song never seen as a predecessor gets the unigram alone. The weight
 * lambda is chosen by validation NLL over {@link #LAMBDA_GRID} ({@link #tune}); scores are log-probabilities.
 */
public final class Bigram extends HistoryScorer {
    public static final double[] LAMBDA_GRID = {0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99};
    public static final double DEFAULT_LAMBDA = 0.5;

    private double lambda;
    private double[] unigram;
    // Row prev: successors rowSongs[rowStart[prev] .. rowStart[prev+1]) (ascending) with their counts.
    private int[] rowStart;
    private int[] rowSongs;
    private int[] rowCounts;
    private int[] rowTotals;
    // Scores for the current lambda: log((1-lambda) P(s)) off the row, log of the mixture on the row.
    private float[] logUnigram;
    private float[] logBase;
    private float[] rowLogProbs;

    public Bigram() { this(DEFAULT_LAMBDA); }

    public Bigram(double lambda) { setLambda0(lambda); }

    private void setLambda0(double lambda) {
        if (!(lambda >= 0 && lambda < 1)) throw new IllegalArgumentException("lambda must be in [0, 1), got " + lambda);
        this.lambda = lambda;
    }

    /** Counts unigrams and bigrams (transitions inside playlists) of the training playlists. */
    public Bigram fit(Playlists train) {
        int v = train.songCount();
        unigram = Prior.unigram(train.songCounts());
        // Transitions as keys prev * V + next, sorted, then run-length encoded into rows.
        long[] keys = new long[(int) train.transitions()];
        int n = 0;
        for (int p = 0; p < train.size(); p++) {
            for (int i = 0; i + 1 < train.length(p); i++) keys[n++] = (long) train.song(p, i) * v + train.song(p, i + 1);
        }
        Arrays.sort(keys);
        rowStart = new int[v + 1];
        rowTotals = new int[v];
        int[] songs = new int[n], counts = new int[n];
        int entries = 0;
        for (int i = 0; i < n; i++) {
            int prev = (int) (keys[i] / v), next = (int) (keys[i] % v);
            if (i == 0 || keys[i] != keys[i - 1]) {
                songs[entries] = next;
                rowStart[prev + 1]++;
                entries++;
            }
            counts[entries - 1]++;
            rowTotals[prev]++;
        }
        for (int s = 0; s < v; s++) rowStart[s + 1] += rowStart[s];
        rowSongs = Arrays.copyOf(songs, entries);
        rowCounts = Arrays.copyOf(counts, entries);
        logUnigram = new float[v];
        for (int s = 0; s < v; s++) logUnigram[s] = (float) Math.log(unigram[s]);
        prepare();
        return this;
    }

    /**
     * Picks lambda from {@link #LAMBDA_GRID} by the lowest mean NLL on the validation playlists; keeps the
     * current lambda when they hold no transition.
     */
    public Bigram tune(Playlists validation) {
        requireFitted();
        if (validation.transitions() == 0) return this;
        double best = Double.POSITIVE_INFINITY, bestLambda = lambda;
        for (double l : LAMBDA_GRID) {
            double nll = nll(validation, l);
            if (nll < best) {
                best = nll;
                bestLambda = l;
            }
        }
        setLambda(bestLambda);
        return this;
    }

    public double lambda() { return lambda; }

    public Bigram setLambda(double lambda) {
        setLambda0(lambda);
        if (unigram != null) prepare();
        return this;
    }

    /** log P(next | prev) under the current lambda. */
    public double logProb(int prev, int next) { return Math.log(prob(prev, next, lambda)); }

    /** Mean NLL per transition of the playlists under the given lambda. */
    public double nll(Playlists playlists, double lambda) {
        requireFitted();
        requireCatalogue(playlists, unigram.length);
        double sum = 0;
        long n = 0;
        for (int p = 0; p < playlists.size(); p++) {
            for (int i = 0; i + 1 < playlists.length(p); i++) {
                sum -= Math.log(prob(playlists.song(p, i), playlists.song(p, i + 1), lambda));
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    private double prob(int prev, int next, double lambda) {
        if (rowTotals[prev] == 0) return unigram[next];
        int e = Arrays.binarySearch(rowSongs, rowStart[prev], rowStart[prev + 1], next);
        double bigram = e >= 0 ? (double) rowCounts[e] / rowTotals[prev] : 0;
        return lambda * bigram + (1 - lambda) * unigram[next];
    }

    private void prepare() {
        int v = unigram.length;
        logBase = new float[v];
        for (int s = 0; s < v; s++) logBase[s] = (float) Math.log((1 - lambda) * unigram[s]);
        rowLogProbs = new float[rowSongs.length];
        for (int prev = 0; prev < v; prev++) {
            for (int e = rowStart[prev]; e < rowStart[prev + 1]; e++) {
                rowLogProbs[e] = (float) Math.log(lambda * rowCounts[e] / rowTotals[prev] + (1 - lambda) * unigram[rowSongs[e]]);
            }
        }
    }

    private void requireFitted() {
        if (unigram == null) throw new IllegalStateException(name() + " is not fitted");
    }

    @Override public String name() { return "bigram"; }

    @Override public boolean givesProbabilities() { return true; }

    @Override int songCount() { return unigram == null ? -1 : unigram.length; }

    @Override
    Cursor cursor() {
        requireFitted();
        return new Cursor() {
            private int prev = -1;

            @Override public void reset() { prev = -1; }

            @Override public void append(int song) { prev = song; }

            @Override
            public void scoreNext(float[] out) {
                if (rowTotals[prev] == 0) {
                    System.arraycopy(logUnigram, 0, out, 0, out.length);
                    return;
                }
                System.arraycopy(logBase, 0, out, 0, out.length);
                for (int e = rowStart[prev]; e < rowStart[prev + 1]; e++) out[rowSongs[e]] = rowLogProbs[e];
            }
        };
    }
}
