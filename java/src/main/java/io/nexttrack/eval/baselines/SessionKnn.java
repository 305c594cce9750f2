package io.nexttrack.eval.baselines;

import io.nexttrack.data.IntList;
import io.nexttrack.data.Playlists;
import io.nexttrack.eval.TopK;

/**
 * Session-based nearest neighbours (SKNN) after Jannach and Ludewig, "When Recurrent Neural Networks meet the
 * Neighborhood for Session-Based Recommendation", RecSys 2017: the history is compared, as a set of songs,
 * with every training playlist sharing a song with it (found through an inverted index song -> playlists);
 * as in the paper only the {@code sample} most recent of those are considered (file order stands in for
 * recency, since Yes.com playlists carry no time stamps; 0 = all), the {@code k} most similar by binary
 * cosine {@code |H ∩ S| / sqrt(|H| |S|)} are the neighbours, and a song scores the sum of the similarities of
 * the neighbours containing it. Defaults k = 100, sample = 1000 as in the paper. Songs no neighbour supports
 * rank below, by popularity. Scores are not probabilities.
 */
public final class SessionKnn extends HistoryScorer {
    public static final int DEFAULT_K = 100;
    public static final int DEFAULT_SAMPLE = 1000;

    private final int k;
    private final int sample;
    private PlaylistIndex index;
    private float[] fallback;

    public SessionKnn() { this(DEFAULT_K, DEFAULT_SAMPLE); }

    public SessionKnn(int k, int sample) {
        if (k < 1 || sample < 0) throw new IllegalArgumentException("k must be >= 1 and sample >= 0");
        this.k = k;
        this.sample = sample;
    }

    /** Indexes the training playlists. */
    public SessionKnn fit(Playlists train) {
        index = new PlaylistIndex(train);
        fallback = Prior.fallback(train.songCounts());
        return this;
    }

    @Override public String name() { return "session-knn"; }

    @Override public boolean givesProbabilities() { return false; }

    @Override int songCount() { return index == null ? -1 : index.songCount; }

    @Override
    Cursor cursor() {
        if (index == null) throw new IllegalStateException(name() + " is not fitted");
        return new Neighbourhood();
    }

    /** The training playlists overlapping the history, kept up to date song by song. */
    private final class Neighbourhood implements Cursor {
        private final int[] overlap = new int[index.playlistCount]; // |H ∩ S| per training playlist
        private final long[] touchedBits = new long[(index.playlistCount + 63) >>> 6]; // overlap > 0, for "most recent"
        private final IntList touched = new IntList(1024);
        private final boolean[] inHistory = new boolean[index.songCount];
        private final IntList historySongs = new IntList(64);
        private int[] candidates = new int[1024];
        private float[] sims = new float[1024];

        @Override
        public void reset() {
            for (int t = 0; t < touched.size(); t++) {
                int s = touched.get(t);
                overlap[s] = 0;
                touchedBits[s >>> 6] = 0;
            }
            touched.clear();
            for (int t = 0; t < historySongs.size(); t++) inHistory[historySongs.get(t)] = false;
            historySongs.clear();
        }

        @Override
        public void append(int song) {
            if (inHistory[song]) return; // sets: a repeat changes nothing
            inHistory[song] = true;
            historySongs.add(song);
            for (int x = index.postOffsets[song]; x < index.postOffsets[song + 1]; x++) {
                int s = index.postPlaylists[x];
                if (overlap[s]++ == 0) {
                    touched.add(s);
                    touchedBits[s >>> 6] |= 1L << s;
                }
            }
        }

        @Override
        public void scoreNext(float[] out) {
            int n = collectCandidates();
            double historySize = historySongs.size();
            for (int c = 0; c < n; c++) {
                int s = candidates[c];
                sims[c] = (float) (overlap[s] / Math.sqrt(historySize * index.setSize(s)));
            }
            java.util.Arrays.fill(out, 0f);
            for (int c : TopK.of(sims, 0, n, k)) {
                int s = candidates[c];
                float sim = sims[c];
                for (int y = index.setOffsets[s]; y < index.setOffsets[s + 1]; y++) out[index.setSongs[y]] += sim;
            }
            Prior.fillUnsupported(out, fallback);
        }

        /** Fills {@code candidates} with the overlapping playlists, only the {@code sample} latest when sampling. */
        private int collectCandidates() {
            int total = touched.size();
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
