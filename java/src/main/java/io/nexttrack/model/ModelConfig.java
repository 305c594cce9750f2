package io.nexttrack.model;

/**
 * The shape of the seed's model: song embedding (songs x embedding) -> {@code layers} stacked LSTMs
 * of {@code hidden} units -> linear hidden -> songs -> softmax. Defaults are the seed report's.
 *
 * @param initScale weights drawn uniformly from +-initScale (ignored when {@code xavier})
 * @param xavier    Glorot-uniform initialisation instead of the fixed range
 * @param dropout   dropout probability on the outputs of every LSTM layer but the last (0 = off)
 */
public record ModelConfig(int songs, int embedding, int hidden, int layers, float initScale, boolean xavier,
                          float dropout) {

    public static final int DEFAULT_EMBEDDING = 100;
    public static final int DEFAULT_HIDDEN = 100;
    public static final int DEFAULT_LAYERS = 2;
    public static final float DEFAULT_INIT_SCALE = 0.1f;

    public ModelConfig {
        if (songs < 1 || embedding < 1 || hidden < 1 || layers < 1) {
            throw new IllegalArgumentException("songs, embedding, hidden and layers must be positive: " + songs
                    + ", " + embedding + ", " + hidden + ", " + layers);
        }
        if (!(dropout >= 0 && dropout < 1)) throw new IllegalArgumentException("dropout must be in [0, 1): " + dropout);
    }

    /** The seed's configuration for a catalogue of {@code songs}. */
    public static ModelConfig seed(int songs) {
        return new ModelConfig(songs, DEFAULT_EMBEDDING, DEFAULT_HIDDEN, DEFAULT_LAYERS, DEFAULT_INIT_SCALE, false, 0f);
    }

    /** Width of the input to LSTM layer {@code l}. */
    public int layerInput(int l) { return l == 0 ? embedding : hidden; }
}
