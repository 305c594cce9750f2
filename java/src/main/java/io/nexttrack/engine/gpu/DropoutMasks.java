package io.nexttrack.engine.gpu;

import static org.bytedeco.cuda.global.cudart.cudaEventRecord;
import static org.bytedeco.cuda.global.cudart.cudaEventSynchronize;

import io.nexttrack.engine.cpu.Dropout;
import org.bytedeco.cuda.cudart.CUevent_st;

/**
 * Dropout masks for the fused LSTM, drawn on the host with the CPU engine's {@link Dropout} (the same seed, the
 * stream restarted at every step from the step number, layers in order), so that both engines drop the same
 * units and a resumed run draws the same masks; copied through two alternating page-locked slots as the chunks are.
 */
final class DropoutMasks {
    private final GpuContext ctx;
    private final Dropout dropout;
    private final int count, floats;
    private final float[] host;
    private final PinnedBuffer[] slots = new PinnedBuffer[2];
    private final CUevent_st[] copied = new CUevent_st[2];
    private final boolean[] used = new boolean[2];
    private final DeviceBuffer device;
    private int next;

    /** {@code count} masks (one per LSTM layer but the last) of {@code floats} each ([positions, H]). */
    DropoutMasks(GpuContext ctx, float probability, long seed, int count, int floats) {
        this.ctx = ctx;
        this.dropout = new Dropout(probability, seed);
        this.count = count;
        this.floats = floats;
        this.host = new float[floats];
        for (int i = 0; i < 2; i++) {
            slots[i] = ctx.pinned("dropout masks staging " + i, 4L * count * floats);
            copied[i] = ctx.event();
        }
        this.device = ctx.floats("dropout masks [" + count + ", " + floats + "]", (long) count * floats);
    }

    /** Draws this step's masks (the step number as the CPU engine restarts its stream) and queues their copy. */
    void draw(long step) {
        int slot = next;
        next ^= 1;
        if (used[slot]) Cuda.check(cudaEventSynchronize(copied[slot]), "cudaEventSynchronize(dropout masks staging)");
        dropout.restart(step);
        for (int l = 0; l < count; l++) {
            dropout.draw(host, floats);
            slots[slot].putFloats(4L * l * floats, host, floats);
        }
        ctx.toDevice(device.address(), slots[slot].pointer(), 4L * count * floats, "dropout masks");
        Cuda.check(cudaEventRecord(copied[slot], ctx.stream), "cudaEventRecord(dropout masks staging)");
        used[slot] = true;
    }

    /** The device address of mask {@code l} (of the output of LSTM layer l). */
    long mask(int l) { return device.at((long) l * floats); }
}
