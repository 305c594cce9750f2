package io.nexttrack.engine.gpu;

import io.nexttrack.engine.cpu.Dropout;

/**
 * Dropout masks for the fused LSTM, drawn on the host with the CPU engine's {@link Dropout} (the same seed, the
 * stream restarted at every step from the step number, layers in order), so that both engines drop the same
 * units and a resumed run draws the same masks; copied through {@link PinnedSlots} as the chunks are.
 */
final class DropoutMasks {
    private final Dropout dropout;
    private final int count, floats;
    private final float[] host;
    private final PinnedSlots slots;
    private final DeviceBuffer device;

    /** {@code count} masks (one per LSTM layer but the last) of {@code floats} each ([positions, H]). */
    DropoutMasks(GpuContext ctx, float probability, long seed, int count, int floats) {
        this.dropout = new Dropout(probability, seed);
        this.count = count;
        this.floats = floats;
        this.host = new float[floats];
        this.slots = new PinnedSlots(ctx, "dropout masks staging", 4L * count * floats);
        this.device = ctx.floats("dropout masks [" + count + ", " + floats + "]", (long) count * floats);
    }

    /** Draws this step's masks (the step number as the CPU engine restarts its stream) and queues their copy. */
    void draw(long step) {
        PinnedBuffer staging = slots.next();
        dropout.restart(step);
        for (int l = 0; l < count; l++) {
            dropout.draw(host, floats);
            staging.putFloats(4L * l * floats, host, floats);
        }
        slots.copyTo(device.address(), 4L * count * floats, "dropout masks");
    }

    /** The device address of mask {@code l} (of the output of LSTM layer l). */
    long mask(int l) { return device.at((long) l * floats); }
}
