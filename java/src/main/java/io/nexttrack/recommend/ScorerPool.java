package io.nexttrack.recommend;

import io.nexttrack.engine.EngineFactory;
import io.nexttrack.engine.Scorer;
import io.nexttrack.model.Parameters;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The scorers of one {@link Recommender}, kept between calls: making one allocates its workspaces (megabytes at
 * V = 3,168), and on a GPU it also creates a device context and uploads the parameters (far more than a request's
 * work). A kept scorer serves every request up to its shape (the Recommender pads a GPU scorer's batch to it); a
 * request larger than the kept scorer gets one that fits both, which is kept instead. On the CPU at most one is
 * kept per core; on a GPU one (the device runs one batch at a time anyway; a concurrent call makes its own and
 * closes it). {@link #close} closes the kept ones, and those in use when they come back.
 */
final class ScorerPool implements AutoCloseable {
    /** Larger scorers (many long histories in one call) are not kept: ~10 MB of workspaces at the seed's shape. */
    static final long MAX_KEPT_POSITIONS = 1024;

    private final EngineFactory engines;
    private final Parameters parameters;
    private final int maxIdle;
    private volatile boolean closed;
    private final ConcurrentLinkedDeque<Scorer> idle = new ConcurrentLinkedDeque<>();
    private final AtomicInteger idleCount = new AtomicInteger();

    ScorerPool(EngineFactory engines, Parameters parameters) {
        this.engines = engines;
        this.parameters = parameters;
        this.maxIdle = engines.usesGpu() ? 1 : Runtime.getRuntime().availableProcessors();
    }

    /** A scorer for batches of up to {@code lanes x steps}, for the caller alone until {@link #give}. */
    Scorer take(int lanes, int steps) {
        if (!keeps(lanes, steps)) return engines.scorer(parameters, lanes, steps);
        Scorer kept = idle.pollFirst();
        if (kept != null) {
            idleCount.decrementAndGet();
            if (kept.lanes() >= lanes && kept.steps() >= steps) return kept;
            int l = Math.max(lanes, kept.lanes()), s = Math.max(steps, kept.steps());
            if (keeps(l, s)) { // one that fits both replaces it
                kept.close();
                return engines.scorer(parameters, l, s);
            }
            give(kept);
        }
        return engines.scorer(parameters, lanes, steps);
    }

    private static boolean keeps(int lanes, int steps) {
        return (long) lanes * steps <= MAX_KEPT_POSITIONS;
    }

    /** Hands a scorer back after its call: kept for the next, or closed. */
    void give(Scorer scorer) {
        if (!closed && keeps(scorer.lanes(), scorer.steps())) {
            if (idleCount.incrementAndGet() <= maxIdle) {
                idle.push(scorer);
                if (closed) closeIdle(); // closed meanwhile: this one too
                return;
            }
            idleCount.decrementAndGet();
        }
        scorer.close();
    }

    /** Closes the kept scorers; those in use are closed when they come back. */
    @Override
    public void close() {
        closed = true;
        closeIdle();
    }

    private void closeIdle() {
        for (Scorer s; (s = idle.pollFirst()) != null; ) {
            idleCount.decrementAndGet();
            s.close();
        }
    }

    /** Scorers kept now (for tests). */
    int kept() { return idleCount.get(); }
}
