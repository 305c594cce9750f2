package io.nexttrack.spark;

/**
 * Bad input to a nexttrack Spark job: a missing column, a null or empty field, a timestamp that does not parse, a song
 * the model does not know, a model file that is not one. The message names the column, the row (by its values: Spark
 * has no line numbers) or the file. Thrown on the driver; a task's failure is unwrapped into it ({@link Jobs#run}).
 */
public final class SparkInputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public SparkInputException(String message) {
        super(message);
    }

    public SparkInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
