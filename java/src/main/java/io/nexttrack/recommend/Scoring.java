package io.nexttrack.recommend;

import io.nexttrack.engine.Scorer;
import io.nexttrack.numeric.TopK;
import io.nexttrack.model.TrainedModel;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/** Turns a row of log-probabilities into ranked recommendations (optional exclusion, top-k). */
final class Scoring {
    private Scoring() {}

    /** The k best songs of a log-probability row; songs in {@code exclude} (if not null) are never listed. */
    static List<Recommendation> top(TrainedModel model, float[] logProbs, int offset, int k, BitSet exclude) {
        int n = model.config().songs();
        if (exclude != null) {
            for (int s = exclude.nextSetBit(0); s >= 0; s = exclude.nextSetBit(s + 1)) logProbs[offset + s] = Float.NEGATIVE_INFINITY;
        }
        int[] best = TopK.of(logProbs, offset, n, Math.min(k, n - (exclude == null ? 0 : exclude.cardinality())));
        List<Recommendation> out = new ArrayList<>(best.length);
        for (int s : best) out.add(recommendation(model, out.size() + 1, s, logProbs[offset + s]));
        return out;
    }

    /** The first k songs of an engine's top list that are not in {@code exclude} (if not null). */
    static List<Recommendation> ranked(TrainedModel model, Scorer.Top top, int k, BitSet exclude) {
        List<Recommendation> out = new ArrayList<>(k);
        for (int i = 0; i < top.songs().length && out.size() < k; i++) {
            int s = top.songs()[i];
            if (exclude == null || !exclude.get(s)) out.add(recommendation(model, out.size() + 1, s, top.logProbabilities()[i]));
        }
        return out;
    }

    private static Recommendation recommendation(TrainedModel model, int rank, int s, float score) {
        return new Recommendation(rank, s, model.vocabulary().externalId(s), model.catalog().title(s), model.catalog().artist(s), score);
    }
}
