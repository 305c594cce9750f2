package io.nexttrack.recommend;

import io.nexttrack.engine.EngineFactory;
import io.nexttrack.engine.Scorer;
import io.nexttrack.model.Parameters;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The scorers of one {@link Recommender}. On the CPU they are kept between calls, at most one per core: making one
 * allocates its workspaces (megabytes at V = 3,168), and a CPU scorer runs any batch up to its shape, so a kept one
 * serves every smaller request; a request larger than the kept scorer gets one that fits both, which is kept
 * instead. A GPU scorer holds a device context: it is made for its call and closed after it.
 */
final class ScorerPool {
    /** Larger scorers (many long histories in one call) are not kept: ~10 MB of workspaces at the seed's shape. */
    static final long MAX_KEPT_POSITIONS = 1024;

    private final EngineFactory engines;
    private final Parameters parameters;
    private final int maxIdle = Runtime.getRuntime().availableProcessors();
    private final ConcurrentLinkedDeque<Scorer> idle = new ConcurrentLinkedDeque<>();
    private final AtomicInteger idleCount = new AtomicInteger();

    ScorerPool(EngineFactory engines, Parameters parameters) {
        this.engines = engines;
        this.parameters = parameters;
    }

    /** A scorer for batches of up to {@code lanes x steps}, for the caller alone until {@link #give}. */
    Scorer take(int lanes, int steps) {
        if (engines.usesGpu() || !keeps(lanes, steps)) return engines.scorer(parameters, lanes, steps);
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
        if (!engines.usesGpu() && keeps(scorer.lanes(), scorer.steps())) {
            if (idleCount.incrementAndGet() <= maxIdle) {
                idle.push(scorer);
                return;
            }
            idleCount.decrementAndGet();
        }
        scorer.close();
    }

    /** Scorers kept now (for tests). */
    int kept() { return idleCount.get(); }
}
