package io.nexttrack.recommend;

import io.nexttrack.eval.TopK;
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
        for (int r = 0; r < best.length; r++) {
            int s = best[r];
            out.add(new Recommendation(r + 1, s, model.vocabulary().externalId(s), model.catalog().title(s),
                    model.catalog().artist(s), logProbs[offset + s]));
        }
        return out;
    }
}
