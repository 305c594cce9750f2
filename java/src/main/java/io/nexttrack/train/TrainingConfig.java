package io.nexttrack.train;

import io.nexttrack.data.Batcher;

/**
 * How to train; defaults are the seed report's (B = 100 playlists, T = 20 steps, Adam 1e-3, clip 5), with up to
 * 80 epochs and early stopping after 4 without a better validation loss (the seed's model needs ~45 epochs on
 * yes_small). The command line takes its defaults from {@link #defaults()}.
 *
 * @param epochs            passes over the training playlists
 * @param batch             lanes per chunk (B)
 * @param unroll            time steps per chunk (T); the LSTM state carries over to the next chunk
 * @param layout            how playlists are laid out in lanes
 * @param learningRate      Adam's step size
 * @param learningRateDecay factor applied to the step size after an epoch without a better validation loss (1 = off)
 * @param clipNorm          global gradient norm above which gradients are scaled down
 * @param seed              initialisation, batch order and dropout all derive from it
 * @param patience          epochs without a better validation loss before stopping early (0 = never)
 * @param checkpointMinutes write a resumable checkpoint at least this often (0 = only at epoch ends)
 * @param threads           worker threads of the CPU engine
 */
public record TrainingConfig(int epochs, int batch, int unroll, Batcher.Layout layout, double learningRate,
                             double learningRateDecay,
                             double beta1, double beta2, double epsilon, double clipNorm, long seed, int patience,
                             double checkpointMinutes, int threads) {

    /** The largest learning rate accepted: see the constructor. */
    public static final double MAX_LEARNING_RATE = 1.0;

    /** A constant so that the command line's help text can name it. */
    public static final int DEFAULT_EPOCHS = 80;

    public static TrainingConfig defaults() {
        return new TrainingConfig(DEFAULT_EPOCHS, 100, 20, Batcher.Layout.LANES, 1e-3, 1.0, 0.9, 0.999, 1e-8, 5.0, 1, 4, 10,
                Runtime.getRuntime().availableProcessors());
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
        if (threads < 1) throw new IllegalArgumentException("at least one thread is needed (--threads " + threads + ")");
    }

    public TrainingConfig withEpochs(int e) {
        return new TrainingConfig(e, batch, unroll, layout, learningRate, learningRateDecay, beta1, beta2, epsilon, clipNorm, seed, patience,
                checkpointMinutes, threads);
    }
}
