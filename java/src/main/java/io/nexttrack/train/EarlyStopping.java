package io.nexttrack.train;

/**
 * Stops when the validation loss has not improved for {@code patience} epochs and keeps the best
 * parameters: at the end of training the model holds the epoch with the lowest validation loss.
 */
public final class EarlyStopping implements Hook {
    private final int patience;

    public EarlyStopping(int patience) {
        this.patience = patience;
    }

    @Override
    public void onEpoch(Trainer trainer, Epoch e) {
        if (Double.isNaN(e.validationLoss())) return;
        if (e.best()) {
            trainer.keepAsBest(e.validationLoss());
        } else if (patience > 0 && trainer.epoch() - trainer.bestEpoch() >= patience) {
            trainer.requestStop();
        }
    }

    @Override
    public void onFinish(Trainer trainer) {
        trainer.restoreBest();
    }
}
