package io.nexttrack.train;

/**
 * Training produced a loss or gradient norm that is not a finite number (NaN or infinite): the parameters
 * can no longer be trusted, so training stops before anything more is written. Files written earlier
 * (the best model so far, the last resumable checkpoint) are left exactly as they were.
 */
public final class TrainingDivergedException extends RuntimeException {
    public TrainingDivergedException(String message) {
        super(message);
    }
}
