package io.nexttrack.model;

import io.nexttrack.data.IntList;
import io.nexttrack.data.PlaylistIndex;
import io.nexttrack.data.Playlists;
import io.nexttrack.numeric.TopK;
import java.util.Arrays;

/**
 * Session-based nearest neighbours over the training playlists, after Jannach and Ludewig, "When Recurrent
 * Neural Networks meet the Neighborhood for Session-Based Recommendation", RecSys 2017. The songs played so far
 * (the history H) are compared, as a set, with every training playlist S sharing a song with them (found through
 * an inverted index); as in the paper only the {@code sample} most recent of those are considered (file order
 * stands in for recency, since Yes.com playlists carry no time stamps; 0 = all), and the {@code k} most similar
 * by binary cosine {@code |H ∩ S| / sqrt(|H| |S|)} are the neighbours ({@link Cursor#findNeighbours}). They vote
 * for the next song in two ways:
 *
 * <ul>
 *   <li>{@link Cursor#setVotes}: every distinct song of a neighbour gets the neighbour's similarity (the paper's
 *       SKNN);</li>
 *   <li>{@link Cursor#sequenceVotes}: a neighbour's songs are weighted by where they sit relative to its
 *       occurrence of the most recently played history song it contains (the anchor, at position m): the song at
 *       m + d gets {@code similarity * decay^(d-1)} for {@code d >= 1} and {@code similarity * before * decay^(-d-1)} for
 *       {@code d <= -1} (each occurrence votes). What a similar station played right after the shared song counts most:
 *       the position weighting of STAN (Garg et al., "Sequence and Time Aware Neighborhood for Session-based
 *       Recommendations", SIGIR 2019).</li>
 * </ul>
 * The index is read-only after construction; {@link Cursor}s hold the per-history state, one per thread.
 */
public final class PlaylistNeighbours {
    /**
     * @param k      neighbours that vote
     * @param sample only the most recent {@code sample} overlapping playlists are compared (0 = all)
     * @param decay  sequence votes: factor per further step away from the anchor, in (0, 1]
     * @param before sequence votes: extra factor for songs before the anchor, in [0, 1]
     */
    public record Settings(int k, int sample, double decay, double before) {
        public Settings {
            if (k < 1 || sample < 0) throw new IllegalArgumentException("k must be >= 1 and sample >= 0");
            if (!(decay > 0 && decay <= 1) || !(before >= 0 && before <= 1)) {
                throw new IllegalArgumentException("decay must be in (0, 1] and before in [0, 1]");
            }
        }

        /**
         * The paper's k = 100 neighbours from the 1,000 most recent overlapping playlists; for sequence votes each
         * step away from the anchor halves a vote and songs before it count 0.3x (docs/quality.md).
         */
        public static Settings defaults() { return new Settings(100, 1000, 0.5, 0.3); }
    }

    private static final int[] NONE = {};

    private final Playlists playlists;
    private final PlaylistIndex index;
    /** Bigram counts: the songs that follow song a in the training playlists are nextSongs[nextOffsets[a] .. nextOffsets[a + 1]), with counts. */
    private final int[] nextOffsets, nextSongs, nextCounts;
    private final Settings settings;
    /** weights[d] = decay^(d-1) for d >= 1: the vote of a song d steps after the shared one (before: times {@code before}). */
    private final float[] weights;

    public PlaylistNeighbours(Playlists playlists, Settings settings) {
        this.playlists = playlists;
        this.index = new PlaylistIndex(playlists);
        int[][] next = bigrams(playlists);
        nextOffsets = next[0];
        nextSongs = next[1];
        nextCounts = next[2];
        this.settings = settings;
        int longest = 1;
        for (int p = 0; p < playlists.size(); p++) longest = Math.max(longest, playlists.length(p));
        weights = new float[longest + 1];
        for (int d = 1; d <= longest; d++) weights[d] = (float) Math.pow(settings.decay(), d - 1);
    }

    /** The distinct transitions a -> b of the playlists with their counts, grouped by a (CSR: offsets, songs b, counts). */
    private static int[][] bigrams(Playlists p) {
        int v = p.songCount();
        int[] offsets = new int[v + 1];
        java.util.Map<Long, Integer> counts = new java.util.HashMap<>();
        for (int i = 0; i < p.size(); i++) {
            for (int j = 0; j + 1 < p.length(i); j++) counts.merge(((long) p.song(i, j) << 32) | p.song(i, j + 1), 1, Integer::sum);
        }
        long[] keys = counts.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
        int[] songs = new int[keys.length], n = new int[keys.length];
        for (int k = 0; k < keys.length; k++) {
            offsets[(int) (keys[k] >>> 32) + 1]++;
            songs[k] = (int) keys[k];
            n[k] = counts.get(keys[k]);
        }
        for (int a = 0; a < v; a++) offsets[a + 1] += offsets[a];
        return new int[][] {offsets, songs, n};
    }

    /** The playlists neighbours are drawn from (the training split). */
    public Playlists playlists() { return playlists; }

    public Settings settings() { return settings; }

    public int songCount() { return playlists.songCount(); }

    /** Fresh per-history state; not thread-safe, one per thread or listener. */
    public Cursor cursor() { return new Cursor(); }

    /** The neighbourhood of one history, kept up to date song by song. */
    public final class Cursor {
        private final int[] overlap = new int[index.playlistCount]; // |H ∩ S| per training playlist
        private final long[] touchedBits = new long[(index.playlistCount + 63) >>> 6]; // overlap > 0, for "most recent"
        private final IntList touched = new IntList(1024);
        private final int[] lastPlayed = new int[index.songCount]; // position of the song's latest play, -1 if none
        private final int[] plays = new int[index.songCount]; // how often the song was played so far
        private final IntList historySongs = new IntList(64);
        private int length;
        private int lastSong = -1;
        private int[] candidates = new int[1024];
        private float[] sims = new float[1024];
        private int[] neighbours = NONE; // indices into candidates/sims, most similar first

        private Cursor() {
            Arrays.fill(lastPlayed, -1);
        }

        /** Forgets the history (and the neighbours found). */
        public void reset() {
            neighbours = NONE;
            for (int t = 0; t < touched.size(); t++) {
                int s = touched.get(t);
                overlap[s] = 0;
                touchedBits[s >>> 6] = 0;
            }
            touched.clear();
            for (int t = 0; t < historySongs.size(); t++) {
                lastPlayed[historySongs.get(t)] = -1;
                plays[historySongs.get(t)] = 0;
            }
            historySongs.clear();
            length = 0;
            lastSong = -1;
        }

        /** Appends a song to the history; the neighbours are found again by {@link #findNeighbours}. */
        public void play(int song) {
            neighbours = NONE;
            if (lastPlayed[song] < 0) { // sets: a repeat changes no overlap
                historySongs.add(song);
                for (int x = index.postOffsets[song]; x < index.postOffsets[song + 1]; x++) {
                    int s = index.postPlaylists[x];
                    if (overlap[s]++ == 0) {
                        touched.add(s);
                        touchedBits[s >>> 6] |= 1L << s;
                    }
                }
            }
            lastPlayed[song] = length++;
            plays[song]++;
            lastSong = song;
        }

        /** Songs played so far (repeats included). */
        public int length() { return length; }

        /** Whether the song is in the history. */
        public boolean played(int song) { return lastPlayed[song] >= 0; }

        /** How many songs ago the song was last played: 1 for the latest song, 0 if it was not played. */
        public int age(int song) { return lastPlayed[song] < 0 ? 0 : length - lastPlayed[song]; }

        /** How often the song was played so far. */
        public int plays(int song) { return plays[song]; }

        /** The distinct songs of the history, in order of first play. */
        public int distinctSongs(int[] out) {
            for (int t = 0; t < historySongs.size(); t++) out[t] = historySongs.get(t);
            return historySongs.size();
        }

        /** Finds the neighbours of the current history, for the votes that follow; returns how many there are. */
        public int findNeighbours() {
            int n = collectCandidates();
            double historySize = historySongs.size();
            for (int c = 0; c < n; c++) {
                int s = candidates[c];
                sims[c] = (float) (overlap[s] / Math.sqrt(historySize * index.setSize(s)));
            }
            neighbours = TopK.of(sims, 0, n, settings.k());
            return neighbours.length;
        }

        /**
         * Overwrites {@code out[0 .. songCount)} with each song's set votes from the neighbours last found (0 where
         * none votes); with {@code skipPlayed}, songs of the history get none. Returns the sum of the votes.
         */
        public double setVotes(float[] out, boolean skipPlayed) {
            Arrays.fill(out, 0, index.songCount, 0f);
            for (int c : neighbours) voteSet(candidates[c], sims[c], out);
            return finish(out, skipPlayed);
        }

        /** As {@link #setVotes}, with sequence votes. */
        public double sequenceVotes(float[] out, boolean skipPlayed) {
            Arrays.fill(out, 0, index.songCount, 0f);
            for (int c : neighbours) voteSequence(candidates[c], sims[c], out);
            return finish(out, skipPlayed);
        }

        /**
         * As {@link #setVotes}, with the training playlists' transitions from the song just played: each song gets the
         * number of times it followed that song (a bigram; no neighbours needed).
         */
        public double bigramVotes(float[] out, boolean skipPlayed) {
            Arrays.fill(out, 0, index.songCount, 0f);
            if (lastSong >= 0) for (int x = nextOffsets[lastSong]; x < nextOffsets[lastSong + 1]; x++) out[nextSongs[x]] = nextCounts[x];
            return finish(out, skipPlayed);
        }

        private double finish(float[] out, boolean skipPlayed) {
            if (skipPlayed) for (int t = 0; t < historySongs.size(); t++) out[historySongs.get(t)] = 0;
            double total = 0;
            for (int s = 0; s < index.songCount; s++) total += out[s];
            return total;
        }

        private void voteSet(int neighbour, float sim, float[] out) {
            for (int y = index.setOffsets[neighbour]; y < index.setOffsets[neighbour + 1]; y++) out[index.setSongs[y]] += sim;
        }

        private void voteSequence(int neighbour, float sim, float[] out) {
            int from = playlists.start(neighbour), to = from + playlists.length(neighbour), shared = -1, latest = -1;
            for (int j = from; j < to; j++) {
                int when = lastPlayed[playlists.songs()[j]];
                if (when > latest) {
                    latest = when;
                    shared = j;
                }
            }
            float before = (float) (sim * settings.before());
            for (int j = from; j < to; j++) {
                int d = j - shared;
                if (d != 0) out[playlists.songs()[j]] += d > 0 ? sim * weights[d] : before * weights[-d];
            }
        }

        /** Fills {@code candidates} with the overlapping playlists, only the {@code sample} latest when sampling. */
        private int collectCandidates() {
            int total = touched.size(), sample = settings.sample();
            int n = sample > 0 ? Math.min(sample, total) : total;
            if (candidates.length < n) {
                candidates = new int[Math.max(n, 2 * candidates.length)];
                sims = new float[candidates.length];
            }
            if (n == total) {
                for (int t = 0; t < n; t++) candidates[t] = touched.get(t);
                return n;
            }
            int c = 0; // walk the bit set from the highest playlist index down
            for (int w = touchedBits.length - 1; w >= 0 && c < n; w--) {
                long bits = touchedBits[w];
                while (bits != 0 && c < n) {
                    int b = 63 - Long.numberOfLeadingZeros(bits);
                    candidates[c++] = (w << 6) + b;
                    bits &= ~(1L << b);
                }
            }
            return c;
        }
    }
}
