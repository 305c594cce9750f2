package io.nexttrack.data;

import static org.junit.jupiter.api.Assertions.*;

import io.nexttrack.YesData;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlaylistStoreTest {
    @TempDir Path dir;

    /** Everything a Dataset holds, compared: vocabulary, playlists (and their form-independent fingerprint), catalogue. */
    static void assertSameDataset(Dataset expected, Dataset actual) {
        assertEquals(expected.vocabulary().externalIds(), actual.vocabulary().externalIds());
        Playlists e = expected.playlists(), a = actual.playlists();
        assertEquals(e.songCount(), a.songCount());
        assertEquals(e.size(), a.size());
        assertEquals(e.tokens(), a.tokens());
        for (int p = 0; p < e.size(); p++) assertArrayEquals(e.playlist(p), a.playlist(p), "playlist " + p);
        assertArrayEquals(e.offsets(), a.offsets());
        assertArrayEquals(e.songs(), a.songs());
        assertArrayEquals(e.songCounts(), a.songCounts());
        assertEquals(e.fingerprint(), a.fingerprint());
        assertEquals(expected.catalog().size(), actual.catalog().size());
        assertEquals(expected.catalog().hasTitles(), actual.catalog().hasTitles());
        for (int s = 0; s < expected.songCount(); s++) {
            assertEquals(expected.catalog().rawTitle(s), actual.catalog().rawTitle(s));
            assertEquals(expected.catalog().rawArtist(s), actual.catalog().rawArtist(s));
        }
    }

    @Test
    void yesSmallTextAndItsStoreAreTheSameDataset() throws IOException {
        Path yes = YesData.require();
        Dataset text = PlaylistReader.read(yes);
        Path store = dir.resolve("yes.nts");
        PlaylistStore.write(store, w -> PlaylistReader.importInto(yes, PlaylistReader.Format.AUTO, w));
        Dataset mapped = PlaylistReader.read(store);
        assertTrue(mapped.playlists().isMapped());
        assertTrue(mapped.catalog().hasTitles());
        assertSameDataset(text, mapped);
        // The same through the Dataset writer (not the streaming import): byte-identical files.
        Path again = dir.resolve("again.nts");
        PlaylistStore.write(again, text);
        assertArrayEquals(Files.readAllBytes(store), Files.readAllBytes(again));
    }

    @Test
    void plainPlaylistsRoundTripWithTheirVocabularyOrder() throws IOException {
        Path plain = dir.resolve("lists.txt");
        Files.writeString(plain, "# a comment\nb a c\n\nc,c\td\ne\n");
        Dataset text = PlaylistReader.read(plain);
        Path store = dir.resolve("lists.nts");
        PlaylistStore.write(store, w -> PlaylistReader.importInto(plain, PlaylistReader.Format.AUTO, w));
        Dataset mapped = PlaylistReader.read(store);
        assertEquals(List.of("b", "a", "c", "d", "e"), mapped.vocabulary().externalIds());
        assertSameDataset(text, mapped);
        assertFalse(mapped.catalog().hasTitles());
    }

    @Test
    void aDatasetWithEmptyPlaylistsNullTitlesAndNoPlaysRoundTrips() throws IOException {
        Dataset d = new Dataset(new Vocabulary(List.of("x", "ÿ ünïcode", "z")), Playlists.of(3, new int[] {2, 0}, new int[0],
                new int[] {1}, new int[] {1, 1, 2}), new SongCatalog(new String[] {"T", null, ""}, new String[] {null, "Ä", "B"}));
        Path f = dir.resolve("d.nts");
        PlaylistStore.write(f, d);
        assertSameDataset(d, PlaylistStore.read(f));
        Dataset empty = new Dataset(new Vocabulary(List.of()), Playlists.of(0), SongCatalog.empty(0));
        PlaylistStore.write(f, empty);
        assertSameDataset(empty, PlaylistStore.read(f));
        assertEquals(PlaylistStore.SMALLEST, Files.size(f));
    }

    @Test
    void aFolderHoldingAStoreIsReadAsTheStore() throws IOException {
        Dataset d = SyntheticPlaylists.generate(50, 300, 4);
        YesWriter.write(d, dir);
        PlaylistStore.write(dir.resolve(PlaylistStore.FILE_NAME), d);
        Dataset read = PlaylistReader.read(dir);
        assertTrue(read.playlists().isMapped());
        assertSameDataset(d, read);
        assertFalse(PlaylistReader.read(dir.resolve("train.txt")).playlists().isMapped());
        assertFalse(PlaylistReader.read(dir, PlaylistReader.Format.YES).playlists().isMapped(), "a format given: train.txt");
        assertTrue(PlaylistReader.read(dir.resolve(PlaylistStore.FILE_NAME), PlaylistReader.Format.PLAIN).playlists().isMapped(),
                "a store file is a store whatever the format");
    }

    @Test
    void mappedPlaylistsSplitAndSelectLikeHeapOnes() throws IOException {
        Dataset d = SyntheticPlaylists.generate(80, 700, 9);
        Path f = dir.resolve("s.nts");
        PlaylistStore.write(f, d);
        Playlists mapped = PlaylistStore.read(f).playlists();
        Split a = Split.of(d.playlists(), 42), b = Split.of(mapped, 42);
        for (Split.Part part : Split.Part.values()) {
            Playlists heap = a.part(part), view = b.part(part);
            assertTrue(view.isMapped(), "a split of mapped playlists copies nothing");
            assertEquals(heap.fingerprint(), view.fingerprint());
            assertEquals(heap.transitions(), view.transitions());
            assertArrayEquals(heap.songCounts(), view.songCounts());
            assertArrayEquals(heap.songs(), view.songs());
            assertArrayEquals(heap.offsets(), view.offsets());
            int[] pick = {3, 0, 3};
            assertArrayEquals(heap.select(pick).songs(), view.select(pick).songs());
        }
    }

    @Test
    void aDamagedStoreIsRefusedByName() throws IOException {
        Path f = dir.resolve("bad.nts");
        PlaylistStore.write(f, SyntheticPlaylists.generate(40, 200, 2));
        byte[] good = Files.readAllBytes(f);
        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 0x10;
        Files.write(f, flipped);
        var e = assertThrows(DataFormatException.class, () -> PlaylistReader.read(f));
        assertEquals(f + ": corrupted or truncated playlist store (checksum mismatch: the file was damaged or cut short; "
                + "was a copy interrupted?)", e.getMessage());
        for (int cut : new int[] {good.length - 1, good.length / 2, 100, 20, 3}) {
            Files.write(f, java.util.Arrays.copyOf(good, cut));
            var t = assertThrows(DataFormatException.class, () -> PlaylistReader.read(f), "cut to " + cut);
            assertTrue(t.getMessage().startsWith(f + ": corrupted or truncated playlist store ("), t.getMessage());
            assertFalse(t.getMessage().contains("\n"));
        }
    }

    @Test
    void aStoreWhoseChecksumMatchesButWhoseContentIsWrongIsRefused() throws IOException {
        Dataset d = new Dataset(new Vocabulary(List.of("a", "b", "c")), Playlists.of(3, new int[] {0, 1}, new int[] {2, 2, 1}),
                SongCatalog.empty(3));
        Path f = dir.resolve("w.nts");
        PlaylistStore.write(f, d);
        byte[] good = Files.readAllBytes(f);

        byte[] badSong = good.clone();
        ByteBuffer.wrap(badSong).order(ByteOrder.LITTLE_ENDIAN).putInt(16 + 4 * 3, 7); // play 3 is song 7
        assertRefused(f, badSong, "corrupted or truncated playlist store (play 3 is song 7, outside the 3 songs)");

        byte[] badOffset = good.clone();
        long o = PlaylistStore.layout(5);
        ByteBuffer.wrap(badOffset).order(ByteOrder.LITTLE_ENDIAN).putLong((int) o + 8, 6); // playlist 0 ends after the end
        assertRefused(f, badOffset, "corrupted or truncated playlist store (playlist 0 has an impossible end 6)");

        byte[] newer = good.clone();
        newer[8] = 2;
        assertRefused(f, newer, "playlist store format version 2 is not supported (this build reads 1; was it written by a "
                + "newer nexttrack?)");

        byte[] badString = good.clone();
        int x = (int) (o + 8 * 3); // after the 2 + 1 offsets
        badString[x] = 9; // the first external id, "a", said to be 9 bytes long
        assertRefused(f, badString, "corrupted or truncated playlist store (a string table ends before its last entry)");
        badString[x] = 1;
        badString[x + 10] = 0; // the last id, "c", said to be empty: its byte is left over
        assertRefused(f, badString, "corrupted or truncated playlist store (a string table does not end where the next section "
                + "begins)");
        badString[x] = 99;
        assertRefused(f, badString, "corrupted or truncated playlist store (a string of impossible length 99)");
    }

    @Test
    void externalIdsAreUniqueInAStore() throws IOException {
        Path f = dir.resolve("u.nts");
        var e = assertThrows(IllegalArgumentException.class, () -> PlaylistStore.write(f, w -> {
            w.addPlaylist(new int[] {0, 1}, 0, 2);
            w.finish(2, s -> "same", s -> null, s -> null);
        }));
        assertEquals("song id 'same' is listed twice (songs 0 and 1)", e.getMessage());
        assertFalse(Files.exists(f));
        Dataset d = new Dataset(new Vocabulary(List.of("a", "b", "c")), Playlists.of(3, new int[] {0, 1}), SongCatalog.empty(3));
        PlaylistStore.write(f, d);
        Vocabulary v = PlaylistStore.read(f).vocabulary();
        assertEquals(java.util.OptionalInt.of(2), v.lookup("c"));
        assertEquals(java.util.OptionalInt.empty(), v.lookup("d"));
        assertEquals(List.of("a", "b", "c"), v.externalIds());
    }

    private static void assertRefused(Path f, byte[] content, String message) throws IOException {
        byte[] b = content.clone();
        CRC32C crc = new CRC32C();
        crc.update(b, 0, b.length - 8);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(b.length - 8, crc.getValue());
        Files.write(f, b);
        var e = assertThrows(DataFormatException.class, () -> PlaylistStore.read(f));
        assertEquals(f + ": " + message, e.getMessage());
    }

    @Test
    void aFileThatIsNoStoreIsNotReadAsOne() throws IOException {
        Path f = dir.resolve("plain.txt");
        Files.writeString(f, "a b c\n");
        assertFalse(PlaylistStore.looksLikeStore(f));
        var e = assertThrows(DataFormatException.class, () -> PlaylistStore.read(f));
        assertEquals(f + ": not a nexttrack playlist store (it does not start with the store's magic bytes)", e.getMessage());
        var missing = assertThrows(DataFormatException.class, () -> PlaylistStore.read(dir.resolve("none.nts")));
        assertEquals(dir.resolve("none.nts") + ": no such file", missing.getMessage());
    }

    @Test
    void anEventsFileGivenAsPlaylistsIsRefusedWithTheImportCommand() throws IOException {
        Path f = dir.resolve("events.csv");
        Files.writeString(f, "user,track,timestamp\nu1,t1,1700000000\n");
        var e = assertThrows(DataFormatException.class, () -> PlaylistReader.read(f));
        assertEquals(f + ": this is a file of listening events (user, track, timestamp), not playlists: cut it into sessions "
                + "first with: nexttrack data import --data " + f + " --out STORE", e.getMessage());
    }

    // ---- more than 2^31 plays: the offsets are long all the way ----

    @Test
    void offsetsPastTwoToThe31AreCheckedAsLongs() {
        long big = (1L << 31) + 5, bigger = (1L << 32) + 11;
        MemorySegment offsets = MemorySegment.ofArray(new long[] {0, Integer.MAX_VALUE, 2L * Integer.MAX_VALUE, bigger});
        assertNull(PlaylistStore.checkOffsets(offsets, 3, bigger));
        assertEquals("the playlists hold " + bigger + " plays, the trailer says " + (bigger + 1),
                PlaylistStore.checkOffsets(offsets, 3, bigger + 1));
        MemorySegment longOne = MemorySegment.ofArray(new long[] {0, 1, (1L << 31) + 1});
        assertEquals("playlist 1 is longer than 2^31 songs", PlaylistStore.checkOffsets(longOne, 2, (1L << 31) + 1));
        assertEquals(16 + 4 * big + 4, PlaylistStore.layout(big)); // an odd number of plays is padded to 8 bytes
        assertEquals(16 + 4 * bigger + 4, PlaylistStore.layout(bigger));
    }

    /**
     * Mapped playlists whose song ids lie past 2^31 ints (8 GiB) into the songs section, without 8 GiB: a songs
     * segment that begins 12 GiB before a small block of real memory (only that block is ever read, so nothing
     * outside it is touched), and offsets that point into the block.
     */
    @Test
    void mappedPlaylistsIndexSongsPastTwoToThe31() {
        try (Arena arena = Arena.ofConfined()) {
            long before = 3L << 32; // 12 GiB: 3 * 2^30 ints
            MemorySegment block = arena.allocate(64 * 4, 8);
            for (int i = 0; i < 64; i++) block.setAtIndex(Playlists.INT, i, 100 + i);
            MemorySegment ids = MemorySegment.ofAddress(block.address() - before).reinterpret(before + block.byteSize());
            long first = before / 4; // the first int of the block
            assertTrue(first > Integer.MAX_VALUE);
            // Playlists 0 and 1 are 3 GiB of songs that are never read; 2 and 3 lie in the block.
            long[] offsets = {0, Integer.MAX_VALUE, first + 10, first + 13, first + 64};
            MemorySegment starts = arena.allocate(ValueLayout.JAVA_LONG, offsets.length);
            for (int i = 0; i < offsets.length; i++) starts.setAtIndex(Playlists.LONG, i, offsets[i]);
            assertNull(PlaylistStore.checkOffsets(starts, 4, first + 64));
            Playlists p = Playlists.mapped(1000, starts, ids);
            assertEquals(4, p.size());
            assertEquals(first + 64, p.tokens());
            assertEquals(Integer.MAX_VALUE, p.length(0));
            assertEquals(first + 10 - Integer.MAX_VALUE, p.length(1));
            assertEquals(3, p.length(2));
            assertEquals(51, p.length(3));
            assertArrayEquals(new int[] {110, 111, 112}, p.playlist(2));
            assertEquals(113, p.song(3, 0));
            assertEquals(163, p.song(3, 50));
            Playlists view = p.select(new int[] {3, 2});
            assertEquals(3, view.length(1));
            assertEquals(111, view.song(1, 1));
            assertEquals(51 + 3, view.tokens());
            assertArrayEquals(new int[] {113 - 100, 163 - 100}, new int[] {view.song(0, 0) - 100, view.song(0, 50) - 100});
            assertArrayEquals(new int[] {0, 51, 54}, view.offsets(), "a view's heap form holds only its playlists");
            var e = assertThrows(IllegalStateException.class, p::onHeap);
            assertTrue(e.getMessage().contains("too many to copy into one Java array"), e.getMessage());
        }
    }
}
