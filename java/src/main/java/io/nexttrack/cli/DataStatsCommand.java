package io.nexttrack.cli;

import io.nexttrack.data.Dataset;
import io.nexttrack.data.PlaylistReader;
import io.nexttrack.data.Playlists;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nexttrack data stats}: songs, playlists, transitions, repeats and the playlist length distribution of some data. */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = "Print songs, playlists, transitions, plays per song, repeat targets and the playlist length distribution.")
final class DataStatsCommand implements Callable<Integer> {
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
        System.out.print(summary(d.playlists()));
        return 0;
    }

    /** The summary: counts, the longest and mean playlist, plays per song, repeat targets, and the distribution of lengths. */
    static String summary(Playlists p) {
        int[] hist = new int[12]; // 1..10, >=11 at index 11
        int longest = 0, trainable = 0;
        for (int i = 0; i < p.size(); i++) {
            int n = p.length(i);
            hist[Math.min(n, 11)]++;
            longest = Math.max(longest, n);
            if (n >= 2) trainable++;
        }
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "songs         %,d%n", p.songCount()));
        s.append(String.format(Locale.ROOT, "playlists     %,d%n", p.size()));
        s.append(String.format(Locale.ROOT, "  with >= 2   %,d%n", trainable));
        s.append(String.format(Locale.ROOT, "transitions   %,d%n", p.transitions()));
        s.append(String.format(Locale.ROOT, "tokens        %,d%n", p.tokens()));
        s.append(String.format(Locale.ROOT, "longest       %,d%n", longest));
        s.append(String.format(Locale.ROOT, "mean length   %.2f%n", p.size() == 0 ? 0.0 : (double) p.tokens() / p.size()));
        s.append(String.format(Locale.ROOT, "plays/song    %.1f%n", p.songCount() == 0 ? 0.0 : (double) p.tokens() / p.songCount()));
        long repeats = repeatTargets(p);
        s.append(String.format(Locale.ROOT, "repeats       %,d (%.1f%% of transitions: the next song is already in the playlist)%n", repeats,
                p.transitions() == 0 ? 0.0 : 100.0 * repeats / p.transitions()));
        s.append("length distribution (songs: playlists)\n");
        for (int n = 1; n <= 11; n++) {
            s.append(String.format(Locale.ROOT, "  %4s %,9d%n", n == 11 ? ">=11" : Integer.toString(n), hist[n]));
        }
        return s.toString();
    }

    /** Transitions whose next song was played earlier in the same playlist (the positions {@code --exclude-seen} skips). */
    static long repeatTargets(Playlists p) {
        int[] seenIn = new int[p.songCount()];
        Arrays.fill(seenIn, -1);
        long repeats = 0;
        for (int i = 0; i < p.size(); i++) {
            for (int j = 0; j < p.length(i); j++) {
                int song = p.song(i, j);
                if (seenIn[song] == i) repeats++; // j >= 1 here: the first song is seen by no one before it
                seenIn[song] = i;
            }
        }
        return repeats;
    }
}
