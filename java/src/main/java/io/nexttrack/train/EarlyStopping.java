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

    /** A resumed run that had already stopped early stays stopped (it goes on to what follows training). */
    @Override
    public void onStart(Trainer trainer) {
        if (trainer.hasValidation() && trainer.bestEpoch() >= 0 && exhausted(trainer)) trainer.requestStop();
    }

    @Override
    public void onEpoch(Trainer trainer, Epoch e) {
        if (Double.isNaN(e.validationLoss()) || e.best()) return;
        if (exhausted(trainer)) trainer.requestStop();
    }

    private boolean exhausted(Trainer trainer) {
        return patience > 0 && trainer.epoch() - trainer.bestEpoch() >= patience;
    }

    /**
     * Epochs without a better validation loss that training may still go before it stops; -1 when it never stops early
     * (patience 0, or no validation playlists).
     */
    public static int patienceLeft(Trainer trainer) {
        int patience = trainer.config().patience();
        if (patience == 0 || !trainer.hasValidation()) return -1;
        int since = trainer.bestEpoch() >= 0 ? trainer.epoch() - trainer.bestEpoch() : trainer.epoch();
        return Math.max(0, patience - since);
    }
}
