package io.nexttrack.engine.cpu;

/**
 * What a part of the engine allocates, computed from the same shapes as its constructor, so that a
 * configuration can be checked against the heap (and against the largest Java array) before anything is
 * allocated. A test holds each estimate to the bytes really allocated.
 *
 * @param bytes        heap bytes of its arrays (headers not counted)
 * @param largestArray elements of its largest array
 */
public record Workspace(long bytes, long largestArray) {
    /** The most elements one Java array holds. */
    public static final long MAX_ARRAY = Integer.MAX_VALUE - 16;
    static final Workspace NONE = new Workspace(0, 0);

    static Workspace floats(long n) { return new Workspace(4 * n, n); }

    static Workspace ints(long n) { return new Workspace(4 * n, n); }

    static Workspace doubles(long n) { return new Workspace(8 * n, n); }

    Workspace plus(Workspace o) { return new Workspace(bytes + o.bytes, Math.max(largestArray, o.largestArray)); }

    Workspace times(long k) { return new Workspace(bytes * k, largestArray); }
}
