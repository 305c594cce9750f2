package io.nexttrack.engine.cpu;

import io.nexttrack.model.ModelConfig;

/**
 * Where dropout applies, in the order its masks are drawn: the input of each LSTM layer (the song embeddings for the
 * first, the layer below's output for the others), then the top layer's output (the softmax's input). The recurrent
 * connections are never dropped (Zaremba et al. 2014). Both engines draw and lay out their masks by this class, so
 * that they drop the same units.
 *
 * @param sizes the floats of each site's mask, in drawing order: layer 0's input, ..., layer L-1's input, the output
 */
public record DropoutSites(long[] sizes) {

    /** The sites of {@code config} for chunks of {@code positions} positions. */
    public static DropoutSites of(ModelConfig config, long positions) {
        long[] sizes = new long[config.layers() + 1];
        for (int l = 0; l < config.layers(); l++) sizes[l] = positions * config.layerInput(l);
        sizes[config.layers()] = positions * config.hidden();
        return new DropoutSites(sizes);
    }

    /** All masks' floats together. */
    public long floats() {
        long n = 0;
        for (long s : sizes) n += s;
        return n;
    }

    /** Where site {@code i}'s mask starts in one buffer holding all of them in drawing order. */
    public long offset(int i) {
        long n = 0;
        for (int j = 0; j < i; j++) n += sizes[j];
        return n;
    }

    /** Host arrays for every site's mask, {@code masks()[i]} site i's. */
    public Masks allocate() {
        float[][] masks = new float[sizes.length][];
        for (int i = 0; i < sizes.length; i++) masks[i] = new float[Math.toIntExact(sizes[i])];
        return new Masks(masks);
    }

    /** One step's masks on the host, in drawing order. */
    public record Masks(float[][] masks) {
        /** Draws every site's mask from {@code dropout}'s stream, in drawing order. */
        public void draw(Dropout dropout) {
            for (float[] mask : masks) dropout.draw(mask, mask.length);
        }

        /** The mask of LSTM layer {@code l}'s input. */
        float[] input(int l) { return masks[l]; }

        /** The mask of the top layer's output. */
        float[] output() { return masks[masks.length - 1]; }
    }
}
