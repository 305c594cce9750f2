package io.nexttrack.io;

import java.util.Locale;

/**
 * Refuses work that would not fit in the Java heap before it allocates anything: an out-of-memory error
 * half-way through is a stack trace and lost time, a refusal up front is one line with the figures.
 */
public final class HeapCheck {
    private HeapCheck() {}

    /** Heap bytes that can still be allocated (the garbage collector runs first if that decides it). */
    public static long available(long wanted) {
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if (free >= wanted) return free;
        System.gc(); // what looked used may be garbage
        return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    }

    /**
     * Fails with "WHAT needs about X of memory (DETAIL), but only Y of the Java heap is free" unless {@code bytes}
     * more can be allocated.
     */
    public static void require(long bytes, String what, String detail) {
        long free = available(bytes);
        if (bytes <= free) return;
        throw new IllegalArgumentException(String.format(Locale.ROOT, "%s needs about %s of memory (%s) but only %s of the Java "
                        + "heap is free: make it smaller, or give Java more (NEXTTRACK_JAVA_OPTS=-Xmx%dg, or more)",
                what, ByteSize.of(bytes), detail, ByteSize.of(Math.max(0, free)), suggestedGiB(bytes, free)));
    }

    /**
     * The heap, in whole GiB, that would hold what is in use now plus {@code bytes} more, with an eighth spare for
     * the garbage collector: the -Xmx to suggest.
     */
    static long suggestedGiB(long bytes, long free) {
        Runtime rt = Runtime.getRuntime();
        long used = rt.maxMemory() - Math.max(0, free);
        double needed = (used + bytes) * 1.125;
        return (long) Math.ceil(needed / (1L << 30));
    }
}
