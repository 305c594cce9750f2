package io.nexttrack.cli;

import io.nexttrack.data.DataFormatException;
import io.nexttrack.engine.EngineException;
import io.nexttrack.io.ByteSize;
import io.nexttrack.io.Excerpt;
import io.nexttrack.io.FileErrors;
import io.nexttrack.model.Checkpoint;
import io.nexttrack.train.TrainingDivergedException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.util.concurrent.CompletionException;
import picocli.CommandLine;

/**
 * The one place where a failure becomes what the user sees: one line on stderr, never a stack trace
 * (NEXTTRACK_DEBUG=1 adds one), and the exit code. Bad input (options, settings, data, model and config
 * files, files that cannot be read or written) is exit code 2; everything else, such as a diverging run,
 * an engine failure (no GPU, out of device memory) or a bug, is 1.
 */
final class Failure {
    static final int BAD_INPUT = 2;
    static final int FAILED = 1;
    /** Longer lines are cut in the middle: the start says what failed, the end usually says why. */
    static final int MAX_LINE = 360;

    private Failure() {}

    /** Prints the line for {@code e} and returns the exit code. */
    static int report(Throwable e, PrintWriter err) {
        Throwable cause = unwrap(e);
        err.println(oneLine("nexttrack: " + describe(cause)));
        if (System.getenv("NEXTTRACK_DEBUG") != null) e.printStackTrace(err);
        err.flush();
        return isBadInput(cause) ? BAD_INPUT : FAILED;
    }

    private static Throwable unwrap(Throwable e) {
        while ((e instanceof UncheckedIOException || e instanceof CompletionException
                || e instanceof CommandLine.ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    static boolean isBadInput(Throwable e) {
        return e instanceof Main.UserError || e instanceof DataFormatException || e instanceof Checkpoint.CheckpointException
                || e instanceof IllegalArgumentException || e instanceof CommandLine.ParameterException
                || e instanceof IOException;
    }

    private static String describe(Throwable e) {
        if (e instanceof CommandLine.ParameterException p) {
            String command = p.getCommandLine().getCommandSpec().qualifiedName();
            return p.getMessage() + " (see " + command + " --help)";
        }
        if (e instanceof FileSystemException f) return f.getFile() + ": " + FileErrors.reason(f);
        if (isBadInput(e) || e instanceof TrainingDivergedException || e instanceof EngineException) {
            return String.valueOf(e.getMessage()); // messages made for people
        }
        if (e instanceof OutOfMemoryError) {
            return "out of memory (the Java heap holds at most " + ByteSize.of(Runtime.getRuntime().maxMemory())
                    + "): use a smaller model or batch, or give Java more with NEXTTRACK_JAVA_OPTS=-Xmx...";
        }
        String m = e.getMessage();
        return "internal error: " + e.getClass().getSimpleName() + (m == null ? "" : ": " + m)
                + " (NEXTTRACK_DEBUG=1 shows where)";
    }

    /** Control characters escaped (the message stays one line and cannot drive the terminal), overlong lines cut. */
    static String oneLine(String message) {
        String s = Excerpt.escape(message);
        if (s.length() <= MAX_LINE) return s;
        int tail = MAX_LINE / 3;
        return s.substring(0, MAX_LINE - tail - 3) + " … " + s.substring(s.length() - tail);
    }
}
