package io.nexttrack.cli;

import picocli.CommandLine.Option;

/** {@code --threads N}: the CPU's worker threads (train, demo, bench, evaluate, serve). */
final class ThreadsOption {
    @Option(names = "--threads", paramLabel = "N", description = "CPU worker threads (default: all cores; more than the cores are not used).")
    int threads = Runtime.getRuntime().availableProcessors();

    /** {@code --threads}, at most the number of cores (see {@link #cap}; the note is printed once). */
    int count() {
        return threads = cap(threads);
    }

    /**
     * More threads than cores add no compute (and cost a lot when they spin: 64 threads on 2 cores once ran 10-20x
     * slower than 2): use the cores, and say so.
     */
    static int cap(int requested) {
        if (requested < 1) throw new Main.UserError("at least one thread is needed (--threads " + requested + ")");
        int cores = Runtime.getRuntime().availableProcessors();
        if (requested <= cores) return requested;
        System.err.printf("nexttrack: note: --threads %d is more than the %d cores of this machine: using %d%n", requested, cores, cores);
        return cores;
    }
}
