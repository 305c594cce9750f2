package io.nexttrack;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Where tests find the Yes.com yes_small data (research-only: never copied into the repository): env
 * NEXTTRACK_YES_DATA, else NEXTTRACK_YES_DATA_DEFAULT (set by surefire to the shared copy). Missing data
 * fails the test when CI=true and skips it otherwise.
 */
public final class YesData {
    private YesData() {}

    /** The yes_small folder (holding train.txt). */
    public static Path require() {
        String dir = firstSet(System.getenv("NEXTTRACK_YES_DATA"), System.getenv("NEXTTRACK_YES_DATA_DEFAULT"));
        if (dir != null && Files.isRegularFile(Path.of(dir).resolve("train.txt"))) return Path.of(dir);
        String message = "Yes.com data not found" + (dir == null ? "" : " at " + dir)
                + ": set NEXTTRACK_YES_DATA to the yes_small folder";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) Assertions.fail(message);
        Assumptions.abort(message);
        throw new AssertionError("unreachable");
    }

    private static String firstSet(String... values) {
        for (String v : values) if (v != null && !v.isBlank()) return v;
        return null;
    }
}
