package io.nexttrack.eval.baselines;

import io.nexttrack.data.Playlists;

/**
 * Most-popular baseline: the same add-one smoothed unigram distribution {@code (count + 1) / (tokens + V)}
 * at every position, whatever the history. The standard floor of session-based recommendation
 * (e.g. "POP" in Ludewig and Jannach, "Evaluation of Session-based Recommendation Algorithms", UMUAI 2018);
 * scores are log-probabilities.
 */
public final class Popularity extends HistoryScorer {
    private float[] logProbs;

    /** Counts song occurrences in the training playlists. */
    public Popularity fit(Playlists train) {
        double[] p = Prior.unigram(train.songCounts());
        logProbs = new float[p.length];
        for (int s = 0; s < p.length; s++) logProbs[s] = (float) Math.log(p[s]);
        return this;
    }

    /** log P(song) after fitting. */
    public double logProb(int song) { return logProbs[song]; }

    @Override public String name() { return "popularity"; }

    @Override public boolean givesProbabilities() { return true; }

    @Override int songCount() { return logProbs == null ? -1 : logProbs.length; }

    @Override
    Cursor cursor() {
        float[] scores = logProbs;
        return new Cursor() {
            @Override public void reset() {}

            @Override public void append(int song) {}

            @Override public void scoreNext(float[] out) { System.arraycopy(scores, 0, out, 0, scores.length); }
        };
    }
}
