package io.nexttrack.cli;

import io.nexttrack.data.PlaylistReader;
import io.nexttrack.data.Song;
import io.nexttrack.data.SongLookup;
import io.nexttrack.model.TrainedModel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code nexttrack songs}: find songs by title or artist, to name them in a history. */
@Command(name = "songs", mixinStandardHelpOptions = true, sortOptions = false,
        description = "List the songs of a model (or of data): id, external id, title, artist; --search finds them by "
                + "title, artist or id, best matches first.")
final class SongsCommand implements Callable<Integer> {
    @ArgGroup(multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--model", required = true, paramLabel = "MODEL", description = ModelFileOption.DESCRIPTION)
        Path model;

        @Option(names = "--data", required = true, paramLabel = "DIR", description = "A Yes-format folder or a playlist file.")
        Path data;
    }

    @Option(names = "--search", paramLabel = "TEXT", description = "Words of the title or artist, a title, 'title - artist', or an id.")
    String search = "";

    @Option(names = "--limit", paramLabel = "N", description = "Show at most N songs; 0 = all (default: ${DEFAULT-VALUE}).")
    int limit = 20;

    @Mixin ConfigOption config;

    @Override
    public Integer call() throws Exception {
        if (limit < 0) throw new Main.UserError("--limit must be 0 (all) or more");
        SongLookup songs;
        if (source.model != null) {
            TrainedModel m = TrainedModel.load(source.model);
            songs = new SongLookup(m.vocabulary(), m.catalog());
        } else {
            var d = PlaylistReader.read(source.data);
            songs = new SongLookup(d.vocabulary(), d.catalog());
        }
        List<Song> found = songs.search(search);
        if (found.isEmpty()) {
            List<Song> close = songs.suggestions(search);
            System.out.println("no song matches '" + search.strip() + "'" + (close.isEmpty() ? "" : "; did you mean:"));
            for (Song s : close) System.out.println("  " + s);
            return 0;
        }
        int shown = limit == 0 ? found.size() : Math.min(limit, found.size());
        System.out.println(SongTable.header().stripTrailing());
        for (int i = 0; i < shown; i++) System.out.println(SongTable.row(found.get(i)).stripTrailing());
        if (shown < found.size()) System.out.printf("(%d of %d songs shown; --limit 0 shows all)%n", shown, found.size());
        return 0;
    }
}
