package io.nexttrack.model;

/**
 * The scoring-time part of the default model: a mixture of the LSTM's next-song distribution with two
 * distributions from the same playlist neighbours ({@link PlaylistNeighbours}) and a repeat component,
 * <pre>
 *   P_new(s | h) = (1 - a - b - d) P_lstm(s | h) + a P_set(s | h) + b P_sequence(s | h) + d P_bigram(s | h)
 *   P(s | h)     = (1 - c(h)) P_new(s | h) + c(h) P_repeat(s | h)     with c(h) = r * G(h), G(h) = sum of g(s | h) over h
 *   P_repeat(s | h) = g(s | h) v(s | h) / sum over h of g v        (g(s | h) / G(h) where no neighbour votes)
 * </pre>
 * where P_set and P_sequence normalise the neighbours' set and sequence votes for songs NOT in the history, P_bigram
 * the training playlists' transitions from the song just played (over all songs: what a rotation plays next may be
 * a replay), and
 * {@code g(s | h)} is the {@link RepeatProfile}'s chance, counted on the training playlists, that a song last played
 * so many songs ago and so many times is played next: a radio station replaying a song. Their sum G(h) estimates the
 * chance of a replay; the repeat weight r scales it (r = 1: as often as in training; when {@code c(h)} would pass
 * {@link #MAX_REPEAT_SHARE}, r is lowered for that history so that it does not). Which song is replayed also
 * follows the neighbours: {@code v(s | h)} is a history song's set vote (the similarity of the neighbours that
 * hold it), so that the songs a similar station plays most are replayed first, as session-kNN ranks them. The
 * repeat component takes its share from every song in proportion, so with the history's songs excluded the ranking
 * is that of P_new alone. A component with no vote passes its weight on (the
 * neighbours' to the LSTM). The weights are chosen on the validation split after training ({@code HybridModel.tune}
 * in the eval package). As {@code a + b < 1}, {@code c(h) < 1} and the LSTM gives every song a positive probability,
 * P is a proper distribution with no zero, so NLL stays defined. The training playlists the neighbours come from and
 * the repeat profile are saved in the model file ({@link RunCheckpoint}); a file without a repeat profile (written
 * before it existed) loads with r = 0, one without a bigram weight with d = 0.
 *
 * <p><b>Calibration.</b> Last, a {@link Temperature} per history fitted on validation after the weights
 * ({@code eval.Calibration}) sharpens or flattens the whole distribution, {@code P'(s | h) proportional to
 * P(s | h)^(1 / tau(h))}. It is monotone in each row, so no ranking changes, only the probabilities (NLL, the scores of
 * recommendations); {@link Temperature#NONE} (files written before it) is P itself.
 *
 * @param setWeight      a
 * @param sequenceWeight b
 * @param bigramWeight   d (0 in files written before it existed)
 * @param repeats        g, or null for none
 * @param repeatWeight   r (0 without a profile)
 * @param temperature    tau(h) ({@link Temperature#NONE}: no calibration)
 */
public record Hybrid(PlaylistNeighbours neighbours, double setWeight, double sequenceWeight, double bigramWeight,
                     RepeatProfile repeats, double repeatWeight, Temperature temperature) {
    /** The name of the hybrid in reports. */
    public static final String NAME = "lstm+sknn";
    /** The largest share of the probability the repeat component takes, whatever the history. */
    public static final double MAX_REPEAT_SHARE = 0.9;

    public Hybrid {
        if (!(setWeight >= 0 && sequenceWeight >= 0 && bigramWeight >= 0 && setWeight + sequenceWeight + bigramWeight < 1)) {
            throw new IllegalArgumentException("hybrid weights must be >= 0 with a sum below 1, got " + setWeight + ", " + sequenceWeight
                    + " and " + bigramWeight);
        }
        if (!(repeatWeight >= 0 && repeatWeight < Double.POSITIVE_INFINITY) || (repeatWeight > 0 && repeats == null)) {
            throw new IllegalArgumentException("the repeat weight must be finite and >= 0, and 0 without a repeat profile, got " + repeatWeight);
        }
        java.util.Objects.requireNonNull(temperature, "temperature (Temperature.NONE for none)");
    }

    /** Without calibration (temperature 1). */
    public Hybrid(PlaylistNeighbours neighbours, double setWeight, double sequenceWeight, double bigramWeight, RepeatProfile repeats,
                  double repeatWeight) {
        this(neighbours, setWeight, sequenceWeight, bigramWeight, repeats, repeatWeight, Temperature.NONE);
    }

    /** Without a bigram or a repeat component. */
    public Hybrid(PlaylistNeighbours neighbours, double setWeight, double sequenceWeight) {
        this(neighbours, setWeight, sequenceWeight, 0, null, 0);
    }

    /** Without a bigram component. */
    public Hybrid(PlaylistNeighbours neighbours, double setWeight, double sequenceWeight, RepeatProfile repeats, double repeatWeight) {
        this(neighbours, setWeight, sequenceWeight, 0, repeats, repeatWeight);
    }

    /** This hybrid with the temperature {@code tau} (the weights as they are). */
    public Hybrid withTemperature(Temperature tau) {
        return new Hybrid(neighbours, setWeight, sequenceWeight, bigramWeight, repeats, repeatWeight, tau);
    }

    /** The LSTM's share of P_new, {@code 1 - a - b - d}. */
    public double lstmWeight() { return 1 - setWeight - sequenceWeight - bigramWeight; }

    /** The weights and the temperature in words, as {@code train} prints them. */
    public String describe() {
        return String.format(java.util.Locale.ROOT, "weights lstm %.1f, set votes %.1f, sequence votes %.1f, bigram %.1f, repeats %.2f; %s",
                lstmWeight(), setWeight, sequenceWeight, bigramWeight, repeatWeight, temperature.describe());
    }

    /**
     * What the components say about one history: the two vote vectors and their sums ({@code totals[0]},
     * {@code totals[1]}), and the history's distinct songs with their repeat chances g ({@link #history()},
     * {@link #repeat()}, {@link #historySize()}; their sum in {@code totals[2]}).
     */
    public static final class Votes {
        private final float[] set, sequence, bigram;
        private final double[] totals = new double[4];
        private final int[] history;
        private final float[] repeat;
        private final float[] vote; // the history's songs' set votes
        private final float[] scratch; // addRepeats' new values of the history's songs
        private int historySize;

        public Votes(int songs) { this(new float[songs], new float[songs], new double[3]); }

        /** Given votes (and no history); {@code totals} holds their sums (and optionally a third value, ignored). */
        public Votes(float[] set, float[] sequence, double[] totals) {
            this.set = set;
            this.sequence = sequence;
            this.bigram = new float[set.length];
            this.totals[0] = totals[0];
            this.totals[1] = totals[1];
            this.history = new int[set.length];
            this.repeat = new float[set.length];
            this.vote = new float[set.length];
            this.scratch = new float[set.length + 1];
        }

        public float[] set() { return set; }

        public float[] sequence() { return sequence; }

        /** The bigram votes (counts of transitions from the song just played); their sum is {@code totals[3]}. */
        public float[] bigram() { return bigram; }

        /** Sets the bigram votes (for tests and callers with votes of their own). */
        public Votes withBigram(float[] votes, double total) {
            System.arraycopy(votes, 0, bigram, 0, votes.length);
            totals[3] = total;
            return this;
        }

        public double[] totals() { return totals; }

        /** The distinct songs of the history ({@link #historySize()} of them). */
        public int[] history() { return history; }

        /** Their repeat chances g, in the order of {@link #history()} (0 without a profile). */
        public float[] repeat() { return repeat; }

        /** Their set votes v, in the order of {@link #history()} (0 where no neighbour holds the song). */
        public float[] historyVotes() { return vote; }

        public int historySize() { return historySize; }

        /**
         * Sets the history's songs, their repeat chances and their set votes (for tests and callers with votes of their
         * own).
         */
        public Votes withHistory(int[] songs, float[] chances, float[] votes) {
            historySize = songs.length;
            double total = 0;
            for (int x = 0; x < songs.length; x++) {
                history[x] = songs[x];
                repeat[x] = chances[x];
                vote[x] = votes[x];
                total += chances[x];
            }
            totals[2] = total;
            return this;
        }

        /** Finds the neighbours of the cursor's history and fills both vote vectors (history songs get none). */
        public Votes of(PlaylistNeighbours.Cursor cursor) { return of(cursor, null); }

        /** As {@link #of(PlaylistNeighbours.Cursor)}, and the repeat chances of the history's songs under {@code profile} (may be null). */
        public Votes of(PlaylistNeighbours.Cursor cursor, RepeatProfile profile) {
            cursor.findNeighbours();
            cursor.setVotes(set, false);
            totals[1] = cursor.sequenceVotes(sequence, true);
            totals[3] = cursor.bigramVotes(bigram, false); // what followed the song just played, a replay too
            historySize = cursor.distinctSongs(history);
            double total = 0;
            for (int x = 0; x < historySize; x++) {
                int s = history[x];
                vote[x] = set[s];
                set[s] = 0; // P_set is over the songs not in the history
                repeat[x] = profile == null ? 0 : profile.probability(cursor.age(s), cursor.plays(s));
                total += repeat[x];
            }
            double setTotal = 0; // summed as the cursor sums its votes, so that the mixture is the same
            for (int x = 0; x < set.length; x++) setTotal += set[x];
            totals[0] = setTotal;
            totals[2] = total;
            return this;
        }
    }

    /**
     * Turns a row of LSTM log-probabilities ({@code logProbs[offset .. offset + V)}) into the hybrid's, in place,
     * for the history held by {@code cursor}, calibrated by the temperature; {@code votes} is scratch space.
     */
    public void mix(float[] logProbs, int offset, PlaylistNeighbours.Cursor cursor, Votes votes) {
        votes.of(cursor, repeats);
        mix(logProbs, offset, votes, setWeight, sequenceWeight, bigramWeight, logProbs, offset);
        addRepeats(logProbs, offset, votes, repeatWeight, logProbs, offset);
        temperature.apply(logProbs, offset, votes.set().length, cursor.length());
    }

    /** {@link #mix(float[], int, Votes, double, double, double, float[], int)} without the bigram. */
    public static void mix(float[] lstm, int offset, Votes votes, double setWeight, double sequenceWeight, float[] out, int outOffset) {
        mix(lstm, offset, votes, setWeight, sequenceWeight, 0, out, outOffset);
    }

    /**
     * {@code out[s] = log((1 - a - b - d) exp(lstm[s]) + a set[s] / setTotal + b sequence[s] / sequenceTotal
     * + d bigram[s] / bigramTotal)} for every song s, where a component without votes gives its weight to the LSTM.
     * {@code out} may be {@code lstm} (in place).
     */
    public static void mix(float[] lstm, int offset, Votes votes, double setWeight, double sequenceWeight, double bigramWeight, float[] out,
                           int outOffset) {
        int songs = votes.set().length;
        double setTotal = votes.totals()[0], sequenceTotal = votes.totals()[1], bigramTotal = votes.totals()[3];
        double a = setTotal > 0 ? setWeight : 0, b = sequenceTotal > 0 ? sequenceWeight : 0, d = bigramTotal > 0 ? bigramWeight : 0;
        if (a == 0 && b == 0 && d == 0) {
            if (out != lstm || outOffset != offset) System.arraycopy(lstm, offset, out, outOffset, songs);
            return;
        }
        double keep = 1 - a - b - d, setShare = a == 0 ? 0 : a / setTotal, sequenceShare = b == 0 ? 0 : b / sequenceTotal;
        double bigramShare = d == 0 ? 0 : d / bigramTotal;
        float logKeep = (float) Math.log(keep);
        float[] set = votes.set(), sequence = votes.sequence(), bigram = votes.bigram;
        for (int s = 0; s < songs; s++) {
            float l = lstm[offset + s];
            double knn = setShare * set[s] + sequenceShare * sequence[s] + bigramShare * bigram[s];
            out[outOffset + s] = knn > 0 ? (float) Math.log(keep * Math.exp(l) + knn) : l + logKeep;
        }
    }

    /**
     * Adds the repeat component to a row of log-probabilities: {@code out[s] = log((1 - c) exp(row[s]) + c P_repeat(s))}
     * for the history's songs and {@code row[s] + log(1 - c)} for the others, with {@code c = r' G}, {@code r' = r}
     * lowered to keep c at most {@link #MAX_REPEAT_SHARE}, and {@code P_repeat(s) = g(s) v(s) / sum g v} (or
     * {@code g(s) / G} when no history song has a vote). No history or {@code r = 0}: a copy. {@code out} may be
     * {@code row} (in place).
     */
    public static void addRepeats(float[] row, int offset, Votes votes, double repeatWeight, float[] out, int outOffset) {
        int songs = votes.set().length;
        if (Float.isNaN(replayed(row, offset, votes, repeatWeight, votes.scratch))) {
            if (out != row || outOffset != offset) System.arraycopy(row, offset, out, outOffset, songs);
            return;
        }
        float logRest = votes.scratch[votes.historySize()];
        for (int s = 0; s < songs; s++) out[outOffset + s] = row[offset + s] + logRest;
        int[] history = votes.history();
        for (int x = 0; x < votes.historySize(); x++) out[outOffset + history[x]] = votes.scratch[x];
    }

    /**
     * The part of {@link #addRepeats} that touches the history's songs: their new values, in the order of
     * {@link Votes#history()}, go to {@code replayed[0 .. historySize)}, and {@code log(1 - c)}, which every other song
     * gains, to {@code replayed[historySize]} and is returned; NaN when the component adds nothing (weight 0, no
     * history, or no repeat chance). {@code replayed} needs {@code historySize + 1} places.
     */
    public static float replayed(float[] row, int offset, Votes votes, double repeatWeight, float[] replayed) {
        double total = votes.totals()[2];
        if (!(repeatWeight > 0 && total > 0)) return Float.NaN;
        double share = Math.min(repeatWeight * total, MAX_REPEAT_SHARE);
        int[] history = votes.history();
        float[] repeat = votes.repeat(), vote = votes.vote;
        int n = votes.historySize();
        double weighted = 0;
        for (int x = 0; x < n; x++) weighted += (double) repeat[x] * vote[x];
        for (int x = 0; x < n; x++) {
            double p = weighted > 0 ? repeat[x] * vote[x] / weighted : repeat[x] / total;
            replayed[x] = (float) Math.log((1 - share) * Math.exp(row[offset + history[x]]) + share * p);
        }
        return replayed[n] = (float) Math.log(1 - share);
    }
}
