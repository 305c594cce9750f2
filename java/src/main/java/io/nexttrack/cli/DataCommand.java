package io.nexttrack.cli;

import picocli.CommandLine.Command;

/**
 * {@code nexttrack data ...}: look at ({@link DataStatsCommand}), make ({@link SynthCommand}), import
 * ({@link ImportCommand}), sample ({@link SampleCommand}) and export the split of ({@link SplitExportCommand}) playlist data.
 */
@Command(name = "data", mixinStandardHelpOptions = true, description = "Inspect or generate playlist data.",
        subcommands = {DataStatsCommand.class, SynthCommand.class, ImportCommand.class, SampleCommand.class, SplitExportCommand.class})
final class DataCommand implements Runnable {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override public void run() { spec.commandLine().usage(System.out); }
}
