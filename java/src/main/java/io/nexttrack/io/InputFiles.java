package io.nexttrack.io;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Opens the files a user names for reading. What is not a regular file (a folder, a FIFO, a device) is
 * refused up front instead of blocking forever or failing half-way, and every I/O error names the file.
 */
public final class InputFiles {
    private InputFiles() {}

    /** Fails unless {@code file} is a regular file (links followed); a missing file is a {@link NoSuchFileException}. */
    public static void requireRegular(Path file) throws IOException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw e;
        } catch (IOException e) {
            throw FileErrors.named(file, e);
        }
        if (a.isDirectory()) throw new FileSystemException(file.toString(), null, "is a folder, not a file");
        if (!a.isRegularFile()) {
            throw new FileSystemException(file.toString(), null, "is not a regular file (a pipe or a device?): only files can be read");
        }
    }

    /** A regular file opened for reading; read errors name the file. */
    public static InputStream open(Path file) throws IOException {
        requireRegular(file);
        InputStream in;
        try {
            in = Files.newInputStream(file);
        } catch (IOException e) {
            throw FileErrors.named(file, e);
        }
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                try {
                    return super.read();
                } catch (IOException e) {
                    throw FileErrors.named(file, e);
                }
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    return super.read(b, off, len);
                } catch (IOException e) {
                    throw FileErrors.named(file, e);
                }
            }
        };
    }
}
