package io.nexttrack.io;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
    @TempDir Path dir;

    @Test
    void newFilesGetThePermissionsOfAnyOtherFileNotOnlyTheOwners() throws IOException {
        Path written = dir.resolve("m.nt"), plain = Files.createFile(dir.resolve("plain"));
        AtomicFile.writeText(written, "x");
        Set<PosixFilePermission> expected = Files.getPosixFilePermissions(plain); // 0666 minus this process's umask
        assertEquals(expected, Files.getPosixFilePermissions(written));
        assertTrue(expected.contains(PosixFilePermission.GROUP_READ) || !expected.contains(PosixFilePermission.OWNER_READ),
                "the umask here lets the group read, so 0600 would differ: " + expected);
    }

    @Test
    void leftoversOfKilledWritesAreDeletedAndNothingIsLeftBehind() throws IOException {
        Path target = dir.resolve("model.nt");
        Path ours = Files.writeString(dir.resolve(".model.nt.1f2e3d.tmp"), "half a checkpoint");
        Path older = Files.writeString(dir.resolve("model.nt1234567890.tmp"), "half of an older version's write");
        Path probe = Files.writeString(dir.resolve(".model.nt.probe.99.tmp"), "");
        Path unrelated = Files.writeString(dir.resolve(".other.nt.1f2e3d.tmp"), "someone else's");
        AtomicFile.writeText(target, "complete");
        assertFalse(Files.exists(ours) || Files.exists(older) || Files.exists(probe));
        assertTrue(Files.exists(unrelated));
        try (var files = Files.list(dir)) {
            assertEquals(Set.of(target, unrelated), Set.copyOf(files.toList()));
        }
        assertEquals("complete", Files.readString(target));
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporary() throws IOException {
        Path target = dir.resolve("m.nt");
        AtomicFile.writeText(target, "old");
        IOException e = assertThrows(IOException.class, () -> AtomicFile.write(target, out -> {
            out.write("new, half".getBytes());
            throw new IOException("No space left on device");
        }));
        assertTrue(e.getMessage().startsWith(target + ": ") && e.getMessage().contains("No space left"), e.getMessage());
        assertEquals("old", Files.readString(target));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(target), files.toList());
        }
    }

    @Test
    void outputsThatCannotBeWrittenAreFoundBeforeTheWork() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("a-folder.nt"));
        assertTrue(assertThrows(FileSystemException.class, () -> AtomicFile.checkWritable(folder, 1)).getMessage().contains("folder"));
        Path file = Files.writeString(dir.resolve("file"), "x");
        FileSystemException e = assertThrows(FileSystemException.class, () -> AtomicFile.checkWritable(file.resolve("m.nt"), 1));
        assertTrue(e.getMessage().contains("not a folder"), e.getMessage());
        e = assertThrows(FileSystemException.class, () -> AtomicFile.checkWritable(dir.resolve("m.nt"), Long.MAX_VALUE / 2));
        assertTrue(e.getMessage().contains("not enough free disk space") && e.getMessage().contains("TiB"), e.getMessage());
        AtomicFile.checkWritable(dir.resolve("sub/m.nt"), 1);
        try (var files = Files.list(dir.resolve("sub"))) {
            assertEquals(0, files.count(), "the probe is gone");
        }
    }

    @Test
    void readOnlyFoldersAreFoundBeforeTheWork() throws IOException {
        Path ro = Files.createDirectories(dir.resolve("ro"));
        Files.setPosixFilePermissions(ro, Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_EXECUTE));
        try {
            org.junit.jupiter.api.Assumptions.assumeFalse(Files.isWritable(ro), "running as root: permissions are not enforced");
            FileSystemException e = assertThrows(FileSystemException.class, () -> AtomicFile.checkWritable(ro.resolve("m.nt"), 1));
            assertTrue(e.getMessage().contains("cannot be written"), e.getMessage());
        } finally {
            Files.setPosixFilePermissions(ro, Set.of(PosixFilePermission.values()));
        }
    }
}
