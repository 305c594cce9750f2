package io.nexttrack.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The hidden structure behind synthetic playlists: song popularity, artists, clusters ("stations",
 * think genres placed on a ring so that each has two neighbours) and radio rotations (fixed short
 * song sequences that stations play in order). Built once per seed; read-only afterwards, so the
 * playlist chunks can share it across threads.
 */
final class SyntheticWorld {
    /** Zipf exponent of song popularity: the song of rank r (0-based) has weight 1 / (r + 1)^s. */
    static final double ZIPF_EXPONENT = 1.0;
    /** Songs per artist on average; clusters = this factor * sqrt(songs) (28 for yes_small's 3,168 songs). */
    static final int SONGS_PER_ARTIST = 6;
    static final double CLUSTERS_PER_SQRT_SONG = 0.5;
    /** One rotation per this many songs; rotation lengths are 3..5. */
    static final int SONGS_PER_ROTATION = 5;
    static final int ROTATION_MIN = 3, ROTATION_MAX = 5;

    final int songs;
    final int artists;
    final int clusters;
    final int[] artistOf;
    final int[] clusterOf;
    /** All songs by popularity; indices are song ids. */
    final SyntheticAliasTable bySong;
    /** Songs grouped by cluster: cluster c's songs are clusterSongs[clusterStart[c] .. clusterStart[c+1]). */
    final int[] clusterStart;
    final int[] clusterSongs;
    /** Per cluster, its songs by popularity; indices point into clusterSongs. */
    final SyntheticAliasTable byCluster;
    /** Clusters in proportion to their songs' total popularity: which station a playlist tunes into. */
    final SyntheticAliasTable stations;
    /** Rotation q is rotationSongs[rotationStart[q] .. rotationStart[q+1]); cluster c owns rotations
     *  clusterRotationStart[c] .. clusterRotationStart[c+1]) (rotations are numbered by cluster). */
    final int[] rotationStart;
    final int[] rotationSongs;
    final int[] clusterRotationStart;

    SyntheticWorld(int songs, long seed) {
        this(songs, seed, ZIPF_EXPONENT);
    }

    /** A world whose song popularity falls as 1 / (rank + 1)^{@code zipfExponent}. */
    SyntheticWorld(int songs, long seed, double zipfExponent) {
        if (!(zipfExponent >= 0 && zipfExponent <= 10)) throw new IllegalArgumentException("Zipf exponent " + zipfExponent + " outside 0..10");
        if (songs < 2) throw new IllegalArgumentException("need at least 2 songs, got " + songs);
        SplittableRandom r = new SplittableRandom(seed);
        this.songs = songs;
        this.clusters = Math.max(1, (int) Math.round(CLUSTERS_PER_SQRT_SONG * Math.sqrt(songs)));
        this.artists = Math.max(clusters, songs / SONGS_PER_ARTIST);

        // Popularity ranks are a random permutation, so song ids say nothing about popularity.
        double[] weight = new double[songs];
        int[] rank = new int[songs];
        for (int i = 0; i < songs; i++) rank[i] = i;
        shuffle(rank, r);
        for (int s = 0; s < songs; s++) weight[s] = StrictMath.pow(rank[s] + 1, -zipfExponent); // StrictMath: same bits on every JVM
        this.bySong = new SyntheticAliasTable(weight);

        // The first artists/clusters get one member each, so no artist or cluster is empty.
        int[] clusterOfArtist = new int[artists];
        for (int a = 0; a < artists; a++) clusterOfArtist[a] = a < clusters ? a : r.nextInt(clusters);
        this.artistOf = new int[songs];
        this.clusterOf = new int[songs];
        for (int s = 0; s < songs; s++) {
            artistOf[s] = s < artists ? s : r.nextInt(artists);
            clusterOf[s] = clusterOfArtist[artistOf[s]];
        }

        this.clusterStart = new int[clusters + 1];
        this.clusterSongs = groupBy(clusterOf, clusters, clusterStart);
        double[] clusterWeight = new double[clusters];
        double[] songWeightInCluster = new double[songs];
        for (int i = 0; i < songs; i++) {
            songWeightInCluster[i] = weight[clusterSongs[i]];
            clusterWeight[clusterOf[clusterSongs[i]]] += weight[clusterSongs[i]];
        }
        this.byCluster = new SyntheticAliasTable(songWeightInCluster, clusterStart);
        this.stations = new SyntheticAliasTable(clusterWeight);

        // Rotations: popular clusters get more of them, and popular songs sit in several rotations,
        // so what follows a shared song depends on the song before it.
        int rotations = Math.max(1, songs / SONGS_PER_ROTATION);
        int[] rotationCluster = new int[rotations];
        for (int q = 0; q < rotations; q++) rotationCluster[q] = stations.sample(r);
        Arrays.sort(rotationCluster);
        this.clusterRotationStart = new int[clusters + 1];
        for (int c : rotationCluster) clusterRotationStart[c + 1]++;
        for (int c = 0; c < clusters; c++) clusterRotationStart[c + 1] += clusterRotationStart[c];
        this.rotationStart = new int[rotations + 1];
        IntList body = new IntList(rotations * ROTATION_MAX);
        for (int q = 0; q < rotations; q++) {
            int c = rotationCluster[q];
            int length = ROTATION_MIN + r.nextInt(ROTATION_MAX - ROTATION_MIN + 1);
            int first = body.size();
            for (int i = 0; i < length; i++) body.add(rotationSong(c, body, first, r));
            rotationStart[q + 1] = body.size();
        }
        this.rotationSongs = body.toArray();
    }

    /** A song of cluster c that is not yet in the rotation begun at {@code first} (if one turns up). */
    private int rotationSong(int c, IntList body, int first, SplittableRandom r) {
        int prev = body.size() > first ? body.get(body.size() - 1) : -1;
        int s = prev;
        for (int attempt = 0; attempt < 16; attempt++) {
            s = songInCluster(c, r);
            if (!contains(body, first, s)) return s;
        }
        return s != prev ? s : otherSong(prev, r);
    }

    private static boolean contains(IntList list, int from, int value) {
        for (int i = from; i < list.size(); i++) if (list.get(i) == value) return true;
        return false;
    }

    int songInCluster(int cluster, SplittableRandom r) {
        return clusterSongs[byCluster.sample(cluster, r)];
    }

    /** Any song but {@code not}, by global popularity (terminates: there are >= 2 songs, all with weight > 0). */
    int otherSong(int not, SplittableRandom r) {
        int s;
        do s = bySong.sample(r); while (s == not);
        return s;
    }

    /** A cluster next to c on the ring. */
    int neighbour(int c, SplittableRandom r) {
        if (clusters == 1) return c;
        return r.nextBoolean() ? (c + 1) % clusters : (c + clusters - 1) % clusters;
    }

    int rotationCount(int cluster) { return clusterRotationStart[cluster + 1] - clusterRotationStart[cluster]; }

    /** Indices 0..n-1 grouped by key (stable), with the group boundaries written to start. */
    private static int[] groupBy(int[] key, int groups, int[] start) {
        for (int k : key) start[k + 1]++;
        for (int g = 0; g < groups; g++) start[g + 1] += start[g];
        int[] next = Arrays.copyOf(start, groups);
        int[] out = new int[key.length];
        for (int i = 0; i < key.length; i++) out[next[key[i]]++] = i;
        return out;
    }

    private static void shuffle(int[] a, SplittableRandom r) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
