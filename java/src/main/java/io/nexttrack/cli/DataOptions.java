package io.nexttrack.cli;

import io.nexttrack.data.Dataset;
import io.nexttrack.data.PlaylistReader;
import io.nexttrack.data.Split;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the playlists come from and how they are split (shared by every command that reads data). */
final class DataOptions {
    @Option(names = "--data", paramLabel = "DIR", description = "A Yes-format folder (train.txt [+ song_hash.txt]) or a playlist file.")
    Path data;

    @Option(names = "--format", description = "Input format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    PlaylistReader.Format format = PlaylistReader.Format.AUTO;

    @Option(names = "--split-seed", description = "Seed of the train/validation/test split by playlist (default: ${DEFAULT-VALUE}).")
    long splitSeed = Split.DEFAULT_SEED;

    @Option(names = "--validation", description = "Fraction of playlists for validation (default: ${DEFAULT-VALUE}).")
    double validation = Split.DEFAULT_VALIDATION;

    @Option(names = "--test", description = "Fraction of playlists for test (default: ${DEFAULT-VALUE}).")
    double test = Split.DEFAULT_TEST;

    Dataset read() throws IOException {
        if (data == null) throw new Main.UserError("--data is required");
        return PlaylistReader.read(data, format);
    }

    Split split(Dataset d) {
        return Split.of(d.playlists(), splitSeed, validation, test);
    }
}
