package io.nexttrack.cli;

import io.nexttrack.data.Dataset;
import io.nexttrack.data.Split;
import io.nexttrack.model.Checkpoint;
import io.nexttrack.model.RunCheckpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    Split split(Dataset d) {
        return Split.of(d.playlists(), splitSeed, validation, test);
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

    /** How the data was split, recorded in resumable checkpoints. */
    Map<String, String> splitHeader() {
        return Map.of(RunCheckpoint.SPLIT_SEED.name(), Long.toString(splitSeed), RunCheckpoint.SPLIT_VALIDATION.name(),
                Double.toString(validation), RunCheckpoint.SPLIT_TEST.name(), Double.toString(test));
    }

    /** Where this split differs from the run's recorded in {@code ck}, e.g. "--split-seed 7 (the run used 42)". */
    List<String> differencesFrom(Checkpoint ck) {
        List<String> d = new ArrayList<>();
        Map<String, String> now = splitHeader();
        String[][] options = {{RunCheckpoint.SPLIT_SEED.name(), "--split-seed"}, {RunCheckpoint.SPLIT_VALIDATION.name(), "--validation"},
                {RunCheckpoint.SPLIT_TEST.name(), "--test"}};
        for (String[] o : options) {
            String run = ck.get(o[0], null);
            if (run != null && !run.equals(now.get(o[0]))) d.add(o[1] + " " + now.get(o[0]) + " (the run used " + run + ")");
        }
        return d;
    }
}
