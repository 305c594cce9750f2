package io.nexttrack.eval.baselines;

import io.nexttrack.data.PlaylistIndex;
import io.nexttrack.data.Playlists;
import io.nexttrack.numeric.TopK;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Item-to-item nearest neighbours: the similarity of songs a and b is the cosine of their binary playlist
 * incidence vectors, {@code co(a, b) / sqrt(n(a) n(b))} (co: training playlists containing both; n: containing
 * one), as in item-based collaborative filtering (Sarwar et al., "Item-based collaborative filtering
 * recommendation algorithms", WWW 2001; Linden et al., "Amazon.com recommendations: item-to-item collaborative
 * filtering", 2003) and the "IKNN" session baseline of Hidasi et al., "Session-based recommendations with
 * recurrent neural networks", ICLR 2016. A candidate scores its similarity to the last song, or with
 * {@code window > 1} the sum over the last {@code window} songs weighted 1, 1/2, 1/3, ... (most recent first;
 * default 10). Each song
 * keeps its {@code neighbours} most similar songs. Songs no neighbour supports rank below, by popularity.
 * Scores are not probabilities.
 */
public final class ItemKnn extends HistoryScorer {
    public static final int DEFAULT_NEIGHBOURS = 500;
    /** Chosen on the validation part of yes_small (seed 42): MRR@20 0.040 with the last song only, 0.064 with 10. */
    public static final int DEFAULT_WINDOW = 10;

    private final int neighbours;
    private final int window;
    private int[][] neighbourSongs;
    private float[][] neighbourSims;
    private float[] fallback;

    public ItemKnn() { this(DEFAULT_NEIGHBOURS, DEFAULT_WINDOW); }

    public ItemKnn(int neighbours, int window) {
        if (neighbours < 1 || window < 1) throw new IllegalArgumentException("neighbours and window must be >= 1");
        this.neighbours = neighbours;
        this.window = window;
    }

    /** Computes each song's nearest neighbours from co-occurrence in the training playlists (in parallel over songs). */
    public ItemKnn fit(Playlists train) {
        PlaylistIndex index = new PlaylistIndex(train);
        int v = train.songCount();
        neighbourSongs = new int[v][];
        neighbourSims = new float[v][];
        ThreadLocal<int[]> coCounts = ThreadLocal.withInitial(() -> new int[v]);
        IntStream.range(0, v).parallel().forEach(a -> neighboursOf(index, a, coCounts.get()));
        fallback = Prior.fallback(train.songCounts());
        return this;
    }

    private void neighboursOf(PlaylistIndex index, int a, int[] co) {
        int[] touched = new int[16];
        int n = 0;
        for (int x = index.postOffsets[a]; x < index.postOffsets[a + 1]; x++) {
            int p = index.postPlaylists[x];
            for (int y = index.setOffsets[p]; y < index.setOffsets[p + 1]; y++) {
                int b = index.setSongs[y];
                if (b == a) continue;
                if (co[b]++ == 0) {
                    if (n == touched.length) touched = Arrays.copyOf(touched, 2 * n);
                    touched[n++] = b;
                }
            }
        }
        float[] sims = new float[n];
        for (int t = 0; t < n; t++) {
            int b = touched[t];
            sims[t] = (float) (co[b] / Math.sqrt((double) index.frequency(a) * index.frequency(b)));
            co[b] = 0;
        }
        int[] best = TopK.of(sims, 0, n, neighbours);
        int[] songs = new int[best.length];
        float[] values = new float[best.length];
        for (int t = 0; t < best.length; t++) {
            songs[t] = touched[best[t]];
            values[t] = sims[best[t]];
        }
        neighbourSongs[a] = songs;
        neighbourSims[a] = values;
    }

    /** Song a's neighbours, most similar first. */
    public int[] neighbours(int a) { return neighbourSongs[a].clone(); }

    /** Cosine similarity of a and b if b is among a's kept neighbours, else 0. */
    public double similarity(int a, int b) {
        int[] songs = neighbourSongs[a];
        for (int t = 0; t < songs.length; t++) if (songs[t] == b) return neighbourSims[a][t];
        return 0;
    }

    @Override public String name() { return "item-knn"; }

    @Override public boolean givesProbabilities() { return false; }

    @Override int songCount() { return neighbourSongs == null ? -1 : neighbourSongs.length; }

    @Override
    Cursor cursor() {
        if (neighbourSongs == null) throw new IllegalStateException(name() + " is not fitted");
        return new Cursor() {
            private final int[] recent = new int[window]; // ring buffer of the last songs
            private int appended;

            @Override public void reset() { appended = 0; }

            @Override public void append(int song) { recent[appended++ % window] = song; }

            @Override
            public void scoreNext(float[] out) {
                Arrays.fill(out, 0f);
                for (int t = 0, n = Math.min(appended, window); t < n; t++) {
                    int song = recent[(appended - 1 - t) % window];
                    float weight = 1f / (t + 1);
                    int[] songs = neighbourSongs[song];
                    float[] sims = neighbourSims[song];
                    for (int j = 0; j < songs.length; j++) out[songs[j]] += weight * sims[j];
                }
                Prior.fillUnsupported(out, fallback);
            }
        };
    }
}
