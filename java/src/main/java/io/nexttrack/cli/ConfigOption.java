package io.nexttrack.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --config FILE}, listed in the help of every command that takes options. {@link Main} reads it before
 * picocli parses the line (its values become the options' defaults) and removes it, so this field is never set:
 * it is here so that the help tells the truth and picocli knows the name.
 */
final class ConfigOption {
    @Option(names = "--config", paramLabel = "FILE", description = "Take option values from FILE: one option=value per line, "
            + "the option's long name without the dashes; options given on the command line win.")
    Path file;
}
