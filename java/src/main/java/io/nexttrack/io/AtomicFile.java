package io.nexttrack.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Writes a file so that a crash, a kill or a full disk leaves either the old complete file or the new
 * complete one: the bytes go to a temporary file in the same folder, which is flushed to disk, renamed
 * over the target, and the folder itself is flushed so that the rename survives a power cut. New files
 * get the usual permissions (0666 minus the umask), like any other file the user creates.
 * Temporary files that a killed write left behind are deleted by the next write of the same target.
 */
public final class AtomicFile {
    /** Produces the file's bytes. */
    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFile() {}

    /** Writes {@code target} atomically; errors name the file. */
    public static void write(Path target, Body body) throws IOException {
        Path file = target.toAbsolutePath();
        Path dir = file.getParent();
        createFolder(dir);
        if (Files.isDirectory(file)) throw new FileSystemException(target.toString(), null, "is a folder, not a file");
        deleteStaleTemporaries(file);
        Path tmp = dir.resolve("." + file.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 20);
                body.writeTo(out);
                out.flush();
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            forceFolder(dir);
        } catch (IOException e) {
            throw FileErrors.named(target, e);
        } finally {
            Files.deleteIfExists(tmp); // only still there when something failed
        }
    }

    /** Writes a small UTF-8 text file atomically. */
    public static void writeText(Path target, String text) throws IOException {
        write(target, out -> out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /**
     * Checks, before hours of work, that {@code target} can be written with {@code bytes} to spare: the
     * folder can be created and written to, the target is not a folder, and the disk has the space.
     */
    public static void checkWritable(Path target, long bytes) throws IOException {
        Path file = target.toAbsolutePath();
        if (Files.isDirectory(file)) throw new FileSystemException(target.toString(), null, "is a folder, not a file");
        Path dir = file.getParent();
        createFolder(dir);
        deleteStaleTemporaries(file);
        Path probe = dir.resolve("." + file.getFileName() + ".probe." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(probe, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(new byte[] {1}));
                ch.force(true);
            }
        } catch (IOException e) {
            throw new FileSystemException(target.toString(), null, "cannot be written: " + FileErrors.reason(e));
        } finally {
            Files.deleteIfExists(probe);
        }
        long free = Files.getFileStore(dir).getUsableSpace();
        if (free < bytes) {
            throw new FileSystemException(target.toString(), null, String.format(Locale.ROOT,
                    "not enough free disk space: writing it needs about %s, the disk has %s free", ByteSize.of(bytes), ByteSize.of(free)));
        }
    }

    /** Deletes what interrupted writes of {@code file} left behind (this class's and older versions' names). */
    public static void deleteStaleTemporaries(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        String name = Pattern.quote(file.getFileName().toString());
        Pattern stale = Pattern.compile("\\." + name + "\\.(probe\\.)?[0-9a-f]+\\.tmp|" + name + "\\d+\\.tmp");
        if (!Files.isDirectory(dir)) return;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, p -> stale.matcher(p.getFileName().toString()).matches())) {
            for (Path p : entries) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw FileErrors.named(dir, e);
        }
    }

    private static void createFolder(Path dir) throws IOException {
        try {
            Files.createDirectories(dir);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new FileSystemException(e.getFile(), null, "is not a folder, so nothing can be written inside it");
        } catch (IOException e) {
            throw FileErrors.named(dir, e);
        }
    }

    /** Makes the rename durable; a file system that cannot flush a folder still renamed atomically. */
    private static void forceFolder(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Not supported here (e.g. Windows): the rename is atomic, only its durability is up to the OS.
        }
    }
}
