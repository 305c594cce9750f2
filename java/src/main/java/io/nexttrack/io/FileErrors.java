package io.nexttrack.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * Every I/O error names its file: the JDK leaves the name out of many ("Is a directory", "No space left on
 * device", "Input length = 1"), which makes them useless on a command line.
 */
public final class FileErrors {
    private FileErrors() {}

    /** {@code e} as a {@link FileSystemException} whose message is "FILE: reason". */
    public static FileSystemException named(Path file, IOException e) {
        if (e instanceof FileSystemException f && f.getFile() != null && f.getReason() != null) return f;
        String name = e instanceof FileSystemException f && f.getFile() != null ? f.getFile() : String.valueOf(file);
        FileSystemException named = new FileSystemException(name, null, reason(e));
        named.initCause(e);
        return named;
    }

    /** A short reason in words, also for the exceptions whose message is only the file name. */
    public static String reason(IOException e) {
        if (e instanceof NoSuchFileException) return "no such file or folder";
        if (e instanceof AccessDeniedException) return "permission denied";
        if (e instanceof FileAlreadyExistsException) return "already exists";
        if (e instanceof NotDirectoryException) return "not a folder";
        if (e instanceof DirectoryNotEmptyException) return "folder not empty";
        if (e instanceof FileSystemException f && f.getReason() != null) return f.getReason();
        if (e instanceof java.nio.charset.CharacterCodingException) return "not valid UTF-8 text";
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
