package io.nexttrack.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexttrack.data.Dataset;
import io.nexttrack.data.ListeningEvents;
import io.nexttrack.data.PlaylistReader;
import io.nexttrack.data.PlaylistStore;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Spark's sessions are {@code nexttrack data import}'s: the same store, byte for byte, from the same events file. */
class SessionizeTest {
    static SparkSession spark;
    @TempDir static Path dir;
    static Path events, isoEvents;

    @BeforeAll
    static void setUp() throws IOException {
        spark = LocalSpark.session();
        events = dir.resolve("events.csv");
        SyntheticEvents.write(events, 15_000, 60, 400, 7, false);
        isoEvents = dir.resolve("events-iso.tsv");
        SyntheticEvents.write(isoEvents, 5_000, 20, 100, 8, true);
    }

    /** The events file read by Spark in several partitions (64 KiB each), so that input order crosses partitions. */
    static org.apache.spark.sql.Dataset<Row> read(Path file) {
        spark.conf().set("spark.sql.files.maxPartitionBytes", "65536");
        spark.conf().set("spark.sql.files.openCostInBytes", "0");
        return spark.read().option("header", true).option("escape", "\"").csv(file.toString());
    }

    static Path coreStore(Path file, Duration gap, boolean dropRepeats, String name) throws IOException {
        Path out = dir.resolve(name);
        PlaylistStore.write(out, w -> ListeningEvents.importInto(file, gap.toMillis(), dropRepeats, w));
        return out;
    }

    @Test
    void theStoreIsByteForByteTheImportsStore() throws IOException {
        record Rule(Duration gap, boolean dropRepeats) {}
        for (Rule rule : List.of(new Rule(Duration.ofMinutes(30), false), new Rule(Duration.ofMinutes(4), true), new Rule(Duration.ZERO, false))) {
            Duration gap = rule.gap();
            boolean dropRepeats = rule.dropRepeats();
            {
                String name = "g" + gap.toSeconds() + (dropRepeats ? "-d" : "");
                Path expected = coreStore(events, gap, dropRepeats, name + "-core.nts");
                var input = read(events);
                assertTrue(input.rdd().getNumPartitions() > 3, "the input should span several partitions");
                Path actual = dir.resolve(name + "-spark.nts");
                Sessionize.Summary s = Sessionize.writeStore(Sessionize.sessions(input, gap, dropRepeats), actual);
                assertArrayEquals(Files.readAllBytes(expected), Files.readAllBytes(actual), name);
                assertEquals(PlaylistStore.read(expected).playlists().size(), s.sessions());
            }
        }
    }

    @Test
    void isoTimestampsToo() throws IOException {
        Path expected = coreStore(isoEvents, Duration.ofMinutes(30), false, "iso-core.nts");
        Path actual = dir.resolve("iso-spark.nts");
        Sessionize.writeStore(Sessionize.sessions(read(isoEvents), Duration.ofMinutes(30), false), actual);
        assertArrayEquals(Files.readAllBytes(expected), Files.readAllBytes(actual));
    }

    @Test
    void plainPlaylistFilesHoldTheSameSessions() throws IOException {
        Path expectedStore = coreStore(events, Duration.ofMinutes(30), true, "plain-core.nts");
        Path out = dir.resolve("plain");
        Sessionize.writePlaylists(Sessionize.sessions(read(events), Duration.ofMinutes(30), true), out.toString());
        List<Path> parts;
        try (Stream<Path> s = Files.list(out)) {
            parts = s.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList();
        }
        assertTrue(parts.size() > 1, "partitioned output: " + parts);
        Path all = dir.resolve("plain.txt");
        try (OutputStream o = Files.newOutputStream(all)) {
            for (Path p : parts) Files.copy(p, o);
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(), s.filter(p -> p.getFileName().toString().contains(".tmp-")).toList(), "no temporary folder left");
        }
        assertEquals(named(PlaylistStore.read(expectedStore)), named(PlaylistReader.read(all, PlaylistReader.Format.PLAIN)));
    }

    /** Playlists as lists of external ids. */
    static List<List<String>> named(Dataset d) {
        List<List<String>> out = new ArrayList<>();
        for (int p = 0; p < d.playlists().size(); p++) {
            List<String> names = new ArrayList<>();
            for (int s : d.playlists().playlist(p)) names.add(d.vocabulary().externalId(s));
            out.add(names);
        }
        return out;
    }
}
