package io.nexttrack.train;

import io.nexttrack.data.Batcher;
import io.nexttrack.data.Playlists;
import io.nexttrack.engine.EngineSettings;
import io.nexttrack.engine.Loss;
import io.nexttrack.engine.Sampling;

/**
 * How to train. {@link #seedReport()} are the seed report's settings (B = 100 playlists, T = 20 steps, Adam 1e-3,
 * clip 5), with up to 80 epochs and early stopping after 4 without a better validation loss (the seed's model needs
 * ~45 epochs on yes_small); {@link #defaults()} the same with Adam at {@value #DEFAULT_LEARNING_RATE}, which the model
 * with dropout ({@code ModelConfig.defaults}) needs to converge within the 80 epochs. Change any of them with its
 * {@code with...} method, which checks the new value at once:
 *
 * <pre>{@code
 * TrainingConfig training = TrainingConfig.defaults().withEpochs(30).withLearningRate(2e-3);
 * }</pre>
 *
 * Settings that cannot train are refused with an {@link IllegalArgumentException} naming the setting (the
 * command line's option in parentheses). The command line takes its defaults from {@link #defaults()}.
 *
 * @param epochs            passes over the training playlists; default 80, at least 0 (0 trains nothing)
 * @param batch             lanes per chunk (B): playlists read side by side; default 100, at least 1
 * @param unroll            time steps per chunk (T): backpropagation through time stops at the chunk's start, and the
 *                          LSTM state carries over to the next chunk; default 20, at least 1 (B * T fits an array)
 * @param layout            how playlists are laid out in lanes: {@link Batcher.Layout#LANES} (default: back to back,
 *                          every chunk full) or {@link Batcher.Layout#BUCKETS} (one playlist per lane, what cuDNN's
 *                          LSTM needs)
 * @param learningRate      Adam's step size (alpha); default {@value #DEFAULT_LEARNING_RATE} (the seed's 1e-3), in (0, 1]
 * @param learningRateDecay factor applied to the step size after each epoch without a better validation loss; default
 *                          1 (off), in (0, 1]
 * @param beta1             Adam's decay rate of the running mean of the gradient (the first moment); default 0.9, in
 *                          [0, 1): higher averages over more steps
 * @param beta2             Adam's decay rate of the running mean of the squared gradient (the second moment); default
 *                          0.999, in [0, 1)
 * @param epsilon           Adam's term added to the root of the second moment, so that a weight whose gradients are
 *                          all near zero takes no huge step; default 1e-8, a finite number &gt; 0
 * @param clipNorm          global gradient norm above which the whole gradient is scaled down to it; default 5, a
 *                          finite number &gt; 0
 * @param seed              initialisation, batch order and dropout all derive from it (same seed, same data: the same
 *                          bits); default 1, any value
 * @param patience          epochs without a better validation loss before stopping early (the best epoch's parameters
 *                          are kept); default 4, at least 0 (0 = never stop early)
 * @param checkpointMinutes how often the {@link Checkpointing} hook (the command line's {@code train}) writes a
 *                          resumable checkpoint, besides every epoch end; default 10, at least 0 (0 = only at epoch
 *                          ends); {@code NextTrack.train} writes no checkpoint
 * @param loss              the training loss at the output layer: {@link Loss#auto()} (default: the full softmax below
 *                          {@link Loss#AUTO_THRESHOLD} songs, sampled from there on), full or sampled, with the sampled
 *                          loss's negatives and exponent ({@code --loss}, {@code --samples}, {@code --sample-alpha});
 *                          evaluation always uses the full softmax
 *
 * <p>The CPU engine's worker threads are not a training setting: the {@link io.nexttrack.engine.EngineFactory} that
 * makes the engines holds them (all cores unless told otherwise).
 */
public record TrainingConfig(int epochs, int batch, int unroll, Batcher.Layout layout, double learningRate,
                             double learningRateDecay,
                             double beta1, double beta2, double epsilon, double clipNorm, long seed, int patience,
                             double checkpointMinutes, Loss loss) {

    /** The largest learning rate accepted: see the constructor. */
    public static final double MAX_LEARNING_RATE = 1.0;

    /** A constant so that the command line's help text can name it. */
    public static final int DEFAULT_EPOCHS = 80;

    /** The step size of {@link #defaults()}: chosen on validation with dropout (docs/quality.md 8.9). */
    public static final double DEFAULT_LEARNING_RATE = 3e-3;

    /** The command line's train defaults: {@link #seedReport()} with Adam at {@link #DEFAULT_LEARNING_RATE}. */
    public static TrainingConfig defaults() {
        return seedReport().withLearningRate(DEFAULT_LEARNING_RATE);
    }

    /** The seed report's settings (Adam at 1e-3), with the epochs, patience and loss of {@link #defaults()}. */
    public static TrainingConfig seedReport() {
        return new TrainingConfig(DEFAULT_EPOCHS, 100, 20, Batcher.Layout.LANES, 1e-3, 1.0, 0.9, 0.999, 1e-8, 5.0, 1, 4, 10, Loss.auto());
    }

    /** The settings before the loss was one: {@link Loss#auto()}. */
    public TrainingConfig(int epochs, int batch, int unroll, Batcher.Layout layout, double learningRate, double learningRateDecay,
                          double beta1, double beta2, double epsilon, double clipNorm, long seed, int patience, double checkpointMinutes) {
        this(epochs, batch, unroll, layout, learningRate, learningRateDecay, beta1, beta2, epsilon, clipNorm, seed, patience,
                checkpointMinutes, Loss.auto());
    }

    /**
     * Settings that cannot train are refused here (the library gets the same protection as the command line).
     * Adam moves every weight by up to about the learning rate per step, and weights start within +-0.1: a rate
     * above {@link #MAX_LEARNING_RATE} cannot train (1e30 even trains "successfully" to junk, without a NaN).
     * What diverges anyway stops with {@link TrainingDivergedException} before writing anything.
     */
    public TrainingConfig {
        if (epochs < 0) throw new IllegalArgumentException("epochs must be >= 0 (--epochs " + epochs + ")");
        if (batch < 1) throw new IllegalArgumentException("the batch must hold at least one playlist (--batch " + batch + ")");
        if (unroll < 1) throw new IllegalArgumentException("at least one step must be unrolled (--unroll " + unroll + ")");
        if ((long) batch * unroll > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "--batch %d x --unroll %d = %,d positions per chunk: more than one buffer holds", batch, unroll, (long) batch * unroll));
        }
        if (layout == null) throw new IllegalArgumentException("the batch layout is missing (--layout)");
        if (!(learningRate > 0 && learningRate <= MAX_LEARNING_RATE)) {
            throw new IllegalArgumentException("the learning rate must be in (0, " + MAX_LEARNING_RATE + "] (--lr " + learningRate + ")");
        }
        if (!(learningRateDecay > 0 && learningRateDecay <= 1)) {
            throw new IllegalArgumentException("the learning-rate decay must be in (0, 1] (--lr-decay " + learningRateDecay + ")");
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam's betas must be in [0, 1): " + beta1 + ", " + beta2);
        }
        if (!(epsilon > 0 && epsilon < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("Adam's epsilon must be a finite number > 0: " + epsilon);
        }
        if (!(clipNorm > 0 && clipNorm < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("the clipping threshold must be a finite number > 0 (--clip " + clipNorm + ")");
        }
        if (patience < 0) throw new IllegalArgumentException("patience must be >= 0, 0 = never stop early (--patience " + patience + ")");
        if (!(checkpointMinutes >= 0 && checkpointMinutes < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("the checkpoint interval must be a finite number of minutes >= 0 "
                    + "(--checkpoint-minutes " + checkpointMinutes + ")");
        }
        if (loss == null) throw new IllegalArgumentException("the loss is missing (--loss)");
    }

    /**
     * What the training engine needs of these settings: the chunk's shape, the clipping threshold, the seed, and the
     * loss that {@link #loss()} chooses for {@code train}'s catalogue (the sampled loss draws by its songs' plays).
     */
    public EngineSettings engineSettings(Playlists train) {
        return new EngineSettings(batch, unroll, clipNorm, seed).withSampling(Sampling.of(loss, train));
    }

    /** Whether these settings train a catalogue of {@code songs} with the sampled loss. */
    public boolean sampledAt(int songs) { return loss.sampledAt(songs); }

    /** These settings with {@link #epochs()} = {@code epochs}. */
    public TrainingConfig withEpochs(int epochs) {
        return new TrainingConfig(epochs, batch, unroll, layout, learningRate, learningRateDecay, beta1, beta2, epsilon, clipNorm, seed,
                patience, checkpointMinutes, loss);
    }

    /** These settings with {@link #batch()} = {@code batch}. */
    public TrainingConfig withBatch(int batch) {
        return new TrainingConfig(epochs, batch, unroll, layout, learningRate, learningRateDecay, beta1, beta2, epsilon, clipNorm, seed,
                patience, checkpointMinutes, loss);
    }

    /** These settings with {@link #unroll()} = {@code unroll}. */
    public TrainingConfig withUnroll(int unroll) {
        return new TrainingConfig(epochs, batch, unroll, layout, learningRate, learningRateDecay, beta1, beta2, epsilon, clipNorm, seed,
                patience, checkpointMinutes, loss);
    }

    /** These settings with {@link #layout()} = {@code layout}. */
    public TrainingConfig withLayout(Batcher.Layout layout) {
        return new TrainingConfig(epochs, batch, unroll, layout, learningRate, learningRateDecay, beta1, beta2, epsilon, clipNorm, seed,
                patience, checkpointMinutes, loss);
    }

    /** These settings with {@link #learningRate()} = {@code learningRate}. */
    public TrainingConfig withLearningRate(double learningRate) {
        return new TrainingConfig(epochs, batch, unroll, layout, learningRate, learningRateDecay, beta1, beta2, epsilon, clipNorm, seed,
                patience, checkpointMinutes, loss);
    }

    /** These settings with {@link #learningRateDecay()} = {@code learningRateDecay}. */
    public TrainingConfig withLearningRateDecay(double learningRateDecay) {
        return new TrainingConfig(epochs, batch, unroll, layout, learningRate, learningRateDecay, beta1, beta2, epsilon, clipNorm, seed,
                patience, checkpointMinutes, loss);
    }

    /** These settings with {@link #beta1()} = {@code beta1}. */
    public TrainingConfig withBeta1(double beta1) {
        return new TrainingConfig(epochs, batch, unroll, layout, learningRate, learningRateDecay, beta1, beta2, epsilon, clipNorm, seed,
                patience, checkpointMinutes, loss);
    }

    /** These settings with {@link #beta2()} = {@code beta2}. */
    public TrainingConfig withBeta2(double beta2) {
        return new TrainingConfig(epochs, batch, unroll, layout, learningRate, learningRateDecay, beta1, beta2, epsilon, clipNorm, seed,
                patience, checkpointMinutes, loss);
    }

    /** These settings with {@link #epsilon()} = {@code epsilon}. */
    public TrainingConfig withEpsilon(double epsilon) {
        return new TrainingConfig(epochs, batch, unroll, layout, learningRate, learningRateDecay, beta1, beta2, epsilon, clipNorm, seed,
                patience, checkpointMinutes, loss);
    }

    /** These settings with {@link #clipNorm()} = {@code clipNorm}. */
    public TrainingConfig withClipNorm(double clipNorm) {
        return new TrainingConfig(epochs, batch, unroll, layout, learningRate, learningRateDecay, beta1, beta2, epsilon, clipNorm, seed,
                patience, checkpointMinutes, loss);
    }

    /** These settings with {@link #seed()} = {@code seed}. */
    public TrainingConfig withSeed(long seed) {
        return new TrainingConfig(epochs, batch, unroll, layout, learningRate, learningRateDecay, beta1, beta2, epsilon, clipNorm, seed,
                patience, checkpointMinutes, loss);
    }

    /** These settings with {@link #patience()} = {@code patience}. */
    public TrainingConfig withPatience(int patience) {
        return new TrainingConfig(epochs, batch, unroll, layout, learningRate, learningRateDecay, beta1, beta2, epsilon, clipNorm, seed,
                patience, checkpointMinutes, loss);
    }

    /** These settings with {@link #checkpointMinutes()} = {@code checkpointMinutes}. */
    public TrainingConfig withCheckpointMinutes(double checkpointMinutes) {
        return new TrainingConfig(epochs, batch, unroll, layout, learningRate, learningRateDecay, beta1, beta2, epsilon, clipNorm, seed,
                patience, checkpointMinutes, loss);
    }

    /** These settings with {@link #loss()} = {@code loss}. */
    public TrainingConfig withLoss(Loss loss) {
        return new TrainingConfig(epochs, batch, unroll, layout, learningRate, learningRateDecay, beta1, beta2, epsilon, clipNorm, seed,
                patience, checkpointMinutes, loss);
    }
}
