package io.nexttrack.data;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A {@link PlaylistStore}'s table of strings read in place: per entry an int32 length in bytes (-1: none) and that
 * many bytes of UTF-8. An entry is decoded when asked for, so that opening a store with millions of songs makes
 * no String: only the position of each entry (4 bytes) is kept.
 */
final class StringTable {
    private static final ValueLayout.OfInt LENGTH = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final MemorySegment bytes;
    /** Entry i's length prefix is at {@code at[i]}. */
    private final int[] at;
    private final boolean anyPresent;

    private StringTable(MemorySegment bytes, int[] at, boolean anyPresent) {
        this.bytes = bytes;
        this.at = at;
        this.anyPresent = anyPresent;
    }

    /**
     * The table of {@code count} entries that fills {@code bytes} exactly; null entries only if {@code nullable}.
     * Throws IllegalArgumentException saying what is wrong with a table that does not.
     */
    static StringTable of(MemorySegment bytes, int count, boolean nullable) {
        if (bytes.byteSize() > Integer.MAX_VALUE - 16) throw new IllegalArgumentException("a string table is larger than 2 GiB");
        int size = (int) bytes.byteSize();
        int[] at = new int[count];
        boolean any = false;
        int pos = 0;
        for (int i = 0; i < count; i++) {
            if (size - pos < 4) throw new IllegalArgumentException("a string table ends before its last entry");
            at[i] = pos;
            int len = bytes.get(LENGTH, pos);
            pos += 4;
            if (len == -1 && nullable) continue;
            if (len < 0 || len > size - pos) throw new IllegalArgumentException("a string of impossible length " + len);
            pos += len;
            any = true;
        }
        if (pos != size) throw new IllegalArgumentException("a string table does not end where the next section begins");
        return new StringTable(bytes, at, any);
    }

    int size() { return at.length; }

    /** Entry i, or null where there is none. */
    String get(int i) {
        int len = bytes.get(LENGTH, at[i]);
        if (len < 0) return null;
        return new String(bytes.asSlice(at[i] + 4L, len).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    /** True unless every entry is null. */
    boolean anyPresent() { return anyPresent; }
}
