package io.nexttrack.cli;

import io.nexttrack.data.PlaylistReader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code --config FILE}, listed in the help of every command that takes options. {@link Main} reads it before
 * picocli parses the line (its values become the options' defaults) and removes it, so the option's field is never
 * set: it is here so that the help tells the truth and picocli knows the name. Main tells each command what it read
 * instead ({@link #read}), and the command line as typed ({@link #typed}).
 */
final class ConfigOption {
    @Option(names = "--config", paramLabel = "FILE", description = "Take option values from FILE: one option=value per line, "
            + "the option's long name without the dashes; options given on the command line win.")
    Path file;

    /** The config file Main read (null: none): an input of the command, which no output may replace. */
    Path read;

    /** The arguments as typed after {@code nexttrack} (with {@code --config}), e.g. to say how to continue a run. */
    List<String> typed = List.of();

    /** What a training run reads, which none of its outputs may replace: the data (with its song table), this file. */
    Map<Path, String> inputs(Path data) {
        Map<Path, String> in = new LinkedHashMap<>();
        if (data != null) {
            for (Path p : PlaylistReader.inputs(data)) in.put(p, p.equals(data) ? "the data (--data)" : "part of the data (--data " + data + ")");
        }
        if (read != null) in.put(read, "the config file (--config)");
        return in;
    }
}
