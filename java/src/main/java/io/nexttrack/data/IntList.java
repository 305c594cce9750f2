package io.nexttrack.data;

import java.util.Arrays;

/** A growable array of primitive ints: no boxing where millions of song ids are read. */
public final class IntList {
    /** The most ints one Java array holds. */
    public static final int MAX_SIZE = Integer.MAX_VALUE - 16;

    private int[] a;
    private int n;

    public IntList(int capacity) { a = new int[Math.max(capacity, 4)]; }

    public void add(int v) {
        if (n == a.length) {
            if (n == MAX_SIZE) throw new IllegalStateException("more than " + MAX_SIZE + " ints: too many for one array");
            a = Arrays.copyOf(a, (int) Math.min(MAX_SIZE, 2L * a.length));
        }
        a[n++] = v;
    }

    public int get(int i) { return a[i]; }

    public int size() { return n; }

    public void clear() { n = 0; }

    public int[] toArray() { return Arrays.copyOf(a, n); }
}
