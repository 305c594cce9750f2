package io.nexttrack.train;

/**
 * A checkpoint was asked to resume on other data than its run's (other playlists, another split): going on
 * would silently train a different run. The message says what differs.
 */
public final class ResumeMismatchException extends IllegalArgumentException {
    public ResumeMismatchException(String message) {
        super(message);
    }
}
