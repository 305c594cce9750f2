package io.nexttrack.cli;

import io.nexttrack.data.Dataset;
import io.nexttrack.data.Split;
import picocli.CommandLine.Option;

/** How the playlists are split into train, validation and test (every command that reads data but songs). */
final class SplitOptions {
    @Option(names = "--split-seed", paramLabel = "S", description = "Seed of the train/validation/test split by playlist "
            + "(default: ${DEFAULT-VALUE}).")
    long splitSeed = Split.DEFAULT_SEED;

    @Option(names = "--validation", paramLabel = "F", description = "Fraction of playlists for validation (default: ${DEFAULT-VALUE}).")
    double validation = Split.DEFAULT_VALIDATION;

    @Option(names = "--test", paramLabel = "F", description = "Fraction of playlists for test (default: ${DEFAULT-VALUE}).")
    double test = Split.DEFAULT_TEST;

    Split.Settings settings() {
        return new Split.Settings(splitSeed, validation, test);
    }

    Split split(Dataset d) {
        return settings().apply(d.playlists());
    }

    /** The split, refused when its training part holds nothing to learn from; {@code source} names the data. */
    Split trainingSplit(Dataset d, String source) {
        Split s = split(d);
        if (s.train().transitions() == 0) {
            throw new Main.UserError(source + ": nothing to learn from: no playlist of the "
                    + "training split has two songs or more (a transition from one song to the next)");
        }
        return s;
    }
}
