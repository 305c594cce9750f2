package io.nexttrack.engine.gpu;

import io.nexttrack.engine.Candidates;

/**
 * Moves a chunk's candidate set ({@link Candidates}, made on the host) to the device through {@link PinnedSlots}, as
 * {@link ChunkStaging} moves the chunk: the candidate songs (ascending), each position's target as a candidate column
 * (what {@code nt_softmax_xent} takes as its targets on the sampled path) and the logQ corrections. Also holds
 * {@code 0, 1, ..., P - 1} on the device: the "songs" of {@code nt_embedding_grad} when it writes the compact
 * gradient's rows (row k = the chunk's k-th distinct input song).
 *
 * <p>Layout, in 4-byte words: columns [maxCandidates], targets [P], corrections [maxCandidates] (floats).
 */
final class SampledStaging {
    private final int maxCandidates, positions;
    private final PinnedSlots slots;
    private final DeviceBuffer device, rowNumbers;

    /** The candidate set of one chunk on the device. */
    record Uploaded(int count, long columns, long targets, long corrections) {}

    SampledStaging(GpuContext ctx, int maxCandidates, int positions) {
        this.maxCandidates = maxCandidates;
        this.positions = positions;
        long bytes = 4L * (2L * maxCandidates + positions);
        this.slots = new PinnedSlots(ctx, "candidates staging", bytes);
        this.device = ctx.bytes("candidates (columns, target columns, corrections)", bytes);
        this.rowNumbers = ctx.floats("row numbers 0 .. P - 1", positions);
        PinnedBuffer numbers = ctx.pinned("row numbers staging", 4L * positions);
        int[] n = new int[positions];
        for (int i = 0; i < positions; i++) n[i] = i;
        numbers.putInts(0, n, positions);
        ctx.toDevice(rowNumbers.address(), numbers.pointer(), 4L * positions, "row numbers");
        ctx.synchronize("row numbers uploaded");
    }

    /** The device address of {@code 0, 1, ..., P - 1}. */
    long rowNumbers() { return rowNumbers.address(); }

    /** Packs {@code c} (made for a chunk of {@code p <= P} positions) and queues its copy. */
    Uploaded upload(Candidates c, int p) {
        if (c.count() > maxCandidates || p > positions) throw new IllegalArgumentException("candidates too big for the staging");
        PinnedBuffer host = slots.next();
        long columns = 0, targets = 4L * maxCandidates, corrections = targets + 4L * positions;
        host.putInts(columns, c.columns(), c.count());
        host.putInts(targets, c.targetColumn(), p);
        host.putFloats(corrections, c.correction(), c.count());
        slots.copyTo(device.address(), corrections + 4L * c.count(), "candidates");
        long base = device.address();
        return new Uploaded(c.count(), base + columns, base + targets, base + corrections);
    }
}
