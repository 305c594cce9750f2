package io.nexttrack.cli;

import io.nexttrack.data.Dataset;
import io.nexttrack.data.PlaylistReader;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the playlists come from, for the commands that need data ({@code demo} has its own, optional, {@code --data}). */
final class DataOptions {
    static final String DATA = "A Yes-format folder (train.txt [+ song_hash.txt]) or a playlist file.";
    static final String FORMAT = "Input format: ${COMPLETION-CANDIDATES}; auto tells Yes data from plain playlists "
            + "(default: ${DEFAULT-VALUE}).";

    @Option(names = "--data", required = true, paramLabel = "DIR", description = DATA)
    Path data;

    @Option(names = "--format", paramLabel = "FORMAT", description = FORMAT)
    PlaylistReader.Format format = PlaylistReader.Format.AUTO;

    Dataset read() throws IOException {
        return PlaylistReader.read(data, format);
    }
}
