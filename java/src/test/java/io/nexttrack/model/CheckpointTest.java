package io.nexttrack.model;

import static org.junit.jupiter.api.Assertions.*;

import io.nexttrack.data.SongCatalog;
import io.nexttrack.data.Vocabulary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
    @TempDir Path dir;

    private static TrainedModel model() {
        ModelConfig c = new ModelConfig(5, 3, 4, 2, 0.1f, false, 0f);
        return new TrainedModel(new Parameters(c).initialise(7), new Vocabulary(List.of("a", "b", "c", "d", "e")),
                new SongCatalog(new String[] {"A", null, "C", "D", "É"}, new String[] {"x", "y", null, "w", "v"}));
    }

    @Test
    void roundTripIsBitExact() throws IOException {
        TrainedModel m = model();
        Path f = dir.resolve("m.nt");
        m.save(f);
        TrainedModel back = TrainedModel.load(f);
        assertEquals(m.config(), back.config());
        assertArrayEquals(m.parameters().values(), back.parameters().values()); // exact float equality
        assertEquals(m.vocabulary().externalIds(), back.vocabulary().externalIds());
        assertEquals("É", back.catalog().title(4));
        assertEquals("", back.catalog().title(1));
        assertEquals("w", back.catalog().artist(3));
    }

    @Test
    void writesAtomicallyWithoutLeftovers() throws IOException {
        Path f = dir.resolve("sub/m.nt");
        model().save(f);
        model().save(f); // overwrite
        try (var files = Files.list(f.getParent())) {
            assertEquals(List.of(f), files.toList());
        }
    }

    @Test
    void modelFilesHaveTheUsualPermissions() throws IOException {
        Path f = dir.resolve("m.nt"), plain = Files.createFile(dir.resolve("plain"));
        model().save(f);
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(f), "0666 minus the umask, not 0600");
    }

    @Test
    void aKilledWriteLeavesNothingThatTheNextWriteDoesNotClean() throws IOException {
        Path f = dir.resolve("m.nt");
        Path leftover = Files.write(dir.resolve(".m.nt.5eed.tmp"), new byte[1000]); // what kill -9 during a write leaves
        model().save(f);
        assertFalse(Files.exists(leftover));
    }

    @Test
    void newerFormatVersionsAreNamedAsSuch() throws IOException {
        Path f = dir.resolve("m.nt");
        Checkpoint ck = model().encode();
        ck.write(f);
        byte[] b = Files.readAllBytes(f);
        b[Checkpoint.MAGIC.length + 3] = 2; // version 2, with a checksum that matches
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(b, 0, b.length - 8);
        java.nio.ByteBuffer.wrap(b).putLong(b.length - 8, crc.getValue());
        Files.write(f, b);
        var e = assertThrows(Checkpoint.CheckpointException.class, () -> TrainedModel.load(f));
        assertTrue(e.getMessage().contains("format version 2 is not supported"), e.getMessage());
    }

    @Test
    void truncatedFileIsReportedAsTruncated() throws IOException {
        Path f = dir.resolve("m.nt");
        model().save(f);
        byte[] all = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(all, all.length - 20));
        var e = assertThrows(Checkpoint.CheckpointException.class, () -> TrainedModel.load(f));
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("m.nt"), e.getMessage());
    }

    @Test
    void flippedByteIsReportedAsCorrupted() throws IOException {
        Path f = dir.resolve("m.nt");
        model().save(f);
        byte[] all = Files.readAllBytes(f);
        int name = new String(all, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("lstm0.weight");
        all[name + "lstm0.weight".length() + 8 + 17] ^= 0x10; // inside that tensor's data, past its shape
        Files.write(f, all);
        var e = assertThrows(Checkpoint.CheckpointException.class, () -> TrainedModel.load(f));
        assertTrue(e.getMessage().contains("checksum") && e.getMessage().startsWith(f + ": corrupted"), e.getMessage());
    }

    @Test
    void otherFilesAreRejected() throws IOException {
        Path f = dir.resolve("notes.txt");
        Files.writeString(f, "hello, this is not a model at all");
        var e = assertThrows(Checkpoint.CheckpointException.class, () -> TrainedModel.load(f));
        assertTrue(e.getMessage().contains("not a nexttrack model"), e.getMessage());
        var missing = assertThrows(Checkpoint.CheckpointException.class, () -> TrainedModel.load(dir.resolve("none.nt")));
        assertTrue(missing.getMessage().contains("no such model file"));
    }
}
