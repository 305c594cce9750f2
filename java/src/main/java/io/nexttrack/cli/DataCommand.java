package io.nexttrack.cli;

import io.nexttrack.data.Dataset;
import io.nexttrack.data.PlaylistReader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nexttrack data ...}: look at and make playlist data. */
@Command(name = "data", mixinStandardHelpOptions = true, description = "Inspect or generate playlist data.",
        subcommands = {DataCommand.Stats.class, SynthCommand.class, SampleCommand.class, SplitExportCommand.class})
final class DataCommand implements Runnable {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override public void run() { spec.commandLine().usage(System.out); }

    @Command(name = "stats", mixinStandardHelpOptions = true,
            description = "Print songs, playlists, transitions and the playlist length distribution.")
    static final class Stats implements Callable<Integer> {
        @Parameters(index = "0", arity = "0..1", paramLabel = "DATA", description = "A Yes-format folder (train.txt), or a playlist file; "
                + "or give it as --data, like the other commands.")
        Path data;

        @Option(names = "--data", paramLabel = "DIR", description = DataOptions.DATA)
        Path dataOption;

        @Option(names = "--format", paramLabel = "FORMAT", description = DataOptions.FORMAT)
        PlaylistReader.Format format = PlaylistReader.Format.AUTO;

        @Override
        public Integer call() throws Exception {
            if (data != null && dataOption != null && !data.equals(dataOption)) {
                throw new Main.UserError("give the data once: --data " + dataOption + " and " + data + " differ");
            }
            Path path = data != null ? data : dataOption;
            if (path == null) throw new Main.UserError("data stats needs the data: nexttrack data stats DIR (or --data DIR)");
            Dataset d = PlaylistReader.read(path, format);
            System.out.print(DataStats.format(d.playlists()));
            return 0;
        }
    }
}
