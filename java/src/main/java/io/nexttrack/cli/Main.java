package io.nexttrack.cli;

import io.nexttrack.data.DataFormatException;
import io.nexttrack.model.Checkpoint;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code nexttrack} command line: one thin command class per verb. */
@Command(name = "nexttrack", mixinStandardHelpOptions = true, version = "nexttrack 0.1.0",
        description = "Learns from playlists and recommends the next song (stacked LSTM, CPU or GPU).",
        subcommands = {DemoCommand.class, TrainCommand.class, EvaluateCommand.class, RecommendCommand.class, SongsCommand.class, ServeCommand.class,
                BaselinesCommand.class, BenchCommand.class, DataCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns the exit code; bad input is one line on stderr, never a stack trace. */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
        try {
            args = withConfigFile(cl, args);
        } catch (UserError e) {
            cl.getErr().println("nexttrack: " + e.getMessage());
            return 2;
        }
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            Throwable e = ex;
            while ((e instanceof java.io.UncheckedIOException || e instanceof java.util.concurrent.CompletionException)
                    && e.getCause() != null) {
                e = e.getCause();
            }
            cmd.getErr().println("nexttrack: " + describe(e));
            if (System.getenv("NEXTTRACK_DEBUG") != null) e.printStackTrace(cmd.getErr());
            return isUserError(e) ? 2 : 1;
        });
        return cl.execute(args);
    }

    /**
     * {@code --config FILE} (anywhere on the line) supplies option defaults from a properties file, one
     * {@code option=value} per line with the option's long name, e.g. {@code hidden=200}; options given on
     * the command line win.
     */
    private static String[] withConfigFile(CommandLine cl, String[] args) {
        java.util.List<String> rest = new java.util.ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String file = a.startsWith("--config=") ? a.substring(9) : a.equals("--config") && i + 1 < args.length ? args[++i] : null;
            if (file == null) {
                rest.add(a);
                continue;
            }
            java.nio.file.Path path = java.nio.file.Path.of(file);
            if (!java.nio.file.Files.isRegularFile(path)) throw new UserError("config file not found: " + path);
            cl.setDefaultValueProvider(new CommandLine.PropertiesDefaultProvider(path.toFile()));
        }
        return rest.toArray(String[]::new);
    }

    private static String describe(Throwable e) {
        if (e instanceof java.nio.file.NoSuchFileException n) return "no such file: " + n.getFile();
        if (e instanceof java.nio.file.AccessDeniedException a) return "permission denied: " + a.getFile();
        String m = e.getMessage();
        return isUserError(e) || e instanceof java.io.IOException ? m : e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    /** Bad input from the user (options, data files, model files): exit code 2 and just the message. */
    private static boolean isUserError(Throwable e) {
        return e instanceof UserError || e instanceof DataFormatException || e instanceof Checkpoint.CheckpointException
                || e instanceof IllegalArgumentException;
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
