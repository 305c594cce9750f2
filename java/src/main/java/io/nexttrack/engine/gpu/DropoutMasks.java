package io.nexttrack.engine.gpu;

import io.nexttrack.engine.cpu.Dropout;
import io.nexttrack.engine.cpu.DropoutSites;

/**
 * Dropout masks for the fused LSTM, drawn on the host with the CPU engine's {@link Dropout} (the same seed, the
 * stream restarted at every step from the step number, the sites in {@link DropoutSites}' order), so that both
 * engines drop the same units and a resumed run draws the same masks; copied through {@link PinnedSlots} as the
 * chunks are.
 */
final class DropoutMasks {
    private final Dropout dropout;
    private final DropoutSites sites;
    private final DropoutSites.Masks host;
    private final PinnedSlots slots;
    private final DeviceBuffer device;

    DropoutMasks(GpuContext ctx, float probability, long seed, DropoutSites sites) {
        this.dropout = new Dropout(probability, seed);
        this.sites = sites;
        this.host = sites.allocate();
        this.slots = new PinnedSlots(ctx, "dropout masks staging", 4L * sites.floats());
        this.device = ctx.floats("dropout masks [" + sites.floats() + "]", sites.floats());
    }

    /** Draws this step's masks (the step number as the CPU engine restarts its stream) and queues their copy. */
    void draw(long step) {
        PinnedBuffer staging = slots.next();
        dropout.restart(step);
        host.draw(dropout);
        float[][] masks = host.masks();
        for (int i = 0; i < masks.length; i++) staging.putFloats(4L * sites.offset(i), masks[i], masks[i].length);
        slots.copyTo(device.address(), 4L * sites.floats(), "dropout masks");
    }

    /** The device address of the mask of LSTM layer {@code l}'s input. */
    long input(int l) { return device.at(sites.offset(l)); }

    /** The device address of the mask of the top layer's output. */
    long output() { return device.at(sites.offset(sites.sizes().length - 1)); }
}
