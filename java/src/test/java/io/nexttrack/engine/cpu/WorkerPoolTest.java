package io.nexttrack.engine.cpu;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {
    private static final int CORES = Runtime.getRuntime().availableProcessors();

    /** Each of many short jobs runs every part exactly once, with far more threads than cores. */
    @Test
    void anOversubscribedPoolRunsEveryPartAndDoesNotSpin() {
        int parts = 16 * CORES;
        try (WorkerPool pool = new WorkerPool(parts)) {
            assertEquals(0, pool.spins(), "threads beyond the cores park at once instead of spinning");
            AtomicLong sum = new AtomicLong();
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                for (int job = 0; job < 300; job++) pool.run((part, n) -> sum.addAndGet(part + 1));
            });
            assertEquals(300L * parts * (parts + 1) / 2, sum.get());
        }
        try (WorkerPool pool = new WorkerPool(CORES)) {
            assertTrue(pool.spins() > 0, "with a core each, short waits spin");
        }
    }

    @Test
    void aFailingPartIsRethrownAndThePoolGoesOn() {
        try (WorkerPool pool = new WorkerPool(3)) {
            var e = assertThrows(IllegalStateException.class, () -> pool.run((part, n) -> {
                if (part == 2) throw new IllegalStateException("part 2 failed");
            }));
            assertEquals("part 2 failed", e.getMessage());
            AtomicLong ran = new AtomicLong();
            pool.run((part, n) -> ran.incrementAndGet());
            assertEquals(3, ran.get());
        }
    }
}
