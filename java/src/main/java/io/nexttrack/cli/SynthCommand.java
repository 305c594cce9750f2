package io.nexttrack.cli;

import io.nexttrack.data.Dataset;
import io.nexttrack.data.Playlists;
import io.nexttrack.data.PlaylistStore;
import io.nexttrack.data.SyntheticPlaylists;
import io.nexttrack.data.YesWriter;
import io.nexttrack.io.AtomicFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code nexttrack data synth}: writes synthetic playlists in the Yes format, plus a SOURCE.md. */
@Command(name = "synth", mixinStandardHelpOptions = true,
        description = "Write realistic synthetic playlists in the Yes format (train.txt, song_hash.txt, SOURCE.md).")
public final class SynthCommand implements Callable<Integer> {
    /** Sizes and shapes to start from; the options given win. */
    enum Preset { YES, MPD }

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--songs", paramLabel = "N", defaultValue = "" + SyntheticPlaylists.DEFAULT_SONGS,
            description = "Number of songs (default: ${DEFAULT-VALUE}).")
    int songs;

    @Option(names = "--playlists", paramLabel = "M", defaultValue = "" + SyntheticPlaylists.DEFAULT_PLAYLISTS,
            description = "Number of playlists (default: ${DEFAULT-VALUE}).")
    int playlists;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "" + SyntheticPlaylists.DEFAULT_SEED,
            description = "Random seed; the same arguments give byte-identical files (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Output folder (created if needed).")
    Path out;

    @Option(names = "--preset", paramLabel = "P", description = "Start from a known size and shape: yes (yes_small's: the "
            + "defaults) or mpd (the Million Playlist Dataset's: 2,262,292 songs, 1,000,000 playlists, mean length 66.3, "
            + "popularity 0.62); options given win (default: yes).")
    Preset preset = Preset.YES;

    @Option(names = "--mean-length", paramLabel = "L", description = "Playlist lengths like the MPD's (5 to 250 songs) with "
            + "this mean, instead of yes_small's (mean 4.2).")
    Double meanLength;

    @Option(names = "--popularity", paramLabel = "E", description = "Zipf exponent of song popularity (default: 1, or 0.62 "
            + "with --preset mpd).")
    Double popularity;

    @Option(names = "--store", description = "Write a playlist store (DIR/" + PlaylistStore.FILE_NAME + ") instead of Yes "
            + "text, streaming: the playlists are never all in memory.")
    boolean store;

    @Mixin ConfigOption config;

    /** The settings after the preset: (songs, playlists) and the shape. */
    private SyntheticPlaylists.Shape shape() {
        var given = spec == null ? null : spec.commandLine().getParseResult();
        SyntheticPlaylists.Shape base = preset == Preset.MPD ? SyntheticPlaylists.Shape.MPD : SyntheticPlaylists.Shape.YES;
        if (preset == Preset.MPD) {
            if (given == null || !given.hasMatchedOption("--songs")) songs = SyntheticPlaylists.MPD_SONGS;
            if (given == null || !given.hasMatchedOption("--playlists")) playlists = SyntheticPlaylists.MPD_PLAYLISTS;
        }
        try {
            return new SyntheticPlaylists.Shape(meanLength != null ? meanLength : base.meanLength(),
                    popularity != null ? popularity : base.popularity());
        } catch (IllegalArgumentException e) {
            throw new Main.UserError((meanLength != null && e.getMessage().contains("mean length") ? "--mean-length: "
                    : "--popularity: ") + e.getMessage());
        }
    }

    @Override
    public Integer call() throws Exception {
        SyntheticPlaylists.Shape shape = shape();
        if (songs < 2) throw new Main.UserError("--songs must be at least 2, got " + songs);
        if (playlists < 1) throw new Main.UserError("--playlists must be at least 1, got " + playlists);
        long t0 = System.nanoTime();
        if (store) {
            Path file = out.resolve(PlaylistStore.FILE_NAME);
            PlaylistStore.write(file, w -> SyntheticPlaylists.generateInto(songs, playlists, seed, shape, w));
            AtomicFile.writeText(out.resolve("SOURCE.md"), source(shape));
            Playlists p = PlaylistStore.read(file).playlists();
            System.out.printf(Locale.ROOT, "wrote %,d playlists (%,d plays of %,d songs) to %s (%s) in %.2f s%n", p.size(),
                    p.tokens(), songs, file, io.nexttrack.io.ByteSize.of(Files.size(file)), (System.nanoTime() - t0) / 1e9);
            return 0;
        }
        Dataset d = SyntheticPlaylists.generate(songs, playlists, seed, shape);
        long t1 = System.nanoTime();
        YesWriter.write(d, out);
        AtomicFile.writeText(out.resolve("SOURCE.md"), source(shape));
        long t2 = System.nanoTime();
        Playlists p = d.playlists();
        System.out.printf(Locale.ROOT, "wrote %,d playlists (%,d plays of %,d songs) to %s in %.2f s"
                        + " (generate %.2f s, write %.2f s)%n", p.size(), p.tokens(), songs, out,
                (t2 - t0) / 1e9, (t1 - t0) / 1e9, (t2 - t1) / 1e9);
        return 0;
    }

    private String source(SyntheticPlaylists.Shape shape) {
        String command = String.format(Locale.ROOT, "nexttrack data synth --songs %d --playlists %d --seed %d", songs, playlists, seed);
        String parameters = String.format(Locale.ROOT, "- songs: %d\n- playlists: %d\n- seed: %d\n", songs, playlists, seed);
        if (!shape.equals(SyntheticPlaylists.Shape.YES)) {
            command += String.format(Locale.ROOT, " --mean-length %s --popularity %s", number(shape.meanLength()), number(shape.popularity()));
            parameters += String.format(Locale.ROOT, "- mean length: %s (0: yes_small's lengths)\n- popularity exponent: %s\n",
                    number(shape.meanLength()), number(shape.popularity()));
        }
        command += (store ? " --store" : "") + " --out " + out;
        return "# Synthetic playlists (not real listening data)\n\n"
                + "Generated by nexttrack's synthetic playlist generator (io.nexttrack.data.SyntheticPlaylists);\n"
                + "the songs, titles and artists are made up. The same command gives byte-identical files.\n\n"
                + "## Command\n\n    " + command + "\n\n"
                + "## Parameters\n\n" + parameters + "\n"
                + "## Model\n\n" + SyntheticPlaylists.describe(shape) + "\n"
                + "## Files\n\n"
                + (store ? "- " + PlaylistStore.FILE_NAME + ": a nexttrack playlist store (the playlists, external ids s0..s"
                        + (songs - 1) + ", titles and artists; see docs/data-at-scale.md)\n"
                : "- train.txt: Yes.com format (line 1 external ids s0..s" + (songs - 1) + ", line 2 per-song counts,\n"
                + "  then one playlist per line of 0-based song ids, each followed by a space; LF endings)\n"
                + "- song_hash.txt: id TAB title TAB artist\n");
    }

    private static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
