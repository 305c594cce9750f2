package io.nexttrack.serve;

import io.nexttrack.recommend.Recommendation;
import io.nexttrack.recommend.Recommender;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.LongAdder;

/**
 * Runs concurrent recommendation requests through the model together. A few compute threads (one per
 * core) each take whatever requests are waiting, up to {@code maxBatch}, and answer them with one
 * batched {@link Recommender#recommend(int[][], int, boolean)} call: one request alone is answered at
 * once, while under load the weights are read once for many histories (less work per request; measured
 * in benchmarks/README.md). No request waits for a batch to fill.
 */
final class BatchQueue implements AutoCloseable {
    /** Requests waiting beyond this are refused (the server answers 503) rather than queued without bound. */
    static final int CAPACITY = 4096;

    private record Job(Recommender recommender, int[] history, int k, boolean excludeSeen,
                       CompletableFuture<List<Recommendation>> result) {}

    /** Requests that can share one call: same model, same exclusion. */
    private record Group(Recommender recommender, boolean excludeSeen) {}

    /** The queue is full, or the server is stopping: the request can be tried again later (503). */
    static final class Unavailable extends RuntimeException {
        Unavailable(String message) { super(message); }
    }

    private static final String STOPPING = "the server is stopping";

    private final BlockingQueue<Job> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final LongAdder answered = new LongAdder(), calls = new LongAdder();
    private final int maxBatch;
    private final Thread[] workers;
    private volatile boolean closed;

    BatchQueue(int threads, int maxBatch) {
        if (threads < 1 || maxBatch < 1) throw new IllegalArgumentException("threads and batch size must be at least 1");
        this.maxBatch = maxBatch;
        this.workers = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            workers[i] = Thread.ofPlatform().daemon().name("recommend-" + i).start(this::work);
        }
    }

    /** The k best next songs after {@code history}, computed in a batch with whatever else is waiting. */
    List<Recommendation> recommend(Recommender r, int[] history, int k, boolean excludeSeen) throws InterruptedException {
        Job job = new Job(r, history, k, excludeSeen, new CompletableFuture<>());
        if (closed) throw new Unavailable(STOPPING);
        if (!queue.offer(job)) throw new Unavailable("the server is busy; try again");
        if (closed && queue.remove(job)) throw new Unavailable(STOPPING); // raced with close
        try {
            return job.result().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException(e.getCause());
        }
    }

    private void work() {
        List<Job> batch = new ArrayList<>(maxBatch);
        while (!closed) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                break;
            }
            queue.drainTo(batch, maxBatch - 1);
            Map<Group, List<Job>> groups = new LinkedHashMap<>();
            for (Job j : batch) groups.computeIfAbsent(new Group(j.recommender(), j.excludeSeen()), g -> new ArrayList<>()).add(j);
            groups.forEach(this::answer);
            batch.clear();
        }
    }

    /** One batched call for a group; each request gets the first k of the largest k asked (top-k lists are prefixes). */
    private void answer(Group g, List<Job> jobs) {
        try {
            int[][] histories = new int[jobs.size()][];
            int k = 0;
            for (int i = 0; i < histories.length; i++) {
                histories[i] = jobs.get(i).history();
                k = Math.max(k, jobs.get(i).k());
            }
            List<List<Recommendation>> lists = g.recommender().recommend(histories, k, g.excludeSeen());
            calls.increment();
            answered.add(histories.length);
            for (int i = 0; i < histories.length; i++) {
                List<Recommendation> all = lists.get(i);
                jobs.get(i).result().complete(all.subList(0, Math.min(jobs.get(i).k(), all.size())));
            }
        } catch (Throwable t) { // the requests fail, never the worker; one bad request must not fail the others
            if (jobs.size() == 1) {
                jobs.getFirst().result().completeExceptionally(t);
            } else {
                for (Job j : jobs) answer(g, List.of(j));
            }
        }
    }

    /** Requests answered so far. */
    long answered() { return answered.sum(); }

    /** Batched model calls made so far: {@code answered() / calls()} is the mean batch size. */
    long calls() { return calls.sum(); }

    /** Stops the compute threads; requests still waiting fail with "the server is stopping" (503). */
    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) w.interrupt();
        try {
            for (Thread w : workers) w.join(Duration.ofSeconds(5)); // a batch in progress finishes
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Job j; (j = queue.poll()) != null; ) j.result().completeExceptionally(new Unavailable(STOPPING));
    }
}
