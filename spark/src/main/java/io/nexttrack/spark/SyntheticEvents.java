package io.nexttrack.spark;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.SplittableRandom;

/**
 * A CSV file of made-up listening events ({@code user,track,timestamp}) for the example, the tests and the benchmark:
 * users play tracks (popularity skewed: track {@code floor(V * u^3)}), usually 2 to 6 minutes apart, sometimes after a
 * pause of hours (a new session), sometimes at the same second as the play before (ties), sometimes the same track
 * again (repeats). Users' plays interleave as in a real log, and one play in 50 is written late (out of time order),
 * so a reader must sort. Timestamps: seconds since 1970, or ISO-8601 with {@code iso}. The same seed gives the same file.
 */
public final class SyntheticEvents {
    private SyntheticEvents() {}

    public static void write(Path file, long events, int users, int tracks, long seed, boolean iso) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        long[] clock = new long[users];
        int[] last = new int[users];
        for (int u = 0; u < users; u++) {
            clock[u] = 1_700_000_000L + r.nextLong(86_400L * 30);
            last[u] = -1;
        }
        String late = null;
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("user_id,track_id,timestamp\n");
            for (long i = 0; i < events; i++) {
                int u = r.nextInt(users);
                double kind = r.nextDouble();
                long step = kind < 0.05 ? 0 : kind < 0.12 ? 1800 + r.nextLong(86_400) : 120 + r.nextLong(240);
                if (kind >= 0.05 && kind < 0.06) step = 1800; // exactly the default gap: still the same session
                clock[u] += step;
                double x = r.nextDouble();
                int track = last[u] >= 0 && r.nextDouble() < 0.08 ? last[u] : (int) (tracks * x * x * x);
                last[u] = track;
                String time = iso ? Instant.ofEpochSecond(clock[u]).toString() : Long.toString(clock[u]);
                String line = "u" + u + ",t" + track + "," + time + "\n";
                if (late == null && r.nextInt(50) == 0) {
                    late = line; // written after the next play: out of order in the file
                    continue;
                }
                w.write(line);
                if (late != null) {
                    w.write(late);
                    late = null;
                }
            }
            if (late != null) w.write(late);
        }
    }
}
