package io.nexttrack.data;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The readers under random input: valid playlists round-trip in both formats (whatever the separators, line
 * endings, byte-order mark and read buffer); random bytes and random damage to valid files end in a
 * {@link DataFormatException} naming the file with a short message, or in a dataset that is what the bytes
 * say; never another exception or a hang.
 */
class PlaylistReaderPropertiesTest {
    private static final Path FILE = Path.of("playlists.txt");
    private static Path dir;

    @BeforeContainer
    static void makeFolder() throws IOException {
        dir = Files.createTempDirectory("nexttrack-reader-properties");
    }

    @AfterContainer
    static void removeFolder() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) Files.delete(p);
        }
        Files.delete(dir);
    }

    /** Parses in memory with the given read buffer (4 bytes upwards: tokens and BOMs straddle refills). */
    static Dataset parse(byte[] bytes, PlaylistReader.Format format, int buffer) throws IOException {
        return PlaylistReader.read(FILE, new ByteArrayInputStream(bytes), format, "", buffer);
    }

    /** The dataset, or the error message: what a reader makes of the bytes. */
    static String outcome(byte[] bytes, PlaylistReader.Format format, int buffer) throws IOException {
        try {
            Dataset d = parse(bytes, format, buffer);
            return d.vocabulary().externalIds() + " " + java.util.Arrays.toString(d.playlists().offsets())
                    + java.util.Arrays.toString(d.playlists().songs());
        } catch (DataFormatException e) {
            return "error: " + e.getMessage();
        }
    }

    /** Random playlists over songs with arbitrary names (letters of any script, digits, punctuation). */
    @Provide
    Arbitrary<List<List<String>>> playlists() {
        Arbitrary<String> song = Arbitraries.strings().withCharRange('!', '~').withCharRange('\u00C0', '\u024F')
                .withCharRange('\u4E00', '\u4E20').ofMinLength(1).ofMaxLength(8)
                .filter(t -> t.indexOf(',') < 0 && !t.startsWith("#"));
        return song.list().ofMinSize(1).ofMaxSize(8).list().ofMinSize(1).ofMaxSize(12);
    }

    @Property(tries = 150)
    void plainPlaylistsRoundTrip(@ForAll("playlists") List<List<String>> lists, @ForAll @IntRange(min = 0, max = 3) int separator,
                                 @ForAll boolean crlf, @ForAll boolean bom, @ForAll @IntRange(min = 4, max = 64) int buffer)
            throws IOException {
        String sep = new String[] {" ", ",", "\t", " , "}[separator], nl = crlf ? "\r\n" : "\n";
        StringBuilder text = new StringBuilder(bom ? "\uFEFF" : "");
        for (List<String> l : lists) text.append(String.join(sep, l)).append(nl);
        Dataset d = parse(text.toString().getBytes(StandardCharsets.UTF_8), PlaylistReader.Format.PLAIN, buffer);
        assertEquals(lists.size(), d.playlists().size());
        for (int p = 0; p < lists.size(); p++) {
            List<String> back = new ArrayList<>();
            for (int s : d.playlists().playlist(p)) back.add(d.vocabulary().externalId(s));
            assertEquals(lists.get(p), back);
        }
    }

    @Property(tries = 60)
    void yesDataRoundTripsThroughTheWriter(@ForAll @IntRange(min = 1, max = 40) int songs,
                                           @ForAll @IntRange(min = 1, max = 60) int playlists, @ForAll long seed,
                                           @ForAll @IntRange(min = 4, max = 64) int buffer) throws IOException {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        int[][] lists = new int[playlists][];
        for (int p = 0; p < playlists; p++) lists[p] = r.ints(1 + r.nextInt(9), 0, songs).toArray();
        List<String> ids = java.util.stream.IntStream.range(0, songs).mapToObj(s -> "id" + s).toList();
        Dataset d = new Dataset(new Vocabulary(ids), Playlists.of(songs, lists), SongCatalog.empty(songs));
        Path f = dir.resolve("train.txt");
        YesWriter.writeTrain(d.vocabulary(), d.playlists(), f);
        byte[] bytes = Files.readAllBytes(f);
        for (Dataset back : new Dataset[] {PlaylistReader.read(f), parse(bytes, PlaylistReader.Format.YES, buffer)}) {
            assertEquals(d.vocabulary().externalIds(), back.vocabulary().externalIds());
            assertArrayEquals(d.playlists().offsets(), back.playlists().offsets());
            assertArrayEquals(d.playlists().songs(), back.playlists().songs());
        }
    }

    @Property(tries = 300)
    void randomBytesEndInALocatedErrorOrWhatTheyEncode(@ForAll @Size(max = 300) byte[] bytes,
                                                        @ForAll PlaylistReader.Format format) throws IOException {
        if (format == PlaylistReader.Format.AUTO) format = PlaylistReader.Format.PLAIN; // detection needs a file: see below
        String big = outcome(bytes, format, 1 << 16);
        assertEquals(big, outcome(bytes, format, 5), "the read buffer changes nothing");
        if (big.startsWith("error: ")) {
            assertTrue(big.startsWith("error: " + FILE), big);
            assertTrue(big.length() < 400 && big.chars().noneMatch(c -> c < 0x20), "short and printable: " + big);
        } else {
            Dataset d = parse(bytes, format, 1 << 16);
            for (String id : d.vocabulary().externalIds()) {
                assertTrue(id.chars().noneMatch(c -> c < 0x20 || c == ' ' || c == ',' || c == 0x7F || c == 0xFFFD), "clean token " + id);
            }
            for (int s : d.playlists().songs()) assertTrue(s >= 0 && s < d.songCount());
        }
    }

    /** Files with random bytes through the public entry (format detection, streaming, errors naming the path). */
    @Property(tries = 100)
    void randomFilesEndInAnErrorNamingTheFileOrADataset(@ForAll @Size(max = 200) byte[] bytes, @ForAll boolean namedTrain)
            throws IOException {
        Path f = Files.write(dir.resolve(namedTrain ? "train.txt" : "random.txt"), bytes);
        try {
            Dataset d = PlaylistReader.read(f);
            assertTrue(d.songCount() > 0 && d.playlists().size() > 0);
        } catch (DataFormatException e) {
            assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
            assertTrue(e.getMessage().length() < 400, e.getMessage());
        }
    }

    /** A valid Yes file with one byte replaced, inserted or deleted: an error, or data that still obeys the format. */
    @Property(tries = 300)
    void damagedYesFilesAreRefusedOrStillConsistent(@ForAll @IntRange(min = 0, max = 10_000) int where, @ForAll byte value,
                                                    @ForAll @IntRange(min = 0, max = 2) int how) throws IOException {
        byte[] good = "11 22 33 44 \n2 2 1 1 \n0 1 \n1 0 2 3 \n".getBytes(StandardCharsets.US_ASCII);
        int at = where % good.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream(); // how: 0 replace, 1 insert, 2 delete the byte at `at`
        out.write(good, 0, at);
        if (how != 2) out.write(value);
        int rest = how == 1 ? at : at + 1;
        out.write(good, rest, good.length - rest);
        byte[] bad = out.toByteArray();
        try {
            Dataset d = parse(bad, PlaylistReader.Format.YES, 7);
            int[] counts = d.playlists().songCounts();
            assertEquals(d.songCount(), counts.length);
        } catch (DataFormatException e) {
            assertTrue(e.getMessage().startsWith(FILE + ":"), e.getMessage());
            assertTrue(e.line() >= 0 && e.column() >= 0);
        }
    }
}
