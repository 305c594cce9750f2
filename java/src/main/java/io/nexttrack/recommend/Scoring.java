package io.nexttrack.recommend;

import io.nexttrack.eval.TopK;
import io.nexttrack.model.TrainedModel;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/** Turns a row of logits into ranked recommendations (log-softmax, optional exclusion, top-k). */
final class Scoring {
    private Scoring() {}

    /** Normalises logits[offset, offset+n) into log-probabilities in place. */
    static void logSoftmax(float[] logits, int offset, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = offset; i < offset + n; i++) max = Math.max(max, logits[i]);
        double sum = 0;
        for (int i = offset; i < offset + n; i++) sum += Math.exp(logits[i] - max);
        float logZ = (float) (max + Math.log(sum));
        for (int i = offset; i < offset + n; i++) logits[i] -= logZ;
    }

    /** The k best songs of a log-probability row; songs in {@code exclude} (if not null) are never listed. */
    static List<Recommendation> top(TrainedModel model, float[] logProbs, int offset, int k, BitSet exclude) {
        int n = model.config().songs();
        if (exclude != null) {
            for (int s = exclude.nextSetBit(0); s >= 0; s = exclude.nextSetBit(s + 1)) logProbs[offset + s] = Float.NEGATIVE_INFINITY;
        }
        int[] best = TopK.indices(logProbs, offset, n, Math.min(k, n - (exclude == null ? 0 : exclude.cardinality())));
        List<Recommendation> out = new ArrayList<>(best.length);
        for (int r = 0; r < best.length; r++) {
            int s = best[r];
            out.add(new Recommendation(r + 1, s, model.vocabulary().externalId(s), model.catalog().title(s),
                    model.catalog().artist(s), logProbs[offset + s]));
        }
        return out;
    }
}
