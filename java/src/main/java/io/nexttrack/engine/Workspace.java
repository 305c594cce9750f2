package io.nexttrack.engine;

/**
 * What a part of an engine allocates in the Java heap, computed from the same shapes as its constructor, so that a
 * configuration can be checked against the heap (and against the largest Java array) before anything is
 * allocated ({@link EngineFactory#cpuWorkspace} for the CPU engine). A test holds each estimate to the bytes really
 * allocated.
 *
 * @param bytes        heap bytes of its arrays (headers not counted)
 * @param largestArray elements of its largest array
 */
public record Workspace(long bytes, long largestArray) {
    /** The most elements one Java array holds. */
    public static final long MAX_ARRAY = Integer.MAX_VALUE - 16;
    /** Nothing in the Java heap (a GPU engine keeps its workspaces on the device). */
    public static final Workspace NONE = new Workspace(0, 0);

    public static Workspace floats(long n) { return new Workspace(4 * n, n); }

    public static Workspace ints(long n) { return new Workspace(4 * n, n); }

    public static Workspace doubles(long n) { return new Workspace(8 * n, n); }

    public Workspace plus(Workspace o) { return new Workspace(bytes + o.bytes, Math.max(largestArray, o.largestArray)); }

    public Workspace times(long k) { return new Workspace(bytes * k, largestArray); }
}
