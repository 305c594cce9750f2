package io.nexttrack.data;

import io.nexttrack.io.AtomicFile;
import io.nexttrack.io.FileErrors;
import io.nexttrack.io.InputFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.IntFunction;
import java.util.zip.CRC32C;

/**
 * The playlist store: playlists, their vocabulary and their catalogue in one binary file that is read by mapping
 * it into memory, so that training starts without parsing text and without an object per playlist. Written by
 * {@code nexttrack data import} and {@code nexttrack data synth --store} in one streaming pass; read wherever
 * {@code --data} is taken ({@link PlaylistReader} tells a store by its first bytes).
 *
 * <pre>
 * at        bytes        what
 * 0         8            magic 0x89 'N' 'T' 'S' 'T' 'O' 'R' 'E' (0x89 is no text: a text reader stops at byte 1)
 * 8         4            version, 1
 * 12        4            0 (reserved)
 * 16        4 P          songs: the song id (int32) of every play, playlist after playlist
 *           0 or 4       padding to a multiple of 8
 * O         8 (N + 1)    offsets (int64): playlist p is songs[offsets[p] .. offsets[p+1]); offsets[0] = 0, offsets[N] = P
 * X         ...          external ids: for each of the S songs, int32 length in bytes, then that many bytes of UTF-8
 * T         ...          titles: the same, length -1 for a song without a title
 * A         ...          artists: the same as titles
 * Z         64           trailer: int64 N, P, S, O, X, T, A, then 8 bytes "NTSTORE1"
 * Z + 64    8            checksum: int64 CRC-32C of every byte before it
 * </pre>
 * Every number is little-endian, and the songs and offsets sections are aligned for direct reads from the mapped
 * file. Offsets are {@code long}, so a store holds more than 2^31 plays (playlists are numbered by {@code int}).
 * The trailer comes last because a streaming writer only knows the counts at the end. A store is read only after
 * the checksum over the whole file matched and every offset, song id and string length was checked, so a damaged,
 * cut-short or inconsistent file is refused by name in one line and never half-read. The strings are decoded only
 * when asked for (opening a store of millions of songs makes no String); the writer made sure that the external
 * ids are unique.
 */
public final class PlaylistStore {
    /** The file a folder's store has: {@code --data DIR} reads {@code DIR/playlists.nts} when it exists. */
    public static final String FILE_NAME = "playlists.nts";
    static final byte[] MAGIC = {(byte) 0x89, 'N', 'T', 'S', 'T', 'O', 'R', 'E'};
    static final byte[] END_MAGIC = "NTSTORE1".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final long SONGS_AT = 16;
    static final int TRAILER = 64;
    /** Header, offsets[0], trailer, checksum. */
    static final long SMALLEST = SONGS_AT + 8 + TRAILER + 8;

    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG_UNALIGNED = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT_UNALIGNED = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private PlaylistStore() {}

    /** Fills a store: calls {@link Writer#add}/{@link Writer#endPlaylist} for every playlist, then {@link Writer#finish}. */
    @FunctionalInterface
    public interface Body {
        void writeTo(Writer w) throws IOException;
    }

    /**
     * Writes a store atomically ({@link AtomicFile}: a failure, even half-way through a long import, leaves the old
     * file or none); {@code body} streams the playlists in and must end with {@link Writer#finish}.
     */
    public static void write(Path file, Body body) throws IOException {
        AtomicFile.write(file, out -> {
            Writer w = new Writer(out);
            body.writeTo(w);
            if (!w.finished) throw new IllegalStateException("the store was not finished");
        });
    }

    /** Writes {@code d} as a store. */
    public static void write(Path file, Dataset d) throws IOException {
        write(file, w -> {
            Playlists p = d.playlists();
            for (int q = 0; q < p.size(); q++) {
                for (int i = 0, n = p.length(q); i < n; i++) w.add(p.song(q, i));
                w.endPlaylist();
            }
            SongCatalog c = d.catalog();
            w.finish(d.songCount(), d.vocabulary()::externalId, c::rawTitle, c::rawArtist);
        });
    }

    /** True when {@code file} begins like a store (a cut-short one too, so that it is reported as such). */
    public static boolean looksLikeStore(Path file) throws IOException {
        byte[] head = new byte[3];
        int n;
        try (InputStream in = InputFiles.open(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        return n == head.length && Arrays.equals(head, 0, n, MAGIC, 0, n);
    }

    /**
     * Maps a store (it stays mapped while its playlists are reachable) and checks it: the checksum over the whole
     * file, the trailer, every offset and every song id. Errors: {@link DataFormatException} naming the file for
     * what is not a usable store; I/O errors naming the file.
     */
    public static Dataset read(Path file) throws IOException {
        try {
            InputFiles.requireRegular(file);
        } catch (NoSuchFileException e) {
            throw new DataFormatException(file, "no such file");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment all = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), Arena.ofAuto());
            return parse(file, all);
        } catch (IOException e) {
            throw FileErrors.named(file, e);
        }
    }

    /** The Dataset in {@code all}, the bytes of {@code file}; see {@link #read}. */
    static Dataset parse(Path file, MemorySegment all) {
        long size = all.byteSize();
        byte[] magic = all.asSlice(0, Math.min(size, MAGIC.length)).toArray(ValueLayout.JAVA_BYTE);
        if (!Arrays.equals(magic, 0, magic.length, MAGIC, 0, magic.length) || size < 3) {
            throw new DataFormatException(file, "not a nexttrack playlist store (it does not start with the store's magic bytes)");
        }
        if (size < SMALLEST) throw corrupted(file, "it is " + size + " bytes long, shorter than any playlist store");
        if (all.get(LONG_UNALIGNED, size - 8) != checksum(all, size - 8)) {
            throw corrupted(file, "checksum mismatch: the file was damaged or cut short; was a copy interrupted?");
        }
        int version = all.get(INT_UNALIGNED, 8);
        if (version != VERSION) {
            throw new DataFormatException(file, "playlist store format version " + version + " is not supported (this build "
                    + "reads " + VERSION + "; was it written by a newer nexttrack?)");
        }
        long z = size - 8 - TRAILER;
        long[] t = new long[7];
        for (int i = 0; i < t.length; i++) t[i] = all.get(LONG_UNALIGNED, z + 8L * i);
        byte[] end = all.asSlice(z + 56, 8).toArray(ValueLayout.JAVA_BYTE);
        if (!Arrays.equals(end, END_MAGIC)) throw corrupted(file, "the trailer does not end with its mark");
        long n = t[0], plays = t[1], songs = t[2], o = t[3], x = t[4], ti = t[5], a = t[6];
        if (n < 0 || n > Integer.MAX_VALUE - 1 || plays < 0 || plays > size / 4 || songs < 0 || songs > Integer.MAX_VALUE - 8) {
            throw corrupted(file, String.format(Locale.ROOT, "impossible counts: %d playlists, %d plays, %d songs", n, plays, songs));
        }
        if (o != layout(plays) || x != o + 8 * (n + 1) || ti < x || a < ti || z < a) {
            throw corrupted(file, "the sections do not follow each other as the trailer says");
        }
        MemorySegment offsets = all.asSlice(o, 8 * (n + 1));
        MemorySegment ids = all.asSlice(SONGS_AT, 4 * plays);
        String bad = checkOffsets(offsets, n, plays);
        if (bad == null) bad = checkSongs(ids, plays, (int) songs);
        if (bad != null) throw corrupted(file, bad);
        StringTable external, titles, artists;
        try {
            external = StringTable.of(all.asSlice(x, ti - x), (int) songs, false);
            titles = StringTable.of(all.asSlice(ti, a - ti), (int) songs, true);
            artists = StringTable.of(all.asSlice(a, z - a), (int) songs, true);
        } catch (IllegalArgumentException e) {
            throw corrupted(file, e.getMessage());
        }
        return new Dataset(new Vocabulary(external), Playlists.mapped((int) songs, offsets, ids), new SongCatalog(titles, artists));
    }

    /** Where the offsets section begins after {@code plays} song ids. */
    static long layout(long plays) {
        return SONGS_AT + align8(4 * plays);
    }

    static long align8(long bytes) {
        return (bytes + 7) & ~7L;
    }

    /** CRC-32C of {@code all[0, length)}, in slices that a ByteBuffer can hold. */
    private static long checksum(MemorySegment all, long length) {
        CRC32C crc = new CRC32C();
        for (long at = 0; at < length; ) {
            long n = Math.min(1L << 28, length - at);
            crc.update(all.asSlice(at, n).asByteBuffer());
            at += n;
        }
        return crc.getValue();
    }

    /** Null when offsets[0] = 0, they never decrease and offsets[n] = plays; else what is wrong. */
    static String checkOffsets(MemorySegment offsets, long n, long plays) {
        long prev = offsets.getAtIndex(Playlists.LONG, 0);
        if (prev != 0) return "the first playlist does not start at 0";
        for (long p = 1; p <= n; p++) {
            long at = offsets.getAtIndex(Playlists.LONG, p);
            if (at < prev || at > plays) return "playlist " + (p - 1) + " has an impossible end " + at;
            if (at - prev > Integer.MAX_VALUE) return "playlist " + (p - 1) + " is longer than 2^31 songs";
            prev = at;
        }
        return prev == plays ? null : "the playlists hold " + prev + " plays, the trailer says " + plays;
    }

    /** Null when every song id is in {@code 0..songs-1}; else the first that is not. */
    static String checkSongs(MemorySegment ids, long plays, int songs) {
        int worst = 0;
        for (long i = 0; i < plays; i++) worst |= songs - 1 - ids.getAtIndex(Playlists.INT, i) | ids.getAtIndex(Playlists.INT, i);
        if (worst >= 0) return null; // every id was >= 0 and <= songs - 1 (a negative one sets the sign bit)
        for (long i = 0; i < plays; i++) {
            int s = ids.getAtIndex(Playlists.INT, i);
            if (s < 0 || s >= songs) return "play " + i + " is song " + s + ", outside the " + songs + " songs";
        }
        throw new AssertionError();
    }

    /** "FILE: corrupted or truncated playlist store (why)": the one message for a store that cannot be trusted. */
    static DataFormatException corrupted(Path file, String why) {
        return new DataFormatException(file, "corrupted or truncated playlist store (" + why + ")");
    }

    /**
     * Streams a store out: song ids as they come (4 bytes each, never held), the offsets in memory (8 bytes per
     * playlist), the vocabulary and catalogue at the end. Not thread-safe.
     */
    public static final class Writer {
        private final OutputStream out;
        private final CRC32C crc = new CRC32C();
        private final byte[] buf = new byte[1 << 20];
        private int n;
        private long[] offsets = new long[1 << 12];
        private int playlists;
        private long plays;
        private int largest = -1;
        private boolean finished;

        Writer(OutputStream out) throws IOException {
            this.out = out;
            put(MAGIC, 0, MAGIC.length);
            putInt(VERSION);
            putInt(0);
        }

        /** Appends a song to the playlist being written. */
        public void add(int song) throws IOException {
            if (song < 0) throw new IllegalArgumentException("negative song id " + song);
            if (n + 4 > buf.length) drain();
            INT_LE.set(buf, n, song);
            n += 4;
            plays++;
            if (song > largest) largest = song;
        }

        /** Ends the playlist being written (one without songs is kept, empty). */
        public void endPlaylist() {
            if (playlists == Integer.MAX_VALUE - 2) throw new IllegalStateException("more than 2^31 playlists");
            if (playlists + 1 == offsets.length) offsets = Arrays.copyOf(offsets, (int) Math.min(Integer.MAX_VALUE - 8, 2L * offsets.length));
            offsets[++playlists] = plays;
        }

        /** Appends a whole playlist, {@code songs[from, to)}. */
        public void addPlaylist(int[] songs, int from, int to) throws IOException {
            for (int i = from; i < to; i++) add(songs[i]);
            endPlaylist();
        }

        /** Playlists ended so far. */
        public int playlists() { return playlists; }

        /** Songs added so far. */
        public long plays() { return plays; }

        /**
         * Ends the store: {@code songs} songs (every id added must be below it), their external ids (unique, not
         * null), titles and artists (null where unknown).
         */
        public void finish(int songs, IntFunction<String> externalId, IntFunction<String> title, IntFunction<String> artist)
                throws IOException {
            if (finished) throw new IllegalStateException("already finished");
            if (plays != offsets[playlists]) throw new IllegalStateException("the last playlist was not ended");
            if (largest >= songs) throw new IllegalArgumentException("song id " + largest + " is outside the " + songs + " songs");
            if (plays % 2 == 1) putInt(0);
            long o = position();
            for (int p = 0; p <= playlists; p++) putLong(offsets[p]);
            long x = position();
            java.util.Map<String, Integer> seen = java.util.HashMap.newHashMap(songs); // readers trust the ids to be unique
            for (int s = 0; s < songs; s++) {
                String id = externalId.apply(s);
                if (id == null) throw new IllegalArgumentException("song " + s + " has no external id");
                Integer before = seen.putIfAbsent(id, s);
                if (before != null) {
                    throw new IllegalArgumentException("song id " + io.nexttrack.io.Excerpt.of(id) + " is listed twice (songs " + before
                            + " and " + s + ")");
                }
                putString(id);
            }
            seen = null;
            long t = position();
            for (int s = 0; s < songs; s++) putString(title.apply(s));
            long a = position();
            for (int s = 0; s < songs; s++) putString(artist.apply(s));
            for (long v : new long[] {playlists, plays, songs, o, x, t, a}) putLong(v);
            put(END_MAGIC, 0, END_MAGIC.length);
            drain();
            byte[] sum = new byte[8];
            LONG_LE.set(sum, 0, crc.getValue());
            out.write(sum);
            finished = true;
        }

        private long written;

        private long position() { return written + n; }

        private void putInt(int v) throws IOException {
            if (n + 4 > buf.length) drain();
            INT_LE.set(buf, n, v);
            n += 4;
        }

        private void putLong(long v) throws IOException {
            if (n + 8 > buf.length) drain();
            LONG_LE.set(buf, n, v);
            n += 8;
        }

        private void putString(String s) throws IOException {
            if (s == null) {
                putInt(-1);
                return;
            }
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            putInt(b.length);
            put(b, 0, b.length);
        }

        private void put(byte[] b, int from, int len) throws IOException {
            if (n + len > buf.length) drain();
            if (len > buf.length) {
                crc.update(b, from, len);
                out.write(b, from, len);
                written += len;
            } else {
                System.arraycopy(b, from, buf, n, len);
                n += len;
            }
        }

        private void drain() throws IOException {
            crc.update(buf, 0, n);
            out.write(buf, 0, n);
            written += n;
            n = 0;
        }
    }
}
