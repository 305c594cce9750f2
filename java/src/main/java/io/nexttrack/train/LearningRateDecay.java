package io.nexttrack.train;

/**
 * Multiplies the learning rate by {@code factor} after every epoch whose validation loss is not the best
 * so far ("reduce on plateau"): Adam's steps shrink once the model stops improving at the current size.
 */
public final class LearningRateDecay implements Hook {
    private final double factor;

    public LearningRateDecay(double factor) {
        if (!(factor > 0 && factor <= 1)) throw new IllegalArgumentException("decay factor must be in (0, 1]: " + factor);
        this.factor = factor;
    }

    @Override
    public void onEpoch(Trainer trainer, Epoch e) {
        if (!e.best() && !Double.isNaN(e.validationLoss()) && factor < 1) {
            trainer.setLearningRate(trainer.learningRate() * factor);
        }
    }
}
