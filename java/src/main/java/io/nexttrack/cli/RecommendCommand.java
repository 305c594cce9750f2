package io.nexttrack.cli;

import io.nexttrack.model.TrainedModel;
import io.nexttrack.recommend.Recommendation;
import io.nexttrack.recommend.Recommender;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code nexttrack recommend}: the top-k next songs for a listening history. */
@Command(name = "recommend", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Print the k most likely next songs after a history: rank, song id, title, artist, score (log-probability).")
final class RecommendCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "A model file written by train.")
    Path modelFile;

    @Option(names = "--history", required = true, split = ",", paramLabel = "SONG",
            description = "Songs played so far, oldest first: internal ids (0-based), or external ids (as in the data) with --external.")
    List<String> history;

    @Option(names = "--external", description = "Read --history as the data's external song ids.")
    boolean external;

    @Option(names = {"-k", "--top"}, description = "How many songs (default: ${DEFAULT-VALUE}).")
    int k = 10;

    @Option(names = "--exclude-seen", description = "Never recommend a song already in the history.")
    boolean excludeSeen;

    @Mixin DeviceOption device;

    @Override
    public Integer call() throws Exception {
        // The device line goes to stderr: stdout is the table, for whoever reads it.
        Recommender r = new Recommender(TrainedModel.load(modelFile), device.engines(1, System.err));
        int[] songs = new int[history.size()];
        for (int i = 0; i < songs.length; i++) songs[i] = resolve(r, history.get(i).strip());
        List<Recommendation> top = r.recommend(songs, k, excludeSeen);
        System.out.printf("%4s  %7s  %-12s  %-40s  %-24s  %s%n", "rank", "song", "external id", "title", "artist", "score");
        for (Recommendation x : top) {
            System.out.printf(Locale.ROOT, "%4d  %7d  %-12s  %-40s  %-24s  %.3f%n", x.rank(), x.song(), x.externalId(),
                    clip(x.title(), 40), clip(x.artist(), 24), x.score());
        }
        return 0;
    }

    private int resolve(Recommender r, String token) {
        if (external) {
            OptionalInt s = r.songOf(token);
            if (s.isEmpty()) throw new Main.UserError("unknown external song id '" + token + "' (not in " + modelFile + ")");
            return s.getAsInt();
        }
        try {
            return Integer.parseInt(token); // Recommender rejects ids outside the model's songs, naming the range
        } catch (NumberFormatException e) {
            OptionalInt s = r.songOf(token); // playlists in the plain format name songs by any token
            if (s.isEmpty()) throw new Main.UserError("unknown song '" + token + "' (not an id, not in " + modelFile + ")");
            return s.getAsInt();
        }
    }

    private static String clip(String s, int width) {
        return s.length() <= width ? s : s.substring(0, width - 1) + "…";
    }
}
