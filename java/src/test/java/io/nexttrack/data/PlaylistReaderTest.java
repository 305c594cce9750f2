package io.nexttrack.data;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlaylistReaderTest {
    @TempDir Path dir;

    private Path write(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text, StandardCharsets.UTF_8);
        return f;
    }

    private DataFormatException bad(String text) throws IOException {
        Path f = write("train.txt", text);
        return assertThrows(DataFormatException.class, () -> PlaylistReader.read(f, PlaylistReader.Format.YES));
    }

    @Test
    void readsYesFormatWithTrailingSpaces() throws IOException {
        Path f = write("train.txt", "100 200 300 \n2 2 1 \n0 1 \n1 0 2 \n");
        Dataset d = PlaylistReader.read(f);
        assertEquals(3, d.songCount());
        assertEquals("200", d.vocabulary().externalId(1));
        assertEquals(2, d.playlists().size());
        assertArrayEquals(new int[] {1, 0, 2}, d.playlists().playlist(1));
        assertEquals(3, d.playlists().transitions());
    }

    @Test
    void acceptsCrlfAndTheSameResult() throws IOException {
        Dataset lf = PlaylistReader.read(write("a.txt", "7 8 \n1 2 \n0 1 1 \n"), PlaylistReader.Format.YES);
        Dataset crlf = PlaylistReader.read(write("b.txt", "7 8 \r\n1 2 \r\n0 1 1 \r\n"), PlaylistReader.Format.YES);
        assertArrayEquals(lf.playlists().songs(), crlf.playlists().songs());
        assertArrayEquals(lf.playlists().offsets(), crlf.playlists().offsets());
    }

    @Test
    void directoryReadsTrainAndTitles() throws IOException {
        write("train.txt", "11 22 \n1 1 \n0 1 \n");
        write("song_hash.txt", "0\tHello (w\\/ Guest)\tSomeone\n1\tBye\tOther\n");
        Dataset d = PlaylistReader.read(dir);
        assertEquals("Hello (w/ Guest)", d.catalog().title(0));
        assertEquals("Other", d.catalog().artist(1));
    }

    @Test
    void plainFormatBuildsVocabularyInFirstSeenOrder() throws IOException {
        Path f = write("lists.txt", "# my playlists\nsongA, songB\tsongC\r\n\nsongC songA\n");
        Dataset d = PlaylistReader.read(f);
        assertEquals(3, d.songCount());
        assertEquals("songC", d.vocabulary().externalId(2));
        assertArrayEquals(new int[] {2, 0}, d.playlists().playlist(1));
        assertEquals(0, d.vocabulary().lookup("songA").getAsInt());
    }

    @Test
    void nonIntegerTokenIsLocated() throws IOException {
        DataFormatException e = bad("1 2 3 \n1 1 1 \n0 1 \n2 x1 \n");
        assertEquals(4, e.line());
        assertEquals(3, e.column());
        assertTrue(e.getMessage().contains("train.txt:4:3"), e.getMessage());
        assertTrue(e.getMessage().contains("'x1'"), e.getMessage());
    }

    @Test
    void idOutsideVocabularyIsLocated() throws IOException {
        DataFormatException e = bad("1 2 \n1 1 \n0 1 \n1 5 \n");
        assertEquals(4, e.line());
        assertEquals(3, e.column());
        assertTrue(e.getMessage().contains("outside the vocabulary"), e.getMessage());
    }

    @Test
    void countLineThatDisagreesNamesTheSong() throws IOException {
        DataFormatException e = bad("1 2 3 \n1 1 2 \n0 1 2 \n");
        assertEquals(2, e.line());
        assertEquals(5, e.column());
        assertTrue(e.getMessage().contains("song 2"), e.getMessage());
    }

    @Test
    void countLineOfWrongLength() throws IOException {
        assertEquals(2, bad("1 2 3 \n1 1 \n0 1 \n").line());
        assertEquals(2, bad("1 2 \n1 1 1 \n0 1 \n").line());
    }

    @Test
    void emptyAndMissingFiles() throws IOException {
        Path empty = write("empty.txt", "  \n\n");
        assertTrue(assertThrows(DataFormatException.class, () -> PlaylistReader.read(empty)).getMessage().contains("empty"));
        Path missing = dir.resolve("nope.txt");
        DataFormatException e = assertThrows(DataFormatException.class, () -> PlaylistReader.read(missing));
        assertTrue(e.getMessage().contains("nope.txt") && e.getMessage().contains("no such file"), e.getMessage());
        DataFormatException noTrain = assertThrows(DataFormatException.class, () -> PlaylistReader.read(dir));
        assertTrue(noTrain.getMessage().contains("train.txt"));
    }

    @Test
    void aByteOrderMarkIsNotPartOfTheFirstSong() throws IOException {
        Path plain = write("bom.txt", "\uFEFFa b\nb c\n");
        Dataset p = PlaylistReader.read(plain);
        assertEquals(java.util.List.of("a", "b", "c"), p.vocabulary().externalIds());
        Path yes = write("train.txt", "\uFEFF17 18 \n1 1 \n0 1 \n");
        assertEquals("17", PlaylistReader.read(yes).vocabulary().externalId(0));
        write("song_hash.txt", "\uFEFF0\tFirst\tArtist\n1\tSecond\tOther\n");
        assertEquals("First", PlaylistReader.read(dir).catalog().title(0));
    }

    @Test
    void aFileNamedTrainTxtIsYesDataEvenWithABrokenHeader() throws IOException {
        Path f = write("train.txt", "10 20 30 \n1 1 \n0 1 \n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> PlaylistReader.read(f));
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("--format plain"), e.getMessage());
        assertEquals(3, PlaylistReader.read(f, PlaylistReader.Format.PLAIN).playlists().size(), "--format plain still reads it");
    }

    @Test
    void textThatIsNotUtf8OrHoldsControlCharactersIsLocated() throws IOException {
        Path f = dir.resolve("latin1.txt");
        Files.write(f, new byte[] {'a', ' ', 'c', 'a', 'f', (byte) 0xE9, '\n'});
        DataFormatException e = assertThrows(DataFormatException.class, () -> PlaylistReader.read(f));
        assertEquals(1, e.line());
        assertEquals(6, e.column());
        assertTrue(e.getMessage().contains("UTF-8") && e.getMessage().contains("\\xE9"), e.getMessage());
        Files.write(f, new byte[] {'a', ' ', 'b', 0, 'c', '\n'});
        e = assertThrows(DataFormatException.class, () -> PlaylistReader.read(f));
        assertTrue(e.getMessage().contains("control character") && e.getMessage().contains("b\\x00c"), e.getMessage());
    }

    @Test
    void overlongTokensAreQuotedShortly() throws IOException {
        Path f = write("long.txt", "a " + "z".repeat(PlaylistReader.MAX_TOKEN + 1) + "\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> PlaylistReader.read(f));
        assertEquals(3, e.column());
        assertTrue(e.getMessage().contains("longer than " + PlaylistReader.MAX_TOKEN) && e.getMessage().length() < 200, e.getMessage());
        assertEquals(2, PlaylistReader.read(write("max.txt", "a " + "z".repeat(PlaylistReader.MAX_TOKEN) + "\n")).songCount());
    }

    @Test
    void onlyCommentsIsNotData() throws IOException {
        Path f = write("comments.txt", "# nothing here\n  # or here\n");
        assertTrue(assertThrows(DataFormatException.class, () -> PlaylistReader.read(f)).getMessage().contains("no playlists"));
    }

    /**
     * Input larger than any Java array is streamed, not read whole (readAllBytes failed with an out-of-memory error
     * past 2 GiB): a comment line of 2.2 GB before a playlist, generated on the fly (no disk, no page cache).
     */
    @Test
    void inputLargerThanAnArrayIsStreamed() throws IOException {
        long gap = (1L << 31) + (200L << 20);
        byte[] tail = "\na b c\n".getBytes(StandardCharsets.US_ASCII);
        java.io.InputStream huge = new java.io.InputStream() {
            long at;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                long end = 1 + gap + tail.length;
                if (at >= end) return -1;
                int n = (int) Math.min(len, end - at);
                java.util.Arrays.fill(b, off, off + n, (byte) 'x');
                if (at == 0) b[off] = '#';
                for (long p = Math.max(at, gap + 1); p < at + n; p++) b[off + (int) (p - at)] = tail[(int) (p - gap - 1)];
                at += n;
                return n;
            }
        };
        Dataset d = PlaylistReader.read(dir.resolve("huge.txt"), huge, PlaylistReader.Format.PLAIN, "", PlaylistReader.BUFFER);
        assertEquals(java.util.List.of("a", "b", "c"), d.vocabulary().externalIds());
        assertEquals(2, d.playlists().transitions());
    }

    @Test
    void realYesSmallHasTheDocumentedCounts() throws IOException {
        Dataset d = PlaylistReader.read(io.nexttrack.YesData.require());
        assertEquals(3_168, d.songCount());
        assertEquals(41_480, d.playlists().size());
        assertEquals(134_431, d.playlists().transitions());
        assertEquals(175_911, d.playlists().tokens());
        assertTrue(d.catalog().hasTitles());
        assertEquals("Gucci Mane", d.catalog().artist(0));
    }
}
