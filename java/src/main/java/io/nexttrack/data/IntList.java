package io.nexttrack.data;

import java.util.Arrays;

/** A growable array of primitive ints: no boxing where millions of song ids are read. */
public final class IntList {
    private int[] a;
    private int n;

    public IntList(int capacity) { a = new int[Math.max(capacity, 4)]; }

    public void add(int v) {
        if (n == a.length) a = Arrays.copyOf(a, a.length * 2);
        a[n++] = v;
    }

    public int get(int i) { return a[i]; }

    public int size() { return n; }

    public void clear() { n = 0; }

    public int[] toArray() { return Arrays.copyOf(a, n); }
}
