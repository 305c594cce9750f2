package io.nexttrack.cli;

import io.nexttrack.data.Dataset;
import io.nexttrack.data.PlaylistReader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code nexttrack data ...}: look at and make playlist data. */
@Command(name = "data", mixinStandardHelpOptions = true, description = "Inspect or generate playlist data.",
        subcommands = {DataCommand.Stats.class, SynthCommand.class, ImportCommand.class})
final class DataCommand implements Runnable {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override public void run() { spec.commandLine().usage(System.out); }

    @Command(name = "stats", mixinStandardHelpOptions = true,
            description = "Print songs, playlists, transitions and the playlist length distribution.")
    static final class Stats implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "DATA", description = "A Yes-format folder (train.txt), or a playlist file.")
        Path data;

        @Override
        public Integer call() throws Exception {
            Dataset d = PlaylistReader.read(data);
            System.out.print(DataStats.format(d.playlists()));
            return 0;
        }
    }
}
