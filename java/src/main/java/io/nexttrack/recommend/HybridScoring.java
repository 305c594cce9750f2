package io.nexttrack.recommend;

import io.nexttrack.model.Hybrid;
import io.nexttrack.model.PlaylistNeighbours;
import io.nexttrack.model.TrainedModel;

/** A model's {@link Hybrid} with the per-history state it needs: a neighbourhood cursor and vote buffers. */
final class HybridScoring {
    private final Hybrid hybrid;
    final PlaylistNeighbours.Cursor cursor;
    private final Hybrid.Votes votes;

    private HybridScoring(Hybrid hybrid) {
        this.hybrid = hybrid;
        this.cursor = hybrid.neighbours().cursor();
        this.votes = new Hybrid.Votes(hybrid.neighbours().songCount());
    }

    /** Null when the model is the LSTM alone. */
    static HybridScoring of(TrainedModel model) {
        return model.hybrid() == null ? null : new HybridScoring(model.hybrid());
    }

    /** Mixes the neighbours of the cursor's history into a row of LSTM log-probabilities, in place. */
    void mix(float[] logProbs, int offset) {
        hybrid.mix(logProbs, offset, cursor, votes);
    }
}
