package io.nexttrack.data;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Playlists over songs {@code 0..songCount-1}, stored flat: playlist {@code p} is
 * {@code songs[offsets[p] .. offsets[p+1])}. Immutable by convention (arrays are not copied).
 *
 * <p>Two forms, one behaviour: on the heap ({@code int} offsets and song ids in Java arrays), or mapped from a
 * {@link PlaylistStore} file ({@code long} offsets and {@code int} song ids read in place from the mapped file,
 * optionally through a list of the stored playlists that this object shows, which is what {@link #select} makes
 * of mapped playlists). The batchers, the evaluator and the trainer read playlists through {@link #size},
 * {@link #length} and {@link #song}, which work on both forms without copying anything; {@link #offsets()},
 * {@link #songs()} and {@link #start} are the heap form's arrays, and mapped playlists make that form once,
 * on first use ({@link #onHeap()}).
 */
public final class Playlists {
    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final int songCount;
    /** The heap form; null when mapped. */
    private final int[] offsets, songs;
    /** The mapped form: stored playlist q is {@code ids[starts[q] .. starts[q+1])} (int64 and int32, little-endian). */
    private final MemorySegment starts, ids;
    /** The stored playlists shown, in order ({@code null}: all of them, in stored order). */
    private final int[] index;
    private final int size;
    /** The heap form of mapped playlists, made on first use. */
    private volatile Playlists heap;

    public Playlists(int songCount, int[] offsets, int[] songs) {
        if (offsets.length == 0 || offsets[0] != 0 || offsets[offsets.length - 1] != songs.length) {
            throw new IllegalArgumentException("offsets must start at 0 and end at songs.length");
        }
        this.songCount = songCount;
        this.offsets = offsets;
        this.songs = songs;
        this.starts = null;
        this.ids = null;
        this.index = null;
        this.size = offsets.length - 1;
    }

    private Playlists(int songCount, MemorySegment starts, MemorySegment ids, int[] index) {
        this.songCount = songCount;
        this.offsets = null;
        this.songs = null;
        this.starts = starts;
        this.ids = ids;
        this.index = index;
        this.size = index != null ? index.length : Math.toIntExact(starts.byteSize() / 8 - 1);
    }

    /**
     * Playlists read in place: {@code starts} holds n + 1 little-endian int64 offsets (0 first, non-decreasing,
     * the number of ids last) into {@code ids}, little-endian int32 song ids below {@code songCount}. The caller
     * ({@link PlaylistStore}) has checked that; nothing is copied.
     */
    static Playlists mapped(int songCount, MemorySegment starts, MemorySegment ids) {
        return new Playlists(songCount, starts, ids, null);
    }

    /** Builds playlists from nested arrays (handy in tests and small tools). */
    public static Playlists of(int songCount, int[]... lists) {
        int[] offsets = new int[lists.length + 1];
        for (int p = 0; p < lists.length; p++) offsets[p + 1] = offsets[p] + lists[p].length;
        int[] songs = new int[offsets[lists.length]];
        for (int p = 0; p < lists.length; p++) System.arraycopy(lists[p], 0, songs, offsets[p], lists[p].length);
        return new Playlists(songCount, offsets, songs);
    }

    public int songCount() { return songCount; }

    public int size() { return size; }

    /** True for playlists read in place from a mapped {@link PlaylistStore} (false for the heap form). */
    public boolean isMapped() { return songs == null; }

    public int length(int p) {
        if (songs != null) return offsets[p + 1] - offsets[p];
        int q = stored(p);
        return (int) (starts.getAtIndex(LONG, q + 1) - starts.getAtIndex(LONG, q));
    }

    public int song(int p, int i) {
        if (songs != null) return songs[offsets[p] + i];
        return ids.getAtIndex(INT, starts.getAtIndex(LONG, stored(p)) + i);
    }

    private int stored(int p) {
        return index == null ? p : index[p];
    }

    public int[] playlist(int p) {
        if (songs != null) return Arrays.copyOfRange(songs, offsets[p], offsets[p + 1]);
        long from = starts.getAtIndex(LONG, stored(p));
        return ids.asSlice(from * 4, 4L * length(p)).toArray(INT);
    }

    /** The heap form's offsets into {@link #songs()} (mapped playlists make the heap form first: see {@link #onHeap()}). */
    public int[] offsets() { return onHeap().offsets; }

    /** The heap form's song ids, all playlists back to back (mapped playlists make the heap form first). */
    public int[] songs() { return onHeap().songs; }

    /** Where playlist p begins in {@link #songs()}. */
    public int start(int p) { return onHeap().offsets[p]; }

    /**
     * These playlists on the heap: this object for the heap form; for mapped playlists a copy into Java arrays,
     * made once and kept (it needs 4 bytes per play and per playlist, and fails for more than about 2^31 plays).
     */
    public Playlists onHeap() {
        if (songs != null) return this;
        Playlists h = heap;
        if (h == null) {
            synchronized (this) {
                h = heap;
                if (h == null) {
                    long plays = tokens();
                    if (plays > IntList.MAX_SIZE) {
                        throw new IllegalStateException(String.format(java.util.Locale.ROOT,
                                "%,d plays are too many to copy into one Java array", plays));
                    }
                    int[] off = new int[size + 1];
                    int[] all = new int[(int) plays];
                    for (int p = 0; p < size; p++) {
                        long from = starts.getAtIndex(LONG, stored(p));
                        int n = length(p);
                        MemorySegment.copy(ids, INT, from * 4, all, off[p], n);
                        off[p + 1] = off[p] + n;
                    }
                    heap = h = new Playlists(songCount, off, all);
                }
            }
        }
        return h;
    }

    /** Songs in all playlists together. */
    public long tokens() {
        if (songs != null) return songs.length;
        if (index == null) return starts.getAtIndex(LONG, size);
        long t = 0;
        for (int p = 0; p < size; p++) t += length(p);
        return t;
    }

    /** Next-song transitions: each playlist of length n contributes n - 1. */
    public long transitions() {
        long t = 0;
        for (int p = 0; p < size(); p++) t += Math.max(0, length(p) - 1);
        return t;
    }

    /**
     * Identifies these playlists (their count, their plays, a CRC-32C of every song id and playlist boundary),
     * e.g. {@code "1,200 playlists, 5,300 plays, CRC-32C 1a2b3c4d"}: a resumed run checks that it trains on the
     * same playlists in the same order. The same playlists give the same fingerprint in either form.
     */
    public String fingerprint() {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(1 << 16);
        buf.putInt(songCount);
        long at = 0;
        for (int p = 0; p <= size; p++) {
            if (!buf.hasRemaining()) flush(crc, buf);
            buf.putInt((int) at); // int offsets, as the heap form holds them
            if (p < size) at += length(p);
        }
        if (songs != null) {
            for (int v : songs) {
                if (!buf.hasRemaining()) flush(crc, buf);
                buf.putInt(v);
            }
        } else {
            for (int p = 0; p < size; p++) {
                for (int i = 0, n = length(p); i < n; i++) {
                    if (!buf.hasRemaining()) flush(crc, buf);
                    buf.putInt(song(p, i));
                }
            }
        }
        crc.update(buf.flip());
        return String.format(java.util.Locale.ROOT, "%,d playlists, %,d plays, CRC-32C %08x", size(), tokens(), crc.getValue());
    }

    private static void flush(java.util.zip.CRC32C crc, java.nio.ByteBuffer buf) {
        crc.update(buf.flip());
        buf.clear();
    }

    /** How often each song occurs. */
    public int[] songCounts() {
        int[] counts = new int[songCount];
        if (songs != null) {
            for (int s : songs) counts[s]++;
        } else if (index == null) {
            for (long i = 0, n = tokens(); i < n; i++) counts[ids.getAtIndex(INT, i)]++;
        } else {
            for (int p = 0; p < size; p++) for (int i = 0, n = length(p); i < n; i++) counts[song(p, i)]++;
        }
        return counts;
    }

    /** The playlists at the given indices, in that order: a copy for the heap form, a view (no copy) for mapped ones. */
    public Playlists select(int[] indices) {
        if (songs == null) {
            int[] picked = new int[indices.length];
            for (int i = 0; i < indices.length; i++) {
                if (indices[i] < 0 || indices[i] >= size) throw new IndexOutOfBoundsException(indices[i]);
                picked[i] = stored(indices[i]);
            }
            return new Playlists(songCount, starts, ids, picked);
        }
        int[] off = new int[indices.length + 1];
        for (int i = 0; i < indices.length; i++) off[i + 1] = off[i] + length(indices[i]);
        int[] out = new int[off[indices.length]];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(songs, offsets[indices[i]], out, off[i], length(indices[i]));
        }
        return new Playlists(songCount, off, out);
    }
}
