package io.nexttrack;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Where tests find the real Yes.com playlists (research-only data, read in place, never committed):
 * env NEXTTRACK_YES_DATA, else NEXTTRACK_YES_DATA_DEFAULT (set by the build to ../shared/data/yes/yes_small).
 * Missing data fails the test under CI (CI=true) and skips it elsewhere.
 */
public final class YesData {
    private YesData() {}

    public static Path require() {
        String dir = System.getenv("NEXTTRACK_YES_DATA");
        if (dir == null || dir.isBlank()) dir = System.getenv("NEXTTRACK_YES_DATA_DEFAULT");
        Path p = dir == null ? null : Path.of(dir);
        boolean present = p != null && Files.isRegularFile(p.resolve("train.txt"));
        String message = "Yes playlist data not found at " + p + " (set NEXTTRACK_YES_DATA; see data/README.md)";
        if (!present && "true".equals(System.getenv("CI"))) throw new AssertionError(message);
        Assumptions.assumeTrue(present, message);
        return p;
    }
}
