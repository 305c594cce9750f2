package io.nexttrack.cli;

import io.nexttrack.data.DataFormatException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code nexttrack} command line: one thin command class per verb. */
@Command(name = "nexttrack", mixinStandardHelpOptions = true, version = "nexttrack 0.1.0",
        description = "Learns from playlists and recommends the next song (stacked LSTM, CPU or GPU).",
        subcommands = {DemoCommand.class, TrainCommand.class, EvaluateCommand.class, RecommendCommand.class,
                BaselinesCommand.class, BenchCommand.class, DataCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns the exit code; bad input is one line on stderr, never a stack trace. */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            Throwable e = ex;
            while ((e instanceof java.io.UncheckedIOException || e instanceof java.util.concurrent.CompletionException)
                    && e.getCause() != null) {
                e = e.getCause();
            }
            cmd.getErr().println("nexttrack: " + describe(e));
            if (System.getenv("NEXTTRACK_DEBUG") != null) e.printStackTrace(cmd.getErr());
            return e instanceof UserError || e instanceof DataFormatException ? 2 : 1;
        });
        return cl.execute(args);
    }

    private static String describe(Throwable e) {
        if (e instanceof java.nio.file.NoSuchFileException n) return "no such file: " + n.getFile();
        if (e instanceof java.nio.file.AccessDeniedException a) return "permission denied: " + a.getFile();
        String m = e.getMessage();
        return e instanceof UserError || e instanceof DataFormatException || e instanceof java.io.IOException
                ? m : e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** An error in what the user asked for: reported as one line, exit code 2. */
    public static final class UserError extends RuntimeException {
        public UserError(String message) { super(message); }
    }
}
