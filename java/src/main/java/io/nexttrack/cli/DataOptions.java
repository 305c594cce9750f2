package io.nexttrack.cli;

import io.nexttrack.data.Dataset;
import io.nexttrack.data.PlaylistReader;
import io.nexttrack.data.Split;
import io.nexttrack.model.Checkpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    /** The split, refused when its training part holds nothing to learn from. */
    Split trainingSplit(Dataset d) {
        Split s = split(d);
        if (s.train().transitions() == 0) {
            throw new Main.UserError((data == null ? "the data" : data.toString()) + ": nothing to learn from: no playlist of the "
                    + "training split has two songs or more (a transition from one song to the next)");
        }
        return s;
    }

    /** How the data was split, recorded in resumable checkpoints. */
    Map<String, String> splitHeader() {
        return Map.of("split.seed", Long.toString(splitSeed), "split.validation", Double.toString(validation),
                "split.test", Double.toString(test));
    }

    /** Where this split differs from the run's recorded in {@code ck}, e.g. "--split-seed 7 (the run used 42)". */
    List<String> differencesFrom(Checkpoint ck) {
        List<String> d = new ArrayList<>();
        Map<String, String> now = splitHeader();
        String[][] options = {{"split.seed", "--split-seed"}, {"split.validation", "--validation"}, {"split.test", "--test"}};
        for (String[] o : options) {
            String run = ck.get(o[0], null);
            if (run != null && !run.equals(now.get(o[0]))) d.add(o[1] + " " + now.get(o[0]) + " (the run used " + run + ")");
        }
        return d;
    }
}
