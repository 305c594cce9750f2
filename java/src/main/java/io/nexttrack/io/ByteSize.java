package io.nexttrack.io;

import java.util.Locale;

/** Sizes for people: 1.2 GiB, 340.0 MiB, 12.0 KiB (binary units, one decimal). */
public final class ByteSize {
    private ByteSize() {}

    public static String of(long bytes) {
        if (bytes >= 1L << 40) return String.format(Locale.ROOT, "%,.1f TiB", bytes / (double) (1L << 40));
        if (bytes >= 1L << 30) return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
        if (bytes >= 1L << 20) return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
        return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }
}
