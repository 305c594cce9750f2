package io.nexttrack.engine.gpu;

import io.nexttrack.data.Batch;

/**
 * Moves a chunk to the device: the host packs inputs, targets, lengths, the {@link PositionsBySong} grouping
 * and the reset flags into page-locked memory, and one asynchronous copy takes them across (through {@link
 * PinnedSlots}, so that packing chunk s + 1 never overwrites memory the copy of chunk s still reads).
 *
 * <p>Layout of a slot and of the device buffer, in ints: inputs [P], targets [P], lengths [B], songs [P],
 * offsets [P + 1], positions by song [P], then the reset bytes [P].
 */
final class ChunkStaging {
    private final int maxPositions;
    private final int maxLanes;
    private final PinnedSlots slots;
    private final DeviceBuffer device;

    ChunkStaging(GpuContext ctx, int maxLanes, int steps) {
        this.maxLanes = maxLanes;
        this.maxPositions = maxLanes * steps;
        long bytes = bytes(maxLanes, maxPositions);
        slots = new PinnedSlots(ctx, "chunk staging", bytes);
        device = ctx.bytes("chunk (inputs, targets, lengths, grouping, resets)", bytes);
    }

    static long bytes(int lanes, int positions) {
        return 4L * (5L * positions + lanes + 1) + positions + 8;
    }

    /**
     * Packs {@code batch} (at most the lanes and steps this staging was made for) and queues its copy; returns the
     * chunk's device addresses. {@code grouping} may be null when no embedding gradient is needed (scoring).
     */
    DeviceChunk upload(Batch batch, PositionsBySong grouping) {
        int lanes = batch.lanes, steps = batch.steps, p = lanes * steps;
        if (lanes > maxLanes || p > maxPositions) throw new IllegalArgumentException("chunk " + lanes + "x" + steps + " too big for the staging");
        PinnedBuffer host = slots.next();
        long inputs = 0, targets = 4L * p, lengths = 8L * p, songs = lengths + 4L * lanes, offsets = songs + 4L * p,
                bySong = offsets + 4L * (p + 1), resets = bySong + 4L * p, end = resets + p;
        host.putInts(inputs, batch.inputs, p);
        host.putInts(targets, batch.targets, p);
        host.putInts(lengths, batch.lengths, lanes);
        host.buffer.put((int) resets, batch.resets, 0, p);
        int count = 0;
        if (grouping != null) {
            count = grouping.count();
            host.putInts(songs, grouping.songs(), count);
            host.putInts(offsets, grouping.offsets(), count + 1);
            host.putInts(bySong, grouping.positions(), grouping.size());
        }
        slots.copyTo(device.address(), end, "chunk");
        long base = device.address();
        return new DeviceChunk(lanes, steps, batch.positions, base + inputs, base + targets, base + lengths, base + resets,
                base + songs, base + offsets, base + bySong, count);
    }
}
