package io.nexttrack.model;

import io.nexttrack.data.Playlists;

/**
 * The scoring-time part of the default model: a mixture of the LSTM's next-song distribution with a
 * playlist-neighbourhood one,
 * <pre>
 *   P(s | history) = (1 - w) P_lstm(s | history) + w P_knn(s | history)
 * </pre>
 * where P_knn normalises the votes of {@link PlaylistNeighbours} (sequence votes by default) for songs NOT in
 * the history; repeats are left to the LSTM. When no neighbour votes for a new song, P is the LSTM's alone. The
 * weight w is chosen on the validation split after training ({@code HybridModel.tune} in the eval package). As
 * w < 1 and the LSTM gives every song a positive probability, P is a proper distribution with no zero, so NLL
 * stays defined. The training playlists the neighbours come from are saved in the model file.
 *
 * @param weight w, in [0, 1)
 */
public record Hybrid(PlaylistNeighbours neighbours, double weight) {
    /** The name of the hybrid in reports. */
    public static final String NAME = "lstm+sknn";

    public Hybrid {
        if (!(weight >= 0 && weight < 1)) throw new IllegalArgumentException("hybrid weight must be in [0, 1), got " + weight);
    }

    /**
     * Turns a row of LSTM log-probabilities ({@code logProbs[offset .. offset + V)}) into the hybrid's, in place,
     * for the history held by {@code cursor}; {@code votes} is scratch space of V floats.
     */
    public void mix(float[] logProbs, int offset, PlaylistNeighbours.Cursor cursor, float[] votes) {
        double total = cursor.vote(votes, true);
        mix(logProbs, offset, votes, total, weight, logProbs, offset);
    }

    /**
     * {@code out[s] = log((1 - weight) exp(lstm[s]) + weight votes[s] / total)} for every song s; with no votes
     * ({@code total == 0}) the LSTM's row is copied. {@code out} may be {@code lstm} (in place).
     */
    public static void mix(float[] lstm, int offset, float[] votes, double total, double weight, float[] out, int outOffset) {
        int songs = votes.length;
        if (!(total > 0) || weight == 0) {
            if (out != lstm || outOffset != offset) System.arraycopy(lstm, offset, out, outOffset, songs);
            return;
        }
        double keep = 1 - weight, share = weight / total;
        float logKeep = (float) Math.log(keep);
        for (int s = 0; s < songs; s++) {
            float l = lstm[offset + s];
            out[outOffset + s] = votes[s] > 0 ? (float) Math.log(keep * Math.exp(l) + share * votes[s]) : l + logKeep;
        }
    }

    // ---- the model file: settings in the header, the training playlists as tensors ----

    /** Song ids and lengths are stored as float32 tensors, exact below 2^24. */
    private static final int EXACT_FLOAT_INTS = 1 << 24;

    void encode(Checkpoint ck) {
        PlaylistNeighbours.Settings s = neighbours.settings();
        ck.put("hybrid.weight", weight).put("hybrid.k", s.k()).put("hybrid.sample", s.sample()).put("hybrid.votes", s.votes())
                .put("hybrid.decay", s.decay()).put("hybrid.before", s.before());
        Playlists p = neighbours.playlists();
        if (p.songCount() > EXACT_FLOAT_INTS) throw new IllegalStateException("catalogues over 2^24 songs cannot be stored");
        float[] lengths = new float[p.size()], songs = new float[p.songs().length];
        for (int i = 0; i < lengths.length; i++) lengths[i] = p.length(i);
        for (int i = 0; i < songs.length; i++) songs[i] = p.songs()[i];
        ck.putTensor("hybrid.playlist_lengths", 1, lengths.length, lengths);
        ck.putTensor("hybrid.playlist_songs", 1, songs.length, songs);
    }

    /** The hybrid stored in a model file, or null when it holds the LSTM alone. */
    static Hybrid decode(Checkpoint ck, int songCount) {
        if (ck.get("hybrid.weight", null) == null) return null;
        var settings = new PlaylistNeighbours.Settings(ck.getInt("hybrid.k"), ck.getInt("hybrid.sample"),
                PlaylistNeighbours.Votes.valueOf(ck.get("hybrid.votes")), ck.getDouble("hybrid.decay"), ck.getDouble("hybrid.before"));
        float[] lengths = ck.tensor("hybrid.playlist_lengths"), songs = ck.tensor("hybrid.playlist_songs");
        int[] offsets = new int[lengths.length + 1], ids = new int[songs.length];
        for (int i = 0; i < lengths.length; i++) {
            if (!(lengths[i] >= 0 && lengths[i] == (int) lengths[i]) || offsets[i] + (long) lengths[i] > songs.length) {
                throw new Checkpoint.CheckpointException("hybrid playlists have an invalid length " + lengths[i]);
            }
            offsets[i + 1] = offsets[i] + (int) lengths[i];
        }
        for (int i = 0; i < songs.length; i++) {
            ids[i] = (int) songs[i];
            if (ids[i] != songs[i] || ids[i] < 0 || ids[i] >= songCount) {
                throw new Checkpoint.CheckpointException("hybrid playlists hold an invalid song id " + songs[i]);
            }
        }
        if (offsets[lengths.length] != ids.length) throw new Checkpoint.CheckpointException("hybrid playlist lengths do not add up");
        return new Hybrid(new PlaylistNeighbours(new Playlists(songCount, offsets, ids), settings), ck.getDouble("hybrid.weight"));
    }
}
