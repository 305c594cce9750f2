package io.nexttrack.cli;

import io.nexttrack.data.Batcher;
import io.nexttrack.data.Dataset;
import io.nexttrack.data.Playlists;
import io.nexttrack.data.YesWriter;
import io.nexttrack.io.AtomicFile;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code nexttrack data sample}: keeps a deterministic share of a data set's playlists (in file order, every song of
 * the catalogue kept, with its id), written in the Yes format. Fewer playlists over the same songs make a sparser
 * development set: fewer plays per song, as on a larger catalogue (docs/quality.md).
 */
@Command(name = "sample", mixinStandardHelpOptions = true,
        description = "Keep a random share of the playlists (deterministic from --seed), every song of the catalogue kept: "
                + "a sparser data set with fewer plays per song, written in the Yes format (train.txt, song_hash.txt, SOURCE.md).")
final class SampleCommand implements Callable<Integer> {
    @Mixin DataOptions data;

    @Option(names = "--keep", required = true, paramLabel = "F", description = "Share of the playlists to keep, in (0, 1].")
    double keep;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Which playlists are kept (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (created if needed).")
    Path out;

    @Mixin ConfigOption config;

    @Override
    public Integer call() throws Exception {
        if (!(keep > 0 && keep <= 1)) throw new Main.UserError("--keep must be in (0, 1], got " + keep);
        Dataset d = data.read();
        Playlists kept = sample(d.playlists(), keep, seed);
        YesWriter.write(d.withPlaylists(kept), out);
        AtomicFile.writeText(out.resolve("SOURCE.md"), String.format(Locale.ROOT, """
                # A sample of %s

                %d of its %d playlists (--keep %s, --seed %d), in file order; every song of its catalogue kept, with its id.

                    nexttrack data sample --data %s --keep %s --seed %d --out %s
                """, data.data, kept.size(), d.playlists().size(), keep, seed, data.data, keep, seed, out));
        System.out.printf(Locale.ROOT, "wrote %,d of %,d playlists (%,d plays of %,d songs, %.1f plays per song) to %s%n", kept.size(),
                d.playlists().size(), kept.tokens(), d.songCount(), (double) kept.tokens() / d.songCount(), out);
        return 0;
    }

    /** {@code round(keep * n)} playlists picked by a shuffle from {@code seed}, kept in file order. */
    static Playlists sample(Playlists all, double keep, long seed) {
        int[] order = new int[all.size()];
        for (int p = 0; p < order.length; p++) order[p] = p;
        Batcher.shuffle(order, seed, 0);
        int[] kept = Arrays.copyOf(order, (int) Math.round(keep * order.length));
        Arrays.sort(kept);
        return all.select(kept);
    }
}
