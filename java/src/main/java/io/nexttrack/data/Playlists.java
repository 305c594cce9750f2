package io.nexttrack.data;

import java.util.Arrays;

/**
 * Playlists over songs {@code 0..songCount-1}, stored flat: playlist {@code p} is
 * {@code songs[offsets[p] .. offsets[p+1])}. Immutable by convention (arrays are not copied).
 */
public record Playlists(int songCount, int[] offsets, int[] songs) {

    public Playlists {
        if (offsets.length == 0 || offsets[0] != 0 || offsets[offsets.length - 1] != songs.length) {
            throw new IllegalArgumentException("offsets must start at 0 and end at songs.length");
        }
    }

    /** Builds playlists from nested arrays (handy in tests and small tools). */
    public static Playlists of(int songCount, int[]... lists) {
        int[] offsets = new int[lists.length + 1];
        for (int p = 0; p < lists.length; p++) offsets[p + 1] = offsets[p] + lists[p].length;
        int[] songs = new int[offsets[lists.length]];
        for (int p = 0; p < lists.length; p++) System.arraycopy(lists[p], 0, songs, offsets[p], lists[p].length);
        return new Playlists(songCount, offsets, songs);
    }

    public int size() { return offsets.length - 1; }

    public int length(int p) { return offsets[p + 1] - offsets[p]; }

    public int start(int p) { return offsets[p]; }

    public int song(int p, int i) { return songs[offsets[p] + i]; }

    public int[] playlist(int p) { return Arrays.copyOfRange(songs, offsets[p], offsets[p + 1]); }

    /** Songs in all playlists together. */
    public long tokens() { return songs.length; }

    /** Next-song transitions: each playlist of length n contributes n - 1. */
    public long transitions() {
        long t = 0;
        for (int p = 0; p < size(); p++) t += Math.max(0, length(p) - 1);
        return t;
    }

    /**
     * Identifies these playlists (their count, their plays, a CRC-32C of every song id and playlist boundary),
     * e.g. {@code "1,200 playlists, 5,300 plays, CRC-32C 1a2b3c4d"}: a resumed run checks that it trains on the
     * same playlists in the same order.
     */
    public String fingerprint() {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(1 << 16);
        buf.putInt(songCount);
        for (int[] a : new int[][] {offsets, songs}) {
            for (int v : a) {
                if (!buf.hasRemaining()) {
                    crc.update(buf.flip());
                    buf.clear();
                }
                buf.putInt(v);
            }
        }
        crc.update(buf.flip());
        return String.format(java.util.Locale.ROOT, "%,d playlists, %,d plays, CRC-32C %08x", size(), tokens(), crc.getValue());
    }

    /** How often each song occurs. */
    public int[] songCounts() {
        int[] counts = new int[songCount];
        for (int s : songs) counts[s]++;
        return counts;
    }

    /** The playlists at the given indices, in that order. */
    public Playlists select(int[] indices) {
        int[] off = new int[indices.length + 1];
        for (int i = 0; i < indices.length; i++) off[i + 1] = off[i] + length(indices[i]);
        int[] out = new int[off[indices.length]];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(songs, offsets[indices[i]], out, off[i], length(indices[i]));
        }
        return new Playlists(songCount, off, out);
    }
}
