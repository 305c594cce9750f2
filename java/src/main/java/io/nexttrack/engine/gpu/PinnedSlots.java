package io.nexttrack.engine.gpu;

import static org.bytedeco.cuda.global.cudart.cudaEventRecord;
import static org.bytedeco.cuda.global.cudart.cudaEventSynchronize;

import org.bytedeco.cuda.cudart.CUevent_st;

/**
 * Two page-locked buffers used in turn to copy host data to the device without waiting for the step: packing the
 * next one never overwrites memory that a queued copy still reads (an event per buffer says when its copy is done;
 * waiting for it waits for an old copy, not for the step). The chunks and the dropout masks go through these.
 */
final class PinnedSlots {
    private final GpuContext ctx;
    private final PinnedBuffer[] slots = new PinnedBuffer[2];
    private final CUevent_st[] copied = new CUevent_st[2];
    private final boolean[] used = new boolean[2];
    private int current = 1;

    PinnedSlots(GpuContext ctx, String what, long bytes) {
        this.ctx = ctx;
        for (int i = 0; i < 2; i++) {
            slots[i] = ctx.pinned(what + " " + i, bytes);
            copied[i] = ctx.event();
        }
    }

    /** The buffer to pack next, once the copy queued from it two calls ago has finished. */
    PinnedBuffer next() {
        current ^= 1;
        if (used[current]) Cuda.check(cudaEventSynchronize(copied[current]), "cudaEventSynchronize(" + slots[current].what + ")");
        return slots[current];
    }

    /** Queues the copy of the first {@code bytes} of the buffer {@link #next} gave to the device address {@code to}. */
    void copyTo(long to, long bytes, String what) {
        ctx.toDevice(to, slots[current].pointer(), bytes, what);
        Cuda.check(cudaEventRecord(copied[current], ctx.stream), "cudaEventRecord(" + slots[current].what + ")");
        used[current] = true;
    }
}
