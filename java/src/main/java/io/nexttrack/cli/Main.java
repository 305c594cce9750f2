package io.nexttrack.cli;

import io.nexttrack.data.DataFormatException;
import io.nexttrack.io.Excerpt;
import io.nexttrack.io.InputFiles;
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code nexttrack} command line: one thin command class per verb. */
@Command(name = "nexttrack", mixinStandardHelpOptions = true,
        description = "Learns from playlists and recommends the next song (stacked LSTM, CPU or GPU).",
        subcommands = {DemoCommand.class, TrainCommand.class, EvaluateCommand.class, RecommendCommand.class, SongsCommand.class, ServeCommand.class,
                BaselinesCommand.class, BenchCommand.class, DataCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns the exit code; every failure is one line on stderr (see {@link Failure}). */
    public static int run(String... args) {
        Console console = System.console();
        CommandLine cl = commandLine(HelpLayout.width(System.getenv("COLUMNS"), console != null && console.isTerminal()));
        PrintWriter err = cl.getErr();
        try {
            args = withConfigFile(cl, args);
            cl.setExecutionExceptionHandler((ex, cmd, parsed) -> Failure.report(ex, cmd.getErr()));
            cl.setParameterExceptionHandler((ex, given) -> Failure.report(ex, ex.getCommandLine().getErr()));
            return cl.execute(args);
        } catch (Throwable e) { // errors such as OutOfMemoryError pass through picocli's handlers
            return Failure.report(e, err);
        }
    }

    /** The command tree, its help laid out {@code helpWidth} columns wide, {@code -V} on every command. */
    static CommandLine commandLine(int helpWidth) {
        CommandLine cl = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
        everyCommand(cl, c -> c.getCommandSpec().versionProvider(new Version()));
        HelpLayout.install(cl, helpWidth);
        return cl;
    }

    /**
     * {@code --config FILE} (anywhere on the line) supplies option defaults from a properties file, one
     * {@code option=value} per line with the option's long name, e.g. {@code hidden=200}; options given on
     * the command line win. A key that is no option of any command is an error (a typo would otherwise
     * be ignored without a word).
     */
    private static String[] withConfigFile(CommandLine cl, String[] args) throws IOException {
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String file = a.startsWith("--config=") ? a.substring(9) : a.equals("--config") && i + 1 < args.length ? args[++i] : null;
            if (file == null) {
                rest.add(a);
                continue;
            }
            cl.setDefaultValueProvider(new CommandLine.PropertiesDefaultProvider(readConfig(Path.of(file), optionNames(cl))));
        }
        return rest.toArray(String[]::new);
    }

    private static final long MAX_CONFIG = 1 << 20;

    private static Properties readConfig(Path path, Set<String> options) throws IOException {
        if (!Files.exists(path)) throw new UserError("config file not found: " + path);
        InputFiles.requireRegular(path);
        if (Files.size(path) > MAX_CONFIG) throw new DataFormatException(path, "too large for a config file (over 1 MiB)");
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(path))).toString();
        } catch (CharacterCodingException e) {
            throw new DataFormatException(path, "not UTF-8 text");
        }
        if (text.startsWith("\uFEFF")) text = text.substring(1);
        String[] lines = text.split("\r?\n|\r", -1);
        boolean continued = false;
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].stripLeading();
            boolean starts = !continued && !line.isEmpty() && line.charAt(0) != '#' && line.charAt(0) != '!';
            continued = !line.isEmpty() && line.charAt(0) != '#' && line.charAt(0) != '!' && endsWithOddBackslashes(line);
            if (!starts) continue;
            int end = 0;
            while (end < line.length() && "=: \t\f".indexOf(line.charAt(end)) < 0) end += line.charAt(end) == '\\' ? 2 : 1;
            String key = line.substring(0, Math.min(end, line.length()));
            String option = key.contains(".") ? key.substring(key.lastIndexOf('.') + 1) : key;
            if (!options.contains(option)) {
                throw new DataFormatException(path, n + 1, 1, "unknown option " + Excerpt.of(key)
                        + " (keys are long option names without the dashes, e.g. hidden=200)");
            }
        }
        Properties p = new Properties();
        p.load(new StringReader(text));
        return p;
    }

    private static boolean endsWithOddBackslashes(String line) {
        int n = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) n++;
        return n % 2 == 1;
    }

    /** Long option names (without dashes) of every command and subcommand; not "config" (one file, no nesting). */
    private static Set<String> optionNames(CommandLine cl) {
        Set<String> names = new HashSet<>();
        everyCommand(cl, c -> {
            for (CommandLine.Model.OptionSpec o : c.getCommandSpec().options()) {
                for (String n : o.names()) if (n.startsWith("--") && !n.equals("--config")) names.add(n.substring(2));
            }
        });
        return names;
    }

    /** {@code action} on {@code cl} and every command below it. */
    static void everyCommand(CommandLine cl, java.util.function.Consumer<CommandLine> action) {
        action.accept(cl);
        for (CommandLine sub : cl.getSubcommands().values()) everyCommand(sub, action);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** An error in what the user asked for: reported as one line, exit code 2. */
    public static final class UserError extends RuntimeException {
        public UserError(String message) { super(message); }
    }
}
