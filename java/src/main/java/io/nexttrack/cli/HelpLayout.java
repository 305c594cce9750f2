package io.nexttrack.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Lays out {@code --help} text. Picocli wraps with the JDK's line BreakIterator, which also breaks inside words
 * after a '.' ("runs/demo/model.|nt", "e.|g."); here lines break at spaces only. The width is the terminal's
 * ({@code COLUMNS}, which the launcher exports when stdout is a terminal), kept within 60..120 columns; 80 when
 * not on a terminal or unknown. The synopsis names what is required and stands for the rest with {@code [OPTIONS]}; the option
 * names sit in one column as wide as the longest (every label is short), descriptions beside them.
 */
final class HelpLayout {
    static final int DEFAULT_WIDTH = 80, MIN_WIDTH = 60, MAX_WIDTH = 120;
    private static final String INDENT = "  ";
    private static final int GAP = 2;

    private HelpLayout() {}

    /** The help width: {@code COLUMNS} on a terminal, else (or when it is not a number) 80. */
    static int width(String columns, boolean terminal) {
        if (!terminal || columns == null || !columns.strip().matches("\\d{1,4}")) return DEFAULT_WIDTH;
        return Math.clamp(Integer.parseInt(columns.strip()), MIN_WIDTH, MAX_WIDTH);
    }

    /** Uses this layout, at {@code width} columns, for {@code cl} and every subcommand below it. */
    static void install(CommandLine cl, int width) {
        cl.setUsageHelpWidth(width);
        Map<String, CommandLine.IHelpSectionRenderer> sections = cl.getHelpSectionMap();
        sections.put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_SYNOPSIS, h -> synopsis(h.commandSpec(), width));
        sections.put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_DESCRIPTION, h -> description(h.commandSpec(), width));
        sections.put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_PARAMETER_LIST, h -> parameters(h.commandSpec(), width));
        sections.put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST, h -> options(h.commandSpec(), width));
        sections.put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST, h -> commands(h.commandSpec(), width));
        cl.setHelpSectionMap(sections);
        for (CommandLine sub : cl.getSubcommands().values()) install(sub, width);
    }

    /** "nexttrack train --data=DIR --out=MODEL [OPTIONS]": required options, groups, parameters, then the rest. */
    static String synopsis(CommandSpec spec, int width) {
        List<String> parts = new ArrayList<>();
        boolean optional = false;
        for (OptionSpec o : spec.options()) {
            if (o.hidden() || o.group() != null) continue;
            if (o.required()) parts.add(label(o));
            else optional = true;
        }
        for (ArgGroupSpec g : spec.argGroups()) {
            List<String> members = new ArrayList<>();
            for (OptionSpec o : g.options()) members.add(label(o));
            String joined = String.join(g.exclusive() ? " | " : " ", members);
            parts.add(g.multiplicity().min() > 0 ? "(" + joined + ")" : "[" + joined + "]");
        }
        if (optional) parts.add("[OPTIONS]");
        for (PositionalParamSpec p : spec.positionalParameters()) {
            if (!p.hidden()) parts.add(p.arity().min() > 0 ? p.paramLabel() : "[" + p.paramLabel() + "]");
        }
        if (!spec.subcommands().isEmpty()) parts.add("[COMMAND]");
        String lead = spec.qualifiedName() + " ";
        // The heading "Usage: " precedes this section on the same line.
        return hanging("Usage: " + lead, String.join(" ", parts), width).substring("Usage: ".length());
    }

    static String description(CommandSpec spec, int width) {
        StringBuilder s = new StringBuilder();
        for (String line : spec.usageMessage().description()) {
            for (String paragraph : line.split("%n", -1)) s.append(paragraph.isBlank() ? "" : wrap(paragraph, "", width));
        }
        return s.toString();
    }

    static String parameters(CommandSpec spec, int width) {
        return table(parameterRows(spec), column(spec), width);
    }

    static String options(CommandSpec spec, int width) {
        return table(optionRows(spec), column(spec), width);
    }

    /** Where descriptions start: after the longest parameter or option label (both lists share the column). */
    private static int column(CommandSpec spec) {
        int column = 0;
        for (String[] r : parameterRows(spec)) column = Math.max(column, r[0].length() + GAP);
        for (String[] r : optionRows(spec)) column = Math.max(column, r[0].length() + GAP);
        return column;
    }

    private static List<String[]> parameterRows(CommandSpec spec) {
        List<String[]> rows = new ArrayList<>();
        for (PositionalParamSpec p : spec.positionalParameters()) {
            if (!p.hidden()) rows.add(new String[] {INDENT + "    " + p.paramLabel(), String.join(" ", p.description())});
        }
        return rows;
    }

    /** The options in declaration order, help and version last. */
    private static List<String[]> optionRows(CommandSpec spec) {
        List<String[]> rows = new ArrayList<>(), standard = new ArrayList<>();
        for (OptionSpec o : spec.options()) {
            if (o.hidden()) continue;
            String[] row = {INDENT + (o.shortestName().length() == 2 ? "" : "    ") + names(o), String.join(" ", o.description())};
            (o.usageHelp() || o.versionHelp() ? standard : rows).add(row);
        }
        rows.addAll(standard);
        return rows;
    }

    static String commands(CommandSpec spec, int width) {
        List<String[]> rows = new ArrayList<>();
        for (Map.Entry<String, CommandLine> e : spec.subcommands().entrySet()) {
            CommandSpec sub = e.getValue().getCommandSpec();
            if (sub.usageMessage().hidden() || !e.getKey().equals(sub.name())) continue; // aliases once
            String[] d = sub.usageMessage().header().length > 0 ? sub.usageMessage().header() : sub.usageMessage().description();
            rows.add(new String[] {INDENT + e.getKey(), d.length == 0 ? "" : d[0].replace("%n", " ").strip()});
        }
        int column = 0;
        for (String[] r : rows) column = Math.max(column, r[0].length() + GAP);
        return table(rows, column, width);
    }

    /** "-k, --top=N", "    --data=DIR", "--[no-]hybrid": every name of the option and its parameter. */
    static String names(OptionSpec o) {
        List<String> names = new ArrayList<>(List.of(o.names()));
        names.sort((a, b) -> Integer.compare(a.length(), b.length()));
        String joined = String.join(", ", names);
        if (o.negatable()) joined = joined.replaceFirst("^--", "--[no-]");
        return o.arity().max() > 0 ? joined + "=" + o.paramLabel() : joined;
    }

    /** The option's longest name and its parameter, as the synopsis shows it: "--out=MODEL". */
    static String label(OptionSpec o) {
        return o.arity().max() > 0 ? o.longestName() + "=" + o.paramLabel() : o.longestName();
    }

    /** Two columns: the labels, then from {@code column} on the descriptions wrapped beside them. */
    private static String table(List<String[]> rows, int column, int width) {
        StringBuilder s = new StringBuilder();
        String pad = " ".repeat(column);
        for (String[] r : rows) {
            if (r[1].isBlank()) {
                s.append(r[0]).append('\n');
                continue;
            }
            String text = wrap(r[1], pad, width);
            s.append(r[0]).append(" ".repeat(column - r[0].length())).append(text.substring(column));
        }
        return s.toString();
    }

    /** {@code first} then {@code text} wrapped, continuation lines indented as deep as {@code first}. */
    private static String hanging(String first, String text, int width) {
        return first + wrap(text, " ".repeat(first.length()), width).substring(first.length());
    }

    /**
     * {@code text} broken at spaces into lines of at most {@code width} columns, each starting with {@code indent};
     * a word longer than a line gets a line of its own. Ends with a newline.
     */
    static String wrap(String text, String indent, int width) {
        StringBuilder out = new StringBuilder(), line = new StringBuilder(indent);
        for (String word : text.strip().split(" +")) {
            if (word.isEmpty()) continue;
            if (line.length() > indent.length() && line.length() + 1 + word.length() > width) {
                out.append(line).append('\n');
                line.setLength(0);
                line.append(indent);
            }
            if (line.length() > indent.length()) line.append(' ');
            line.append(word);
        }
        return out.append(line).append('\n').toString();
    }
}
