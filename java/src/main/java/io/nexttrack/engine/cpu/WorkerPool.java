package io.nexttrack.engine.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed team of {@code parts} threads (the caller plus {@code parts - 1} workers) that run one job
 * together: {@code job.run(part, parts)} once per part, then return. Reused for every phase of every
 * step, so a step allocates no threads and no task objects; with one part the caller runs alone.
 *
 * <p>Internal to the engine; public only for the kernel benchmarks.
 */
public final class WorkerPool implements AutoCloseable {
    /** One share of a parallel job; {@code part} in [0, parts). */
    @FunctionalInterface
    public interface Job {
        void run(int part, int parts);
    }

    /** Spins before parking: phases are short, and unpark latency would dominate them. */
    private static final int SPINS = 20_000;

    private final int parts;
    /**
     * Spins before parking, 0 when there are more threads than cores: then a spinning thread takes the core that
     * a working one needs, and every phase waits for the scheduler (64 threads on 2 cores ran 10-20x slower than 2).
     */
    private final int spins;
    private final Thread[] workers;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile Job job;
    private volatile int generation;
    private volatile Thread caller;
    private volatile Throwable failure;
    private volatile boolean closed;

    public WorkerPool(int parts) {
        if (parts < 1) throw new IllegalArgumentException("threads must be positive: " + parts);
        this.parts = parts;
        this.spins = parts > Runtime.getRuntime().availableProcessors() ? 0 : SPINS;
        this.workers = new Thread[parts - 1];
        for (int i = 0; i < workers.length; i++) {
            int part = i + 1;
            workers[i] = Thread.ofPlatform().daemon().name("cpu-engine-" + part).unstarted(() -> work(part));
            workers[i].start();
        }
    }

    int parts() { return parts; }

    int spins() { return spins; }

    /** Runs {@code job} on every part and returns when all are done; rethrows the first failure. */
    public void run(Job job) {
        if (closed) throw new IllegalStateException("worker pool is closed");
        if (parts == 1) {
            job.run(0, 1);
            return;
        }
        this.job = job;
        this.failure = null;
        this.caller = Thread.currentThread();
        pending.set(parts - 1);
        generation = generation + 1; // publishes job: only the calling thread writes generation
        for (Thread w : workers) LockSupport.unpark(w);
        Throwable mine = null;
        try {
            job.run(0, parts);
        } catch (Throwable e) {
            mine = e;
        }
        for (int spin = 0; pending.get() != 0; spin++) {
            if (spin < spins) Thread.onSpinWait();
            else LockSupport.park(this);
        }
        Throwable first = mine != null ? mine : failure;
        if (first instanceof RuntimeException r) throw r;
        if (first instanceof Error e) throw e;
        if (first != null) throw new IllegalStateException(first);
    }

    private void work(int part) {
        int seen = 0;
        while (true) {
            int spin = 0;
            while (generation == seen && !closed) {
                if (spin++ < spins) Thread.onSpinWait();
                else LockSupport.park(this);
            }
            if (closed) return;
            seen = generation;
            try {
                job.run(part, parts);
            } catch (Throwable e) {
                failure = e;
            } finally {
                if (pending.decrementAndGet() == 0) LockSupport.unpark(caller);
            }
        }
    }

    /** Start of share {@code part} of [0, n) cut into {@code parts} pieces whose starts are multiples of {@code align}. */
    public static int split(int n, int part, int parts, int align) {
        int chunk = ((n + parts - 1) / parts + align - 1) / align * align;
        return Math.min(n, part * chunk);
    }

    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) LockSupport.unpark(w);
        for (Thread w : workers) {
            try {
                w.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
