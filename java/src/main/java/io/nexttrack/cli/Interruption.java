package io.nexttrack.cli;

import io.nexttrack.train.TrainingRun;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Ctrl-C (SIGINT) or SIGTERM while a run trains: the JVM runs its shutdown hooks, this one among them, and then exits
 * with 130 or 143 as always. The hook stops the run where it is ({@link TrainingRun#interrupt}: a checkpoint being
 * written is finished first, nothing more is written, the progress line is ended) and says in one line on stderr what
 * is safe on disk and the command that continues it. Registered for the run only: the process's normal exit, and a
 * signal after the run, pass without a word.
 */
final class Interruption implements AutoCloseable {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./=:,@%+-]+");
    private final Thread hook;

    /** @param next what to say after what is safe on disk, e.g. "; to continue: nexttrack train ... --resume" */
    private Interruption(TrainingRun run, Function<TrainingRun.Interrupted, String> next) {
        hook = new Thread(() -> {
            TrainingRun.Interrupted stopped = run.interrupt();
            if (stopped == null) return;
            System.out.flush();
            System.err.println("nexttrack: interrupted: " + stopped.safeOnDisk() + next.apply(stopped));
            System.err.flush();
        }, "nexttrack-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** For {@code train}: the line ends with the command that continues the run, the one typed with {@code --resume}. */
    static Interruption ofTrain(TrainingRun run, List<String> typed) {
        String command = continuation(typed);
        return new Interruption(run, stopped -> stopped.resume() == null ? "; the same command starts it again" : "; to continue: " + command);
    }

    /** For {@code demo}, which has no {@code --resume}: it starts afresh when run again. */
    static Interruption ofDemo(TrainingRun run) {
        return new Interruption(run, stopped -> "; the demo starts afresh when run again");
    }

    /**
     * The command that continues a run: the launcher as it was called ({@code NEXTTRACK_LAUNCHER}, else "nexttrack"),
     * then the arguments as typed without {@code --overwrite}, with {@code --resume} (once); quoted for a POSIX shell.
     */
    static String continuation(List<String> typed) {
        String launcher = System.getenv("NEXTTRACK_LAUNCHER");
        List<String> words = new ArrayList<>(List.of(launcher == null || launcher.isBlank() ? "nexttrack" : launcher));
        boolean resume = false;
        for (String a : typed) {
            if (a.equals("--overwrite") || a.equals("--overwrite=true")) continue;
            resume |= a.equals("--resume");
            words.add(a);
        }
        if (!resume) words.add("--resume");
        StringBuilder s = new StringBuilder();
        for (String w : words) {
            if (!s.isEmpty()) s.append(' ');
            s.append(PLAIN.matcher(w).matches() ? w : "'" + w.replace("'", "'\\''") + "'");
        }
        return s.toString();
    }

    /** The run is over (finished or failed): a signal from now on ends the process without a word, as before it. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook is running or has run
        }
    }
}
