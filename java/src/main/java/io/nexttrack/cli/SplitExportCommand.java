package io.nexttrack.cli;

import io.nexttrack.data.Dataset;
import io.nexttrack.data.Playlists;
import io.nexttrack.data.Split;
import io.nexttrack.io.AtomicFile;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code nexttrack data split}: writes the train/validation/test split every command uses as three text files of
 * 0-based song ids, so that programs outside nexttrack (the anchors in benchmarks/anchors/) score the same positions.
 */
@Command(name = "split", mixinStandardHelpOptions = true,
        description = "Write the split the other commands use as text: train.txt, validation.txt and test.txt (one playlist "
                + "per line, 0-based song ids separated by spaces, playlists of one song left out as in every split) "
                + "and songs.txt (the number of songs).")
final class SplitExportCommand implements Callable<Integer> {
    @Mixin DataOptions data;
    @Mixin SplitOptions splitting;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (created if needed).")
    Path out;

    @Mixin ConfigOption config;

    @Override
    public Integer call() throws Exception {
        Dataset d = data.read();
        Split split = splitting.split(d);
        java.nio.file.Files.createDirectories(out);
        for (Split.Part part : Split.Part.values()) {
            Playlists p = split.part(part);
            AtomicFile.writeText(out.resolve(part.name().toLowerCase(Locale.ROOT) + ".txt"), text(p));
        }
        AtomicFile.writeText(out.resolve("songs.txt"), d.songCount() + "\n");
        System.out.printf(Locale.ROOT, "wrote the split (seed %d) of %d songs to %s: train %,d, validation %,d, test %,d playlists%n",
                splitting.splitSeed, d.songCount(), out, split.train().size(), split.validation().size(), split.test().size());
        return 0;
    }

    static String text(Playlists p) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < p.size(); i++) {
            for (int j = 0; j < p.length(i); j++) b.append(j == 0 ? "" : " ").append(p.song(i, j));
            b.append('\n');
        }
        return b.toString();
    }
}
