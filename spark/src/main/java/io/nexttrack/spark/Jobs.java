package io.nexttrack.spark;

import io.nexttrack.data.DataFormatException;
import io.nexttrack.model.Checkpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/** Running a job so that bad input fails with its own message, and committing output so that a failure leaves none. */
final class Jobs {
    private Jobs() {}

    /**
     * Runs {@code job} (anything that triggers Spark actions); a task that failed on bad input is rethrown as that
     * input's exception (Spark wraps it in "Job aborted due to stage failure: ..." with the executor's stack).
     */
    static <T> T run(Supplier<T> job) {
        try {
            return job.get();
        } catch (Exception e) { // SparkException is checked, but Scala throws it from methods that do not declare it
            RuntimeException input = inputError(e);
            if (input != null && input != e) {
                if (input.getCause() != e) input.addSuppressed(e);
                throw input;
            }
            throw Jobs.<RuntimeException>rethrow(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <X extends Exception> X rethrow(Exception e) throws X {
        throw (X) e;
    }

    /**
     * The first bad-input exception in {@code e}'s causes, or null. Where Spark kept only the text of the task's failure
     * ("... most recent failure: Lost task ...: io.nexttrack.spark.SparkInputException: message\n\tat ..."), as it does
     * for some write and local-iterator jobs, the message is taken from that text.
     */
    static RuntimeException inputError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SparkInputException || t instanceof DataFormatException || t instanceof Checkpoint.CheckpointException) {
                return (RuntimeException) t;
            }
            if (t.getCause() == t) break;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            String tag = SparkInputException.class.getName() + ": ";
            int at = m == null ? -1 : m.indexOf(tag);
            if (at >= 0) {
                int end = m.indexOf('\n', at);
                return new SparkInputException(m.substring(at + tag.length(), end < 0 ? m.length() : end), e);
            }
            if (t.getCause() == t) break;
        }
        return null;
    }

    /** What writes the output into a folder that does not exist yet. */
    @FunctionalInterface
    interface Writing {
        void into(String folder);
    }

    /**
     * Writes into a fresh sibling of {@code out} ({@code out}'s name + {@code .tmp-<uuid>}), then renames it to
     * {@code out}: a job that fails leaves no {@code out} (and its temporary folder is deleted). An existing
     * {@code out} is refused before anything runs.
     */
    static void commit(SparkSession spark, String out, Writing writing) {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        Path target = new Path(out);
        Path tmp = new Path(target.getParent(), target.getName() + ".tmp-" + UUID.randomUUID());
        FileSystem fs;
        try {
            fs = target.getFileSystem(conf);
            if (fs.exists(target)) throw new SparkInputException(out + " exists already: give a new output path (nothing was written)");
        } catch (IOException e) {
            throw new UncheckedIOException(out + ": " + e.getMessage(), e);
        }
        boolean done = false;
        try {
            run(() -> {
                writing.into(tmp.toString());
                return null;
            });
            if (!fs.rename(tmp, target)) throw new IOException("could not rename " + tmp + " to " + target);
            done = true;
        } catch (IOException e) {
            throw new UncheckedIOException(out + ": " + e.getMessage(), e);
        } finally {
            if (!done) {
                try {
                    fs.delete(tmp, true);
                } catch (IOException ignored) {
                    // the job's own failure is the one to report
                }
            }
        }
    }
}
