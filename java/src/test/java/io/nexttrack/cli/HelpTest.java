package io.nexttrack.cli;

import static org.junit.jupiter.api.Assertions.*;

import io.nexttrack.cli.CliTest.Run;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code --help} tells the truth and reads cleanly: each command lists the options it uses (the lists below were
 * made by reading each command's code) and mentions no other, documents {@code --config} where it takes options,
 * wraps only at spaces within the width, and {@code -V} prints the pom's version on every command.
 */
class HelpTest {
    private static final List<String> CONFIG = List.of("--config"), STANDARD = List.of("--help", "--version");
    private static final List<String> DATA = List.of("--data", "--format"), SPLIT = List.of("--split-seed", "--validation", "--test");
    /** What one training step reads: ModelOptions. */
    private static final List<String> STEP = List.of("--embedding", "--hidden", "--layers", "--batch", "--unroll", "--lr", "--clip",
            "--seed", "--init-scale", "--xavier", "--dropout", "--layout", "--loss", "--samples", "--sample-alpha", "--threads");
    private static final List<String> SCHEDULE = List.of("--epochs", "--lr-decay", "--patience", "--checkpoint-minutes");
    private static final List<String> DEVICE = List.of("--device", "--lstm");
    private static final List<String> EVAL = List.of("--split", "--protocol", "--exclude-seen", "--json");

    /** Every command and the long options it reads. */
    private static Map<String, List<String>> expected() {
        Map<String, List<String>> e = new LinkedHashMap<>();
        e.put("", STANDARD);
        e.put("demo", join(DATA, SPLIT, STEP, SCHEDULE, List.of("--hybrid"), DEVICE, List.of("--out"), CONFIG, STANDARD));
        e.put("train", join(DATA, SPLIT, STEP, SCHEDULE, List.of("--hybrid"), DEVICE, List.of("--out", "--resume", "--overwrite"), CONFIG, STANDARD));
        e.put("evaluate", join(List.of("--model"), DATA, SPLIT, EVAL, DEVICE, List.of("--threads"), CONFIG, STANDARD));
        e.put("recommend", join(List.of("--model", "--history", "--external", "--top", "--exclude-seen"), DEVICE, CONFIG, STANDARD));
        e.put("songs", join(List.of("--model", "--data", "--search", "--limit"), CONFIG, STANDARD));
        e.put("serve", join(List.of("--model", "--host", "--port", "--threads", "--max-batch"), CONFIG, STANDARD));
        e.put("baselines", join(DATA, SPLIT, EVAL, CONFIG, STANDARD));
        e.put("bench", join(STEP, DEVICE, List.of("--songs", "--steps", "--warmup"), CONFIG, STANDARD));
        e.put("data", STANDARD);
        e.put("data stats", join(DATA, STANDARD));
        e.put("data synth", join(List.of("--songs", "--playlists", "--seed", "--out", "--preset", "--mean-length", "--popularity",
                "--store"), CONFIG, STANDARD));
        e.put("data import", join(List.of("--data", "--format", "--out", "--session-gap", "--drop-repeats"), CONFIG, STANDARD));
        e.put("data sample", join(DATA, List.of("--keep", "--seed", "--out"), CONFIG, STANDARD));
        e.put("data split", join(DATA, SPLIT, List.of("--out"), CONFIG, STANDARD));
        e.put("help", List.of("--help"));
        return e;
    }

    @SafeVarargs
    private static List<String> join(List<String>... parts) {
        List<String> all = new ArrayList<>();
        for (List<String> p : parts) all.addAll(p);
        return all;
    }

    private static CommandLine command(CommandLine root, String path) {
        CommandLine c = root;
        for (String name : path.split(" ")) if (!name.isEmpty()) c = c.getSubcommands().get(name);
        return c;
    }

    private static String help(String path, int width) {
        StringWriter out = new StringWriter();
        command(Main.commandLine(width), path).usage(new PrintWriter(out));
        return out.toString();
    }

    /** An option row: its names start the line after the indent, e.g. "  -k, --top=K  How many" or "      --[no-]hybrid  ...". */
    private static final Pattern ROW = Pattern.compile("^  (?:-\\w, )?(?:    )?(--(?:\\[no-])?[a-z][\\w-]*)(?:=\\S+)?(?: {2,}|$)");
    private static final Pattern MENTION = Pattern.compile("(?<![\\w-])--(?:\\[no-])?([a-z][\\w-]*)");

    private static List<String> listedOptions(String help) {
        List<String> listed = new ArrayList<>();
        for (String line : help.lines().toList()) {
            Matcher m = ROW.matcher(line);
            if (m.find()) listed.add(m.group(1).replace("[no-]", ""));
        }
        return listed;
    }

    @Test
    void everyCommandListsExactlyTheOptionsItReads() {
        CommandLine root = Main.commandLine(80);
        Set<String> covered = new LinkedHashSet<>();
        Main.everyCommand(root, c -> covered.add(c.getCommandSpec().qualifiedName(" ").replaceFirst("^nexttrack ?", "")));
        assertEquals(expected().keySet(), covered, "every command has its expected list");
        expected().forEach((path, options) -> {
            String help = help(path, 80);
            assertEquals(options, listedOptions(help), "the options in the help of '" + path + "':\n" + help);
        });
    }

    @Test
    void noCommandMentionsAnOptionItDoesNotHave() {
        CommandLine root = Main.commandLine(80);
        expected().forEach((path, options) -> {
            if (!command(root, path).getSubcommands().isEmpty()) return; // a group's list quotes its commands' descriptions
            String help = help(path, 120);
            Set<String> names = new LinkedHashSet<>();
            for (OptionSpec o : command(root, path).getCommandSpec().options()) {
                for (String n : o.names()) names.add(n.replaceFirst("^--", ""));
                if (o.negatable()) names.add("no-" + o.longestName().substring(2));
            }
            Matcher m = MENTION.matcher(help);
            while (m.find()) assertTrue(names.contains(m.group(1)), "'" + path + "' mentions --" + m.group(1) + ":\n" + help);
        });
        String bench = help("bench", 80), demo = help("demo", 80);
        for (String unused : List.of("--patience", "--checkpoint-minutes", "--epochs", "--lr-decay", "--resume", "--hybrid")) {
            assertFalse(bench.contains(unused), "bench: " + unused);
        }
        assertFalse(demo.contains("--resume"), demo);
    }

    @Test
    void optionsACommandDoesNotUseAreRefused() {
        ErrorContractTest.assertBadInput(CliTest.run("bench", "--patience", "3"), "Unknown option", "'--patience'", "bench --help");
        ErrorContractTest.assertBadInput(CliTest.run("bench", "--checkpoint-minutes", "3"), "--checkpoint-minutes");
        ErrorContractTest.assertBadInput(CliTest.run("demo", "--resume"), "Unknown option: '--resume'");
    }

    @Test
    void linesBreakAtSpacesOnlyAndStayWithinTheWidth() {
        CommandLine root = Main.commandLine(80);
        for (int width : new int[] {HelpLayout.MIN_WIDTH, 80, 100, HelpLayout.MAX_WIDTH}) {
            for (String path : expected().keySet()) {
                String help = help(path, width);
                for (String line : help.lines().toList()) {
                    assertTrue(line.length() <= width, path + " at " + width + ": " + line.length() + " columns: " + line);
                    assertEquals(line.stripTrailing(), line, "no trailing spaces");
                }
                List<String> lines = help.lines().toList();
                for (OptionSpec o : command(root, path).getCommandSpec().options()) {
                    String description = String.join(" ", o.description()).strip().replaceAll(" +", " ");
                    int row = -1, column = -1;
                    for (int i = 0; i < lines.size() && row < 0; i++) {
                        Matcher m = ROW.matcher(lines.get(i));
                        if (m.find() && m.group(1).replace("[no-]", "").equals(o.longestName())) {
                            row = i;
                            column = m.end();
                        }
                    }
                    assertTrue(row >= 0, path + ": no row for " + o.longestName());
                    assertTrue(column > 0 && column <= 30, path + ": the description of " + o.longestName()
                            + " starts beside the names, within 30 columns: " + lines.get(row));
                    StringBuilder text = new StringBuilder(lines.get(row).substring(column));
                    for (int i = row + 1; i < lines.size() && lines.get(i).length() > column && lines.get(i).substring(0, column).isBlank(); i++) {
                        text.append(' ').append(lines.get(i).substring(column));
                    }
                    assertEquals(description, text.toString(), path + " at " + width + ": the lines of " + o.longestName()
                            + "'s description, joined at spaces, are the description (no break inside a word)");
                }
            }
        }
    }

    @Test
    void theWidthIsTheTerminalsWithinLimitsElse80() {
        assertEquals(80, HelpLayout.width(null, true));
        assertEquals(80, HelpLayout.width("132", false), "not a terminal");
        assertEquals(100, HelpLayout.width("100", true));
        assertEquals(HelpLayout.MAX_WIDTH, HelpLayout.width("300", true));
        assertEquals(HelpLayout.MIN_WIDTH, HelpLayout.width("20", true));
        assertEquals(80, HelpLayout.width("wide", true));
    }

    @Test
    void wrapBreaksAtSpacesAndGivesALongWordALineOfItsOwn() {
        assertEquals("  aa bb\n  cc\n", HelpLayout.wrap("aa bb cc", "  ", 8));
        assertEquals("  a\n  runs/demo/model.nt\n  b\n", HelpLayout.wrap("a runs/demo/model.nt b", "  ", 10));
    }

    @Test
    void theSynopsisNamesWhatIsRequired() {
        assertTrue(help("train", 80).startsWith("Usage: nexttrack train --data=DIR --out=MODEL [OPTIONS]\n"), help("train", 80));
        assertTrue(help("demo", 80).startsWith("Usage: nexttrack demo [OPTIONS]\n"));
        assertTrue(help("songs", 80).startsWith("Usage: nexttrack songs (--model=MODEL | --data=DIR) [OPTIONS]\n"));
        assertTrue(help("data stats", 80).startsWith("Usage: nexttrack data stats [OPTIONS] [DATA]\n"));
        assertTrue(help("", 80).startsWith("Usage: nexttrack [OPTIONS] [COMMAND]\n"));
        Run missing = CliTest.run("train", "--out", "x.nt");
        ErrorContractTest.assertBadInput(missing, "--data");
    }

    @Test
    void dashVPrintsThePomsVersionOnEveryCommand() throws Exception {
        String pom = Files.readString(Path.of(System.getProperty("user.dir")).resolve("../pom.xml"));
        Matcher m = Pattern.compile("<artifactId>nexttrack-parent</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
        assertTrue(m.find(), "the root pom's version");
        String version = "nexttrack " + m.group(1) + "\n";
        for (String path : expected().keySet()) {
            if (path.equals("help")) continue; // picocli's help command has -h only
            List<String> args = new ArrayList<>(List.of(path.isEmpty() ? new String[0] : path.split(" ")));
            args.add("-V");
            Run r = CliTest.run(args.toArray(String[]::new));
            assertEquals(0, r.code(), path + ": " + r.err());
            assertEquals(version, r.out(), path);
        }
    }

    /** The help pasted in docs/cli.md is what the commands print (at 80 columns, as through a pipe). */
    @Test
    void theCliPageShowsTheHelpAsItIs() throws Exception {
        String page = Files.readString(Path.of(System.getProperty("user.dir")).resolve("../docs/cli.md"));
        Matcher m = Pattern.compile("```\\n\\$ \\./nexttrack ((?:[a-z]+ )*)--help\\n(.*?)```", Pattern.DOTALL).matcher(page);
        int pasted = 0;
        for (; m.find(); pasted++) assertEquals(help(m.group(1).strip(), 80), m.group(2), "docs/cli.md: nexttrack " + m.group(1) + "--help");
        assertTrue(pasted >= 2, "docs/cli.md shows the main help and train's");
    }
}
