package io.nexttrack.train;

/**
 * Stops when the validation loss has not improved for {@code patience} epochs. The trainer itself keeps
 * the best parameters ({@link Trainer#bestModel()}, {@link Trainer#restoreBest()}).
 */
public final class EarlyStopping implements Hook {
    private final int patience;

    public EarlyStopping(int patience) {
        this.patience = patience;
    }

    @Override
    public void onEpoch(Trainer trainer, Epoch e) {
        if (Double.isNaN(e.validationLoss()) || e.best()) return;
        if (patience > 0 && trainer.epoch() - trainer.bestEpoch() >= patience) {
            trainer.requestStop();
        }
    }
}
