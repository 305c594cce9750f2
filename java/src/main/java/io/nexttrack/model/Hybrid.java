package io.nexttrack.model;

/**
 * The scoring-time part of the default model: a mixture of the LSTM's next-song distribution with two
 * distributions from the same playlist neighbours ({@link PlaylistNeighbours}),
 * <pre>
 *   P(s | history) = (1 - a - b) P_lstm(s | history) + a P_set(s | history) + b P_sequence(s | history)
 * </pre>
 * where P_set and P_sequence normalise the neighbours' set and sequence votes for songs NOT in the history
 * (repeats are left to the LSTM). A component with no vote for any new song passes its weight to the LSTM. The
 * weights a and b are chosen on the validation split after training ({@code HybridModel.tune} in the eval package).
 * As {@code a + b < 1} and the LSTM gives every song a positive probability, P is a proper distribution with no
 * zero, so NLL stays defined. The training playlists the neighbours come from are saved in the model file
 * ({@link RunCheckpoint}).
 *
 * @param setWeight      a
 * @param sequenceWeight b
 */
public record Hybrid(PlaylistNeighbours neighbours, double setWeight, double sequenceWeight) {
    /** The name of the hybrid in reports. */
    public static final String NAME = "lstm+sknn";

    public Hybrid {
        if (!(setWeight >= 0 && sequenceWeight >= 0 && setWeight + sequenceWeight < 1)) {
            throw new IllegalArgumentException("hybrid weights must be >= 0 with a sum below 1, got " + setWeight + " and " + sequenceWeight);
        }
    }

    /** The LSTM's share, {@code 1 - a - b}. */
    public double lstmWeight() { return 1 - setWeight - sequenceWeight; }

    /** The two vote vectors of one history, and their sums. */
    public record Votes(float[] set, float[] sequence, double[] totals) {
        public Votes(int songs) { this(new float[songs], new float[songs], new double[2]); }

        /** Finds the neighbours of the cursor's history and fills both vote vectors (history songs get none). */
        public Votes of(PlaylistNeighbours.Cursor cursor) {
            cursor.findNeighbours();
            totals[0] = cursor.setVotes(set, true);
            totals[1] = cursor.sequenceVotes(sequence, true);
            return this;
        }
    }

    /**
     * Turns a row of LSTM log-probabilities ({@code logProbs[offset .. offset + V)}) into the hybrid's, in place,
     * for the history held by {@code cursor}; {@code votes} is scratch space.
     */
    public void mix(float[] logProbs, int offset, PlaylistNeighbours.Cursor cursor, Votes votes) {
        mix(logProbs, offset, votes.of(cursor), setWeight, sequenceWeight, logProbs, offset);
    }

    /**
     * {@code out[s] = log((1 - a - b) exp(lstm[s]) + a set[s] / setTotal + b sequence[s] / sequenceTotal)} for every
     * song s, where a component without votes gives its weight to the LSTM. {@code out} may be {@code lstm} (in place).
     */
    public static void mix(float[] lstm, int offset, Votes votes, double setWeight, double sequenceWeight, float[] out, int outOffset) {
        int songs = votes.set().length;
        double setTotal = votes.totals()[0], sequenceTotal = votes.totals()[1];
        double a = setTotal > 0 ? setWeight : 0, b = sequenceTotal > 0 ? sequenceWeight : 0;
        if (a == 0 && b == 0) {
            if (out != lstm || outOffset != offset) System.arraycopy(lstm, offset, out, outOffset, songs);
            return;
        }
        double keep = 1 - a - b, setShare = a == 0 ? 0 : a / setTotal, sequenceShare = b == 0 ? 0 : b / sequenceTotal;
        float logKeep = (float) Math.log(keep);
        float[] set = votes.set(), sequence = votes.sequence();
        for (int s = 0; s < songs; s++) {
            float l = lstm[offset + s];
            double knn = setShare * set[s] + sequenceShare * sequence[s];
            out[outOffset + s] = knn > 0 ? (float) Math.log(keep * Math.exp(l) + knn) : l + logKeep;
        }
    }
}
