package io.nexttrack.data;

import java.nio.file.Path;

/** Bad input data, located to the file, line and column (both 1-based; 0 when not applicable). */
public class DataFormatException extends RuntimeException {
    private final transient Path file;
    private final long line;
    private final int column;

    public DataFormatException(Path file, long line, int column, String message) {
        super(location(file, line, column) + ": " + message);
        this.file = file;
        this.line = line;
        this.column = column;
    }

    public DataFormatException(Path file, String message) {
        this(file, 0, 0, message);
    }

    private static String location(Path file, long line, int column) {
        String where = String.valueOf(file);
        if (line > 0) where += ":" + line;
        if (column > 0) where += ":" + column;
        return where;
    }

    public Path file() { return file; }

    public long line() { return line; }

    public int column() { return column; }
}
