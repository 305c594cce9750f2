package io.nexttrack.model;

/**
 * The shape of the seed's model: song embedding (songs x embedding) -> {@code layers} stacked LSTMs
 * of {@code hidden} units -> linear hidden -> songs -> softmax. {@link #seed} is the seed report's, {@link #defaults} the
 * same with dropout (the command line's train); change one with its {@code with...} method, e.g.
 * {@code ModelConfig.defaults(songs).withHidden(200)}.
 *
 * @param songs     the catalogue's size V (songs are 0 .. V - 1); at least 1
 * @param embedding the song embedding's size E; default 100, at least 1
 * @param hidden    the LSTM's hidden size H; default 100, at least 1
 * @param layers    stacked LSTM layers; default 2, at least 1
 * @param initScale weights drawn uniformly from +-initScale (ignored when {@code xavier}); default 0.1, in (0, 1]
 * @param xavier    Glorot-uniform initialisation instead of the fixed range; default false
 * @param dropout   dropout probability on every connection that does not recur: the embeddings entering the first LSTM
 *                  layer, each layer's output entering the next, the top layer's output entering the softmax (0 = off);
 *                  the seed's 0, {@link #defaults}' {@value #DEFAULT_DROPOUT}; in [0, 1)
 */
public record ModelConfig(int songs, int embedding, int hidden, int layers, float initScale, boolean xavier,
                          float dropout) {

    public static final int DEFAULT_EMBEDDING = 100;
    public static final int DEFAULT_HIDDEN = 100;
    public static final int DEFAULT_LAYERS = 2;
    public static final float DEFAULT_INIT_SCALE = 0.1f;
    /** The dropout of {@link #defaults} (and of the command line's train): chosen on validation (docs/quality.md 8.9). */
    public static final float DEFAULT_DROPOUT = 0.6f;

    /** The most floats one Java array (the flat parameter buffer) can hold, with room for the JVM's header. */
    public static final long MAX_PARAMETERS = Integer.MAX_VALUE - 16;
    /** Weights drawn from a wider range saturate every LSTM gate, and 1e30 overflows the first product. */
    public static final float MAX_INIT_SCALE = 1f;

    /** Settings that cannot train are refused here, so the library gets the same protection as the command line. */
    public ModelConfig {
        if (songs < 1) throw new IllegalArgumentException("a model needs at least one song, got " + songs);
        if (embedding < 1) throw new IllegalArgumentException("the embedding size must be at least 1 (--embedding " + embedding + ")");
        if (hidden < 1) throw new IllegalArgumentException("the hidden size must be at least 1 (--hidden " + hidden + ")");
        if (layers < 1) throw new IllegalArgumentException("the model needs at least one LSTM layer (--layers " + layers + ")");
        if (!(initScale > 0 && initScale <= MAX_INIT_SCALE)) {
            throw new IllegalArgumentException("the initialisation range must be in (0, " + MAX_INIT_SCALE + "] (--init-scale "
                    + initScale + ")");
        }
        if (!(dropout >= 0 && dropout < 1)) throw new IllegalArgumentException("dropout must be in [0, 1) (--dropout " + dropout + ")");
        double n = parameterCount((double) songs, embedding, hidden, layers); // in double: no overflow on the way
        if (n > MAX_PARAMETERS) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "the model would have %.3g parameters "
                    + "(%,d songs, --embedding %d, --hidden %d, --layers %d), more than one buffer holds (%,d)",
                    n, songs, embedding, hidden, layers, MAX_PARAMETERS));
        }
    }

    /** Trainable floats: embedding, every LSTM layer's weight and bias, output weight and bias (see {@link Parameters}). */
    public long parameterCount() {
        return (long) parameterCount((double) songs, embedding, hidden, layers);
    }

    /** Exact while the count fits one buffer (below 2^53), which the constructor ensures. */
    private static double parameterCount(double songs, double embedding, double hidden, double layers) {
        double lstm = (embedding + hidden + 1) * 4 * hidden + (layers - 1) * (2 * hidden + 1) * 4 * hidden;
        return songs * embedding + lstm + hidden * songs + songs;
    }

    /** The seed's configuration for a catalogue of {@code songs} (no dropout). */
    public static ModelConfig seed(int songs) {
        return new ModelConfig(songs, DEFAULT_EMBEDDING, DEFAULT_HIDDEN, DEFAULT_LAYERS, DEFAULT_INIT_SCALE, false, 0f);
    }

    /** The seed's shape with {@link #DEFAULT_DROPOUT}: the command line's train defaults, the better model. */
    public static ModelConfig defaults(int songs) {
        return seed(songs).withDropout(DEFAULT_DROPOUT);
    }

    /** This shape with {@link #embedding()} = {@code embedding}. */
    public ModelConfig withEmbedding(int embedding) {
        return new ModelConfig(songs, embedding, hidden, layers, initScale, xavier, dropout);
    }

    /** This shape with {@link #hidden()} = {@code hidden}. */
    public ModelConfig withHidden(int hidden) {
        return new ModelConfig(songs, embedding, hidden, layers, initScale, xavier, dropout);
    }

    /** This shape with {@link #layers()} = {@code layers}. */
    public ModelConfig withLayers(int layers) {
        return new ModelConfig(songs, embedding, hidden, layers, initScale, xavier, dropout);
    }

    /** This shape with {@link #initScale()} = {@code initScale}. */
    public ModelConfig withInitScale(float initScale) {
        return new ModelConfig(songs, embedding, hidden, layers, initScale, xavier, dropout);
    }

    /** This shape with {@link #xavier()} = {@code xavier}. */
    public ModelConfig withXavier(boolean xavier) {
        return new ModelConfig(songs, embedding, hidden, layers, initScale, xavier, dropout);
    }

    /** This shape with {@link #dropout()} = {@code dropout}. */
    public ModelConfig withDropout(float dropout) {
        return new ModelConfig(songs, embedding, hidden, layers, initScale, xavier, dropout);
    }

    /** Width of the input to LSTM layer {@code l}. */
    public int layerInput(int l) { return l == 0 ? embedding : hidden; }
}
