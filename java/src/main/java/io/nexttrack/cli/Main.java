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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code nexttrack} command line: one thin command class per verb, each reading its options and calling the
 * library (the training run is {@link io.nexttrack.train.TrainingRun}); shared options are mixins.
 */
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
            List<String> rest = new ArrayList<>();
            ConfigFile config = withConfigFile(cl, args, rest);
            everyCommand(cl, c -> {
                if (c.getCommandSpec().mixins().get("config") != null
                        && c.getCommandSpec().mixins().get("config").userObject() instanceof ConfigOption o) {
                    o.read = config == null ? null : config.path();
                    o.typed = List.of(args);
                }
            });
            cl.setExecutionExceptionHandler((ex, cmd, parsed) -> Failure.report(ex, cmd.getErr()));
            cl.setParameterExceptionHandler((ex, given) -> Failure.report(explain(ex, given, config), ex.getCommandLine().getErr()));
            return cl.execute(rest.toArray(String[]::new));
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
    private static ConfigFile withConfigFile(CommandLine cl, String[] args, List<String> rest) throws IOException {
        ConfigFile config = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String file = a.startsWith("--config=") ? a.substring(9) : a.equals("--config") && i + 1 < args.length ? args[++i] : null;
            if (file == null) {
                rest.add(a);
                continue;
            }
            config = readConfig(Path.of(file), optionNames(cl));
            cl.setDefaultValueProvider(new CommandLine.PropertiesDefaultProvider(config.values()));
        }
        return config;
    }

    /** A {@code --config} file read: its values, and the line each key was last given on (for errors). */
    private record ConfigFile(Path path, Properties values, Map<String, Integer> lines) {
        /**
         * The error for a value that picocli could not convert, said of the file when it came from there: picocli
         * says "Invalid value for option '--hidden'" although {@code --hidden} was never typed. Null when the
         * value was typed on the command line, or is not the file's.
         */
        DataFormatException badValue(CommandLine.ParameterException e, String[] given) {
            if (!(e.getArgSpec() instanceof CommandLine.Model.OptionSpec option) || e.getValue() == null) return null;
            for (String name : option.names()) {
                for (String a : given) if (a.equals(name) || a.startsWith(name + "=")) return null;
            }
            String name = option.longestName().replaceFirst("^-+", "");
            // the key picocli took the value from: the option's name, else a prefixed one ("train.hidden") with that value
            String key = lines.containsKey(name) && e.getValue().equals(values.getProperty(name)) ? name : lines.keySet().stream()
                    .filter(k -> k.endsWith("." + name) && e.getValue().equals(values.getProperty(k))).sorted().findFirst().orElse(null);
            if (key == null) return null;
            String reason = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage() : e.getMessage();
            String quoted = "'" + e.getValue() + "' ";
            if (reason.startsWith(quoted)) reason = reason.substring(quoted.length());
            if (reason.startsWith("is ")) reason = reason.substring(3);
            return new DataFormatException(path, lines.get(key), 0, key + ": invalid value " + Excerpt.of(e.getValue()) + " (" + reason + ")");
        }
    }

    /** What the user sees for a command line picocli refused: a mistyped command, or a bad value from the config file. */
    private static Exception explain(CommandLine.ParameterException e, String[] given, ConfigFile config) {
        if (e instanceof CommandLine.UnmatchedArgumentException u) {
            Main.UserError unknown = unknownCommand(u);
            if (unknown != null) return unknown;
        }
        DataFormatException bad = config == null ? null : config.badValue(e, given);
        return bad != null ? bad : e;
    }

    /**
     * "unknown command 'trian'; did you mean 'train'?" when the first word picocli could not place is where a command
     * goes (picocli's own line, "Unmatched arguments from index 0", says neither); null for anything else.
     */
    private static Main.UserError unknownCommand(CommandLine.UnmatchedArgumentException e) {
        CommandLine cl = e.getCommandLine();
        List<String> unmatched = e.getUnmatched();
        if (cl.getSubcommands().isEmpty() || !cl.getCommandSpec().positionalParameters().isEmpty() || unmatched.isEmpty()
                || unmatched.getFirst().startsWith("-")) {
            return null;
        }
        String typed = unmatched.getFirst();
        String command = cl.getCommandSpec().qualifiedName();
        String prefix = command.contains(" ") ? command.substring(command.indexOf(' ') + 1) + " " : "";
        List<String> names = cl.getSubcommands().keySet().stream().filter(n -> !n.equals("help")).sorted().toList();
        return new UserError("unknown command " + Excerpt.of(prefix + typed) + Suggestion.closest(typed, names)
                .map(n -> "; did you mean '" + prefix + n + "'?")
                .orElse(" (the commands: " + String.join(", ", names) + "; see " + command + " --help)"));
    }

    private static final long MAX_CONFIG = 1 << 20;

    private static ConfigFile readConfig(Path path, Set<String> options) throws IOException {
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
        Map<String, Integer> lineOf = new HashMap<>();
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
                throw new DataFormatException(path, n + 1, 1, "unknown option " + Excerpt.of(key) + Suggestion.closest(option,
                        options.stream().sorted().toList()).map(o -> "; did you mean '" + o + "'?")
                        .orElse(" (keys are long option names without the dashes, e.g. hidden=200)"));
            }
            lineOf.put(unescape(key), n + 1);
        }
        Properties p = new Properties();
        p.load(new StringReader(text));
        return new ConfigFile(path, p, lineOf);
    }

    /** A key as {@link Properties} reads it ({@code a\:b} is "a:b"). */
    private static String unescape(String key) {
        Properties one = new Properties();
        try {
            one.load(new StringReader(key + "="));
        } catch (IOException | IllegalArgumentException e) {
            return key;
        }
        return one.stringPropertyNames().stream().findFirst().orElse(key);
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
