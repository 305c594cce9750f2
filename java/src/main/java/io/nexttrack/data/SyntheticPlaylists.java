package io.nexttrack.data;

import io.nexttrack.io.HeapCheck;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Realistic synthetic radio playlists, generated in memory.
 *
 * <p>The model (see {@link SyntheticWorld} for the structure): each playlist tunes into a hidden
 * station (a cluster of artists, chosen by popularity) and draws its length from yes_small's length
 * distribution. Each next song is either the continuation of a running radio rotation, the start of
 * one of the station's rotations, or a free pick by popularity: mostly from the station, sometimes
 * drifting to a neighbouring cluster for one song (then returning), or a crossover hit from anywhere.
 * Now and then the station itself moves to a neighbour. A song never follows itself.
 *
 * <p>So the next song depends on more than the previous one: after a drift or a crossover hit the
 * station is only visible further back, and a song shared by several rotations is followed by what
 * its rotation dictates. A sequence model can learn this; a bigram model cannot.
 *
 * <p>Deterministic: playlists are generated in fixed chunks, each with its own random stream derived
 * from the seed and the chunk index, so the result does not depend on the number of threads.
 */
public final class SyntheticPlaylists {
    public static final int DEFAULT_SONGS = 3168;
    public static final int DEFAULT_PLAYLISTS = 41480;
    public static final long DEFAULT_SEED = 1;

    /** Probability that a running rotation goes on to its next song. */
    static final double FOLLOW_ROTATION = 0.85;
    /** Probability that a free step starts one of the station's rotations. */
    static final double START_ROTATION = 0.35;
    /** Probabilities that a free pick comes from a neighbouring cluster, or is a crossover hit from all songs. */
    static final double DRIFT = 0.10;
    static final double ANYWHERE = 0.15;
    /** Probability per song that the station moves to a neighbouring cluster for good. */
    static final double STATION_MOVE = 0.02;

    private static final int CHUNK = 1 << 14;

    private SyntheticPlaylists() {}

    /**
     * Heap bytes per song and per playlist while generating, measured (about 190 and 22 retained, at 1M-4M songs
     * or playlists) and doubled for what generation holds only for a while.
     */
    static final long BYTES_PER_SONG = 400, BYTES_PER_PLAYLIST = 48;

    /** The Million Playlist Dataset's size (RecSys Challenge 2018): 2,262,292 songs in 1,000,000 playlists. */
    public static final int MPD_SONGS = 2_262_292, MPD_PLAYLISTS = 1_000_000;

    /**
     * How the playlists look beyond their number: their lengths and how popularity is spread over the songs.
     *
     * @param meanLength 0 for yes_small's lengths (mean 4.24, from its histogram); else lengths like the MPD's,
     *                   5 to 250 songs with a geometric tail, at this mean
     * @param popularity the Zipf exponent of song popularity: the song of popularity rank r (from 0) is drawn in
     *                   proportion to 1 / (r + 1)^popularity
     */
    public record Shape(double meanLength, double popularity) {
        /** yes_small's lengths, popularity exponent 1 (the default). */
        public static final Shape YES = new Shape(0, SyntheticWorld.ZIPF_EXPONENT);
        /**
         * Like the MPD: its mean length (66,346,428 plays / 1,000,000 playlists), and the popularity exponent at which
         * the most played of 2,262,292 songs is played about as often as the MPD's most played track (46,574 times;
         * 45,418 with seed 1 here, where exponent 1 would give millions). One exponent cannot match the MPD's long
         * tail too: here the median song is played 12 times and about 1% of the songs once, where many of the MPD's
         * tracks occur once.
         */
        public static final Shape MPD = new Shape(66.346428, 0.62);

        public Shape {
            if (!(meanLength == 0 || meanLength >= SyntheticLengths.MPD_MIN && meanLength <= SyntheticLengths.MPD_MAX)) {
                throw new IllegalArgumentException("the mean length must be between " + SyntheticLengths.MPD_MIN + " and "
                        + SyntheticLengths.MPD_MAX + ", got " + meanLength);
            }
            if (!(popularity >= 0 && popularity <= 10)) {
                throw new IllegalArgumentException("the popularity exponent must be in 0..10, got " + popularity);
            }
        }

        SyntheticLengths lengths() {
            return meanLength == 0 ? new SyntheticLengths()
                    : new SyntheticLengths(SyntheticLengths.MPD_MIN, SyntheticLengths.MPD_MAX, meanLength);
        }
    }

    /** Songs "s0".."s{songs-1}" with made-up titles and artists, and {@code playlists} playlists. */
    public static Dataset generate(int songs, int playlists, long seed) {
        return generate(songs, playlists, seed, Shape.YES);
    }

    /** The same, in the given shape. */
    public static Dataset generate(int songs, int playlists, long seed, Shape shape) {
        if (playlists < 0) throw new IllegalArgumentException("playlists must be >= 0, got " + playlists);
        double perPlaylist = shape.meanLength() == 0 ? 1 : shape.meanLength() / 4.24; // the measure was made at yes_small's lengths
        HeapCheck.require(BYTES_PER_SONG * songs + (long) (BYTES_PER_PLAYLIST * perPlaylist * playlists), "generating the playlists",
                String.format(Locale.ROOT, "--songs %d, --playlists %d", songs, playlists));
        SyntheticWorld world = new SyntheticWorld(songs, seed, shape.popularity());
        SyntheticLengths lengths = shape.lengths();
        int chunks = (playlists + CHUNK - 1) / CHUNK;
        Chunk[] parts = IntStream.range(0, chunks).parallel()
                .mapToObj(k -> generateChunk(world, lengths, seed, k, Math.min(CHUNK, playlists - k * CHUNK)))
                .toArray(Chunk[]::new);
        return new Dataset(vocabulary(songs), concat(songs, playlists, parts), catalog(world));
    }

    /**
     * The playlists {@link #generate} makes, streamed into a playlist store instead of memory: chunks are generated
     * in parallel a few at a time and written in order, so only the world and a few chunks are ever held (the same
     * playlists as generate, whatever the number of threads). Finishes the store with the vocabulary and catalogue.
     */
    public static void generateInto(int songs, int playlists, long seed, Shape shape, PlaylistStore.Writer w) throws IOException {
        if (playlists < 0) throw new IllegalArgumentException("playlists must be >= 0, got " + playlists);
        HeapCheck.require(STREAMING_BYTES_PER_SONG * songs, "generating the playlists", String.format(Locale.ROOT, "--songs %d", songs));
        SyntheticWorld world = new SyntheticWorld(songs, seed, shape.popularity());
        SyntheticLengths lengths = shape.lengths();
        int chunks = (playlists + CHUNK - 1) / CHUNK;
        int wave = 4 * Math.max(1, java.util.concurrent.ForkJoinPool.getCommonPoolParallelism());
        for (int first = 0; first < chunks; first += wave) {
            Chunk[] parts = IntStream.range(first, Math.min(chunks, first + wave)).parallel()
                    .mapToObj(k -> generateChunk(world, lengths, seed, k, Math.min(CHUNK, playlists - k * CHUNK)))
                    .toArray(Chunk[]::new);
            for (Chunk c : parts) {
                for (int p = 0, at = 0; p < c.lengths.length; at += c.lengths[p++]) w.addPlaylist(c.songs, at, at + c.lengths[p]);
            }
        }
        String[] artistNames = new String[world.artists];
        for (int a = 0; a < world.artists; a++) artistNames[a] = SyntheticNames.artist(a);
        w.finish(songs, s -> "s" + s, SyntheticNames::title, s -> artistNames[world.artistOf[s]]);
    }

    /** Heap bytes per song of the world alone (alias tables, clusters, rotations), while it is built, with room to spare. */
    static final long STREAMING_BYTES_PER_SONG = 200;

    /** The model's settings, for a data set's SOURCE.md. */
    public static String describe() {
        return describe(Shape.YES);
    }

    /** The model's settings in the given shape. */
    public static String describe(Shape shape) {
        String text = String.format(Locale.ROOT, """
                - song popularity: Zipf, exponent %.2f (rank order is a random permutation of the song ids)
                - about %d songs per artist; artists in %.2f * sqrt(songs) clusters ("stations") on a ring
                - one radio rotation (a fixed sequence of %d..%d songs of one cluster) per %d songs
                - each playlist: a hidden station chosen by popularity, a length drawn from yes_small's histogram
                - each next song: continue the running rotation (p=%.2f); else start one of the station's
                  rotations (p=%.2f); else pick by popularity from the station, from a neighbouring cluster
                  (p=%.2f) or from all songs, a crossover hit (p=%.2f)
                - the station moves to a neighbouring cluster for good with p=%.2f per song
                - a song never follows itself
                """, shape.popularity(), SyntheticWorld.SONGS_PER_ARTIST,
                SyntheticWorld.CLUSTERS_PER_SQRT_SONG, SyntheticWorld.ROTATION_MIN, SyntheticWorld.ROTATION_MAX,
                SyntheticWorld.SONGS_PER_ROTATION, FOLLOW_ROTATION, START_ROTATION, DRIFT, ANYWHERE, STATION_MOVE);
        if (shape.meanLength() == 0) return text;
        return text.replace("a length drawn from yes_small's histogram", String.format(Locale.ROOT, "a length of %d..%d songs "
                + "(a geometric tail, mean %.2f, as the MPD's)", SyntheticLengths.MPD_MIN, SyntheticLengths.MPD_MAX, shape.meanLength()));
    }

    private record Chunk(int[] lengths, int[] songs) {}

    private static Chunk generateChunk(SyntheticWorld w, SyntheticLengths lengths, long seed, int chunk, int count) {
        SplittableRandom r = new SplittableRandom(mix(seed, chunk));
        int[] len = new int[count];
        IntList out = new IntList(count * 5);
        for (int p = 0; p < count; p++) {
            len[p] = lengths.sample(r);
            playlist(w, len[p], r, out);
        }
        return new Chunk(len, out.toArray());
    }

    /** Appends one playlist of {@code length} songs to {@code out}. */
    private static void playlist(SyntheticWorld w, int length, SplittableRandom r, IntList out) {
        int station = w.stations.sample(r);
        int prev = -1;
        int pos = -1, end = -1; // the running rotation's next song is rotationSongs[pos] while pos < end
        for (int i = 0; i < length; i++) {
            int song;
            if (pos >= 0 && pos < end && r.nextDouble() < FOLLOW_ROTATION) {
                song = w.rotationSongs[pos++];
            } else {
                pos = end = -1;
                int rotations = w.rotationCount(station);
                int q = rotations > 0 && r.nextDouble() < START_ROTATION
                        ? w.clusterRotationStart[station] + r.nextInt(rotations) : -1;
                if (q >= 0 && w.rotationSongs[w.rotationStart[q]] != prev) {
                    song = w.rotationSongs[w.rotationStart[q]];
                    pos = w.rotationStart[q] + 1;
                    end = w.rotationStart[q + 1];
                } else {
                    song = freePick(w, station, prev, r);
                }
            }
            if (song == prev) song = w.otherSong(prev, r); // defensive: the branches above already avoid prev
            out.add(song);
            prev = song;
            if (r.nextDouble() < STATION_MOVE) station = w.neighbour(station, r);
        }
    }

    private static int freePick(SyntheticWorld w, int station, int prev, SplittableRandom r) {
        double u = r.nextDouble();
        if (u < ANYWHERE) return w.otherSong(prev, r);
        int cluster = u < ANYWHERE + DRIFT ? w.neighbour(station, r) : station;
        for (int attempt = 0; attempt < 8; attempt++) {
            int s = w.songInCluster(cluster, r);
            if (s != prev) return s;
        }
        return w.otherSong(prev, r); // the cluster is (nearly) just prev
    }

    private static Playlists concat(int songs, int playlists, Chunk[] parts) {
        int[] offsets = new int[playlists + 1];
        long total = 0;
        for (Chunk c : parts) total += c.songs.length;
        if (total > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("too many songs in all: " + total);
        int[] all = new int[(int) total];
        int p = 0, at = 0;
        for (Chunk c : parts) {
            for (int n : c.lengths) { offsets[p + 1] = offsets[p] + n; p++; }
            System.arraycopy(c.songs, 0, all, at, c.songs.length);
            at += c.songs.length;
        }
        return new Playlists(songs, offsets, all);
    }

    private static Vocabulary vocabulary(int songs) {
        List<String> ids = new ArrayList<>(songs);
        for (int s = 0; s < songs; s++) ids.add("s" + s);
        return new Vocabulary(ids);
    }

    private static SongCatalog catalog(SyntheticWorld w) {
        String[] titles = new String[w.songs];
        String[] artists = new String[w.songs];
        String[] artistNames = new String[w.artists];
        for (int a = 0; a < w.artists; a++) artistNames[a] = SyntheticNames.artist(a);
        for (int s = 0; s < w.songs; s++) {
            titles[s] = SyntheticNames.title(s);
            artists[s] = artistNames[w.artistOf[s]];
        }
        return new SongCatalog(titles, artists);
    }

    /** A well-mixed seed for chunk k (SplitMix64's finalizer), independent of other chunks. */
    private static long mix(long seed, int chunk) {
        long z = seed + 0x9E3779B97F4A7C15L * (chunk + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
