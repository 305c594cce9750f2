package io.nexttrack.data;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListeningEventsTest {
    @TempDir Path dir;

    static final long GAP = 30 * 60_000;

    record Imported(ListeningEvents.Summary summary, Dataset data) {}

    private Imported importText(String text, long gap, boolean dropRepeats) throws IOException {
        Path in = dir.resolve("events.csv"), out = dir.resolve("events.nts");
        Files.writeString(in, text);
        ListeningEvents.Summary[] s = new ListeningEvents.Summary[1];
        PlaylistStore.write(out, w -> s[0] = ListeningEvents.importInto(in, gap, dropRepeats, w));
        return new Imported(s[0], PlaylistStore.read(out));
    }

    /** The playlists as lists of external ids. */
    private static List<List<String>> lists(Dataset d) {
        List<List<String>> out = new ArrayList<>();
        for (int p = 0; p < d.playlists().size(); p++) {
            out.add(Arrays.stream(d.playlists().playlist(p)).mapToObj(d.vocabulary()::externalId).toList());
        }
        return out;
    }

    @Test
    void unsortedEventsOfSeveralUsersBecomeTimeOrderedSessions() throws IOException {
        String csv = """
                timestamp,track,extra,user
                2024-05-01T10:10:00Z,b,x,ann
                1714558200,a,x,ann
                2024-05-01T10:00:00Z,z,x,bob
                1714558200000,c,x,bob
                2024-05-01T12:20:00+02:00,c,x,ann
                2024-05-01T11:00:00Z,d,x,ann
                2024-05-01 10:40:00,e,x,ann
                """; // 1714558200 is 2024-05-01T10:10:00Z; 12:20+02:00 is 10:20Z
        Imported r = importText(csv, GAP, false);
        // ann: a@10:10 b@10:10 (equal times keep file order: b was read first) c@10:20 e@10:40 | d@11:00 (20 min later: same)
        assertEquals(List.of(List.of("b", "a", "c", "e", "d"), List.of("z", "c")), lists(r.data()));
        assertEquals(List.of("b", "a", "c", "e", "d", "z"), r.data().vocabulary().externalIds(), "numbered as first written");
        assertEquals(new ListeningEvents.Summary(7, 2, 6, 2, 0, 0, 6, 7), r.summary());
    }

    @Test
    void theGapDecidesAndShortSessionsAreCounted() throws IOException {
        String tsv = "user\tsong\tts\n"
                + "u\ta\t0\n" + "u\tb\t1800\n" // exactly 30 minutes later: the same session
                + "u\tc\t3601\n" // 30 min 1 s later: a new session, of one song: dropped
                + "v\ta\t100\n" + "v\ta\t160\n" + "v\tb\t200\n";
        Imported r = importText(tsv, GAP, false);
        assertEquals(List.of(List.of("a", "b"), List.of("a", "a", "b")), lists(r.data()));
        assertEquals(1, r.summary().droppedShort());
        Imported d = importText(tsv, GAP, true);
        assertEquals(List.of(List.of("a", "b"), List.of("a", "b")), lists(d.data()));
        assertEquals(1, d.summary().droppedRepeats());
        Imported tight = importText(tsv, 60_000, false);
        assertEquals(List.of(List.of("a", "a", "b")), lists(tight.data()));
        assertEquals(3, tight.summary().droppedShort());
    }

    @Test
    void quotedCsvFieldsBomAndCrlf() throws IOException {
        String csv = "\uFEFF\"User\",\"Track\",\"Timestamp\"\r\n"
                + "\"Smith, J\",\"Song \"\"One\"\"\",\"2024-01-01T00:00:00.5Z\"\r\n"
                + " Smith, J ,Two,2024-01-01T00:01:00.000Z\r\n";
        Path in = dir.resolve("q.csv");
        Files.writeString(in, csv);
        assertTrue(ListeningEvents.looksLikeEvents(in));
        // Unquoted, "Smith, J" is two fields: user "Smith", track "J"; quoted it is one.
        var e = assertThrows(DataFormatException.class, () -> importText(csv, GAP, false));
        assertEquals(dir.resolve("events.csv") + ":3:12: timestamp 'Two' is neither ISO-8601 (2024-05-01T12:34:56Z) nor a number "
                + "of seconds or milliseconds since 1970", e.getMessage());
        Imported r = importText(csv.replace(" Smith, J ,", "\"Smith, J\","), GAP, false);
        assertEquals(List.of(List.of("Song \"One\"", "Two")), lists(r.data()));
    }

    @Test
    void errorsNameTheFileLineAndColumn() throws IOException {
        Path f = dir.resolve("events.csv");
        assertError("user,track,timestamp\nu,t,1700000000\nu,t,yesterday\n", f + ":3:5: timestamp 'yesterday' is neither "
                + "ISO-8601 (2024-05-01T12:34:56Z) nor a number of seconds or milliseconds since 1970");
        assertError("user,track,timestamp\nu,t,2024-02-30T10:00:00Z\n", f + ":2:5: timestamp '2024-02-30T10:00:00Z' is neither "
                + "ISO-8601 (2024-05-01T12:34:56Z) nor a number of seconds or milliseconds since 1970");
        assertError("user,track,timestamp\nu,t\n", f + ":2:4: this line has 2 fields, but the header puts the timestamp in field 3");
        assertError("timestamp,user,track\n5,u\n", f + ":2:4: this line has 2 fields, but the header puts the track in field 3");
        assertError("user,track,timestamp\nu,,5\n", f + ":2:3: empty track");
        assertError("user,item,when\n", f + ":1:1: the header line names no timestamp column: listening events need a header "
                + "naming user, track and timestamp columns");
        assertError("user,track,song,time\n", f + ":1:12: two columns name the track (fields 2 and 3)");
        assertError("user,track,timestamp\n", f + ": no events after the header line");
        assertError("user,track,timestamp\nu,a,1\nv,b,2\n", f + ": no listening session of two tracks or more in 2 events: "
                + "is the session gap (30m) too short?");
        Files.write(f, "user,track,timestamp\nu,a\u00ff,1\n".getBytes(StandardCharsets.ISO_8859_1));
        var e = assertThrows(DataFormatException.class, () -> {
            PlaylistStore.write(dir.resolve("x.nts"), w -> ListeningEvents.importInto(f, GAP, false, w));
        });
        assertEquals(f + ":2:3: not valid UTF-8 (byte 0xFF) in the track", e.getMessage());
        assertFalse(Files.exists(dir.resolve("x.nts")), "a failed import leaves no store");
    }

    private void assertError(String text, String message) {
        var e = assertThrows(DataFormatException.class, () -> importText(text, GAP, false));
        assertEquals(message, e.getMessage());
    }

    @Test
    void timestampsInEveryAcceptedForm() {
        long t = 1_714_558_200_000L; // 2024-05-01T10:10:00Z
        for (String s : new String[] {"1714558200", "1714558200000", "2024-05-01T10:10:00Z", "2024-05-01 10:10:00",
                "2024-05-01T10:10", "2024-05-01T12:10:00+02:00", "2024-05-01T12:10:00+0200", "2024-05-01T05:10:00-05",
                "2024-05-01t10:10:00z", "1714558200.000"}) {
            assertEquals(t, parse(s), s);
        }
        assertEquals(t + 250, parse("1714558200.25"));
        assertEquals(t + 123, parse("2024-05-01T10:10:00.123456Z"));
        assertEquals(99_999_999_999_000L, parse("99999999999"), "below 10^11: seconds");
        assertEquals(100_000_000_000L, parse("100000000000"), "from 10^11: milliseconds");
        assertEquals(0, parse("1970-01-01T00:00:00Z"));
        assertEquals(-86_400_000L, parse("1969-12-31T00:00:00Z"));
        for (String s : new String[] {"", "-5", "12a", "1.", "2024-05-01", "2024-05-01T25:00:00Z", "2024-13-01T00:00:00Z",
                "2024-05-01T10:10:00+", "2024-05-01T10:10:00Zx", "2024-05-01T10:10:61Z", "12345678901234567890"}) {
            assertEquals(Long.MIN_VALUE, parse(s), s);
        }
    }

    private static long parse(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        long v = ListeningEvents.epoch(b, 0, b.length);
        return v != Long.MIN_VALUE ? v : ListeningEvents.iso(b, 0, b.length);
    }

    @Test
    void namesAreNumberedInTheOrderTheyFirstAppear() {
        ListeningEvents.Names names = new ListeningEvents.Names();
        java.util.Map<String, Integer> expected = new java.util.HashMap<>();
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < 200_000; i++) {
            String name = "n" + r.nextInt(50_000) + (r.nextInt(10) == 0 ? "ü" : "");
            byte[] b = ("xx" + name + "yy").getBytes(StandardCharsets.UTF_8);
            int id = names.find(b, 2, b.length - 2);
            if (id < 0) id = names.add(b, 2, b.length - 2);
            assertEquals(expected.computeIfAbsent(name, k -> expected.size()), id, name);
        }
        assertEquals(expected.size(), names.size());
        expected.forEach((name, id) -> assertEquals(name, names.name(id)));
        byte[] empty = {};
        assertEquals(-1, names.find(empty, 0, 0));
    }

    @Test
    void theSortIsStableAndAgreesWithTheLibrarySort() {
        SplittableRandom r = new SplittableRandom(3);
        for (int n : new int[] {0, 1, 2, 15, 16, 17, 100, 5000}) {
            long[] t = new long[n];
            for (int i = 0; i < n; i++) t[i] = r.nextInt(Math.max(1, n / 4));
            int[] order = new int[n];
            for (int i = 0; i < n; i++) order[i] = i;
            ListeningEvents.sortByTime(t, order, new int[n], 0, n);
            Integer[] expected = new Integer[n];
            for (int i = 0; i < n; i++) expected[i] = i;
            Arrays.sort(expected, (a, b) -> Long.compare(t[a], t[b])); // stable
            assertArrayEquals(Arrays.stream(expected).mapToInt(Integer::intValue).toArray(), order, "n = " + n);
        }
    }
}
