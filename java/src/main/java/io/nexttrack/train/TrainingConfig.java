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

    /** A constant so that the command line's help text can name it. */
    public static final int DEFAULT_EPOCHS = 80;

    public static TrainingConfig defaults() {
        return new TrainingConfig(DEFAULT_EPOCHS, 100, 20, Batcher.Layout.LANES, 1e-3, 1.0, 0.9, 0.999, 1e-8, 5.0, 1, 4, 10,
                Runtime.getRuntime().availableProcessors());
    }

    public TrainingConfig {
        if (epochs < 0 || batch < 1 || unroll < 1 || threads < 1) {
            throw new IllegalArgumentException("epochs >= 0, batch, unroll and threads >= 1 required");
        }
        if (!(learningRate > 0) || !(clipNorm > 0)) throw new IllegalArgumentException("learning rate and clip must be > 0");
    }

    public TrainingConfig withEpochs(int e) {
        return new TrainingConfig(e, batch, unroll, layout, learningRate, learningRateDecay, beta1, beta2, epsilon, clipNorm, seed, patience,
                checkpointMinutes, threads);
    }
}
