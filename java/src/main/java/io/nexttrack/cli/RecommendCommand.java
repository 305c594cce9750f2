package io.nexttrack.cli;

import io.nexttrack.data.Song;
import io.nexttrack.data.SongLookup;
import io.nexttrack.model.TrainedModel;
import io.nexttrack.recommend.Recommendation;
import io.nexttrack.recommend.Recommender;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code nexttrack recommend}: the top-k next songs for a listening history. */
@Command(name = "recommend", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Print the history as understood, then the k most likely next songs: rank, song id, title, artist, "
                + "score (log-probability).")
final class RecommendCommand implements Callable<Integer> {
    @Mixin ModelFileOption modelFile;

    @Option(names = "--history", required = true, paramLabel = "SONGS",
            description = "Songs played so far, oldest first, separated by ';': titles (\"Grenade; Aston Martin Music\"), "
                    + "'title - artist', internal ids (0-based), or external ids (as in the data) with --external. "
                    + "Ids may also be separated by ',' (12,7,99).")
    List<String> history;

    @Option(names = "--external", description = "Read numbers in --history as the data's external song ids.")
    boolean external;

    @Option(names = {"-k", "--top"}, paramLabel = "K", description = "How many songs (default: ${DEFAULT-VALUE}).")
    int k = 10;

    @Option(names = "--exclude-seen", description = "Never recommend a song already in the history.")
    boolean excludeSeen;

    @Mixin DeviceOption device;
    @Mixin ConfigOption config;

    @Override
    public Integer call() throws Exception {
        TrainedModel model = modelFile.load();
        SongLookup lookup = new SongLookup(model.vocabulary(), model.catalog());
        List<Song> songs = new ArrayList<>();
        for (String name : names(lookup)) songs.add(resolve(lookup, name));
        // The names are understood before the device is chosen; its line goes to stderr: stdout is the
        // history and the table, for whoever reads them.
        Recommender r = new Recommender(model, device.engines(1, System.err));
        List<Recommendation> top = r.recommend(songs.stream().mapToInt(Song::id).toArray(), k, excludeSeen);
        System.out.println("history (oldest first):");
        System.out.println(("   #  " + SongTable.header()).stripTrailing());
        for (int i = 0; i < songs.size(); i++) System.out.printf("%4d  %s%n", i + 1, SongTable.row(songs.get(i)).stripTrailing());
        System.out.println();
        System.out.println("next songs:");
        System.out.println("rank  " + SongTable.header() + "  score");
        for (Recommendation x : top) {
            Song s = new Song(x.song(), x.externalId(), x.title(), x.artist());
            System.out.printf(Locale.ROOT, "%4d  %s  %.3f%n", x.rank(), SongTable.row(s), x.score());
        }
        return 0;
    }

    /**
     * The names in --history: ';' separates songs; ',' separates them too inside a part made only of ids
     * ("12,7,99"), while a title with a comma ("Baby, I Love Your Way") stays whole.
     */
    private List<String> names(SongLookup lookup) {
        List<String> out = new ArrayList<>();
        for (String value : history) {
            for (String part : value.split(";")) {
                if (part.isBlank()) continue;
                String[] ids = part.split(",");
                boolean allIds = ids.length > 1;
                for (String id : ids) allIds &= isId(lookup, id.strip());
                if (allIds) {
                    for (String id : ids) out.add(id.strip());
                } else {
                    out.add(part.strip());
                }
            }
        }
        if (out.isEmpty()) throw new Main.UserError("--history names no song");
        return out;
    }

    private static boolean isId(SongLookup lookup, String token) {
        return !token.isEmpty() && (token.chars().allMatch(Character::isDigit) || lookup.byExternalId(token).isPresent());
    }

    private Song resolve(SongLookup lookup, String name) {
        try {
            return lookup.resolve(name, external ? SongLookup.Ids.EXTERNAL : SongLookup.Ids.INTERNAL);
        } catch (SongLookup.NotFound e) {
            String hint = switch (e.reason()) {
                case EXTERNAL_ID -> "; add --external to read numbers as external ids";
                case INTERNAL_ID -> "; without --external numbers are internal ids";
                case UNKNOWN -> e.candidates().isEmpty() && !name.chars().allMatch(Character::isDigit)
                        ? "; `nexttrack songs --model " + modelFile.file + " --search WORDS` finds songs" : "";
                case AMBIGUOUS -> "";
            };
            throw new Main.UserError(e.getMessage() + hint);
        }
    }
}
