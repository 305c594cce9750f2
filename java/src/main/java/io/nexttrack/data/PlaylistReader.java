package io.nexttrack.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads playlists from disk in two formats.
 * <ul>
 *   <li><b>yes</b> (Cornell's Yes.com data): line 1 the external song ids, line 2 each song's count,
 *       then one playlist per line of 0-based song ids. The counts must agree with the playlists.</li>
 *   <li><b>plain</b>: one playlist per line of arbitrary tokens separated by spaces, commas or tabs;
 *       the vocabulary is built in order of first appearance. Lines starting with '#' are comments.</li>
 * </ul>
 * A directory is read as Yes data ({@code train.txt}, titles from {@code song_hash.txt} if present).
 * Bad input raises {@link DataFormatException} naming the file, line and column. CRLF is accepted.
 */
public final class PlaylistReader {
    public enum Format { AUTO, YES, PLAIN }

    private PlaylistReader() {}

    public static Dataset read(Path path) throws IOException {
        return read(path, Format.AUTO);
    }

    public static Dataset read(Path path, Format format) throws IOException {
        if (Files.isDirectory(path)) {
            Path train = path.resolve("train.txt");
            Dataset d = readFile(train, format == Format.AUTO ? Format.YES : format);
            Path hash = path.resolve("song_hash.txt");
            if (Files.exists(hash)) d = d.withCatalog(SongCatalog.read(hash, d.songCount()));
            return d;
        }
        return readFile(path, format);
    }

    private static Dataset readFile(Path file, Format format) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new DataFormatException(file, "no such file");
        }
        if (isBlank(bytes)) throw new DataFormatException(file, "the file is empty");
        if (format == Format.AUTO) format = looksLikeYes(bytes) ? Format.YES : Format.PLAIN;
        return format == Format.YES ? readYes(file, bytes) : readPlain(file, bytes);
    }

    private static boolean isBlank(byte[] b) {
        for (byte c : b) if (!Character.isWhitespace(c)) return false;
        return true;
    }

    /** Yes data: the second line has as many tokens as the first, all of them counts. */
    private static boolean looksLikeYes(byte[] b) {
        Scanner s = new Scanner(null, b);
        int first = s.countLineTokens(true);
        if (!s.nextLine()) return false;
        int second = s.countLineTokens(false);
        return first > 0 && first == second;
    }

    static Dataset readYes(Path file, byte[] bytes) {
        Scanner s = new Scanner(file, bytes);
        List<String> ids = new ArrayList<>();
        while (s.nextToken()) ids.add(s.tokenString());
        if (ids.isEmpty()) throw s.error(1, "line 1 should list the external song ids");
        int n = ids.size();
        if (!s.nextLine()) throw s.error(0, "missing line 2 (the song counts)");
        int[] declared = new int[n];
        int[] countColumn = new int[n];
        int k = 0;
        while (s.nextToken()) {
            if (k == n) throw s.error(s.tokenColumn(), "line 2 has more counts than the " + n + " songs on line 1");
            countColumn[k] = s.tokenColumn();
            declared[k++] = s.tokenInt(Integer.MAX_VALUE, "count");
        }
        if (k != n) throw s.error(0, "line 2 has " + k + " counts but line 1 lists " + n + " songs");
        IntList offsets = new IntList(1 << 16);
        IntList songs = new IntList(1 << 20);
        offsets.add(0);
        while (s.nextLine()) {
            int before = songs.size();
            while (s.nextToken()) songs.add(s.tokenInt(n, "song id"));
            if (songs.size() > before) offsets.add(songs.size());
        }
        Playlists p = new Playlists(n, offsets.toArray(), songs.toArray());
        int[] actual = p.songCounts();
        for (int i = 0; i < n; i++) {
            if (actual[i] != declared[i]) {
                throw new DataFormatException(file, 2, countColumn[i], "count of song " + i + " is " + declared[i]
                        + " but the playlists contain it " + actual[i] + " times");
            }
        }
        return new Dataset(new Vocabulary(ids), p, SongCatalog.empty(n));
    }

    static Dataset readPlain(Path file, byte[] bytes) {
        Scanner s = new Scanner(file, bytes);
        Map<String, Integer> index = new HashMap<>();
        List<String> ids = new ArrayList<>();
        IntList offsets = new IntList(1 << 16);
        IntList songs = new IntList(1 << 20);
        offsets.add(0);
        do {
            if (s.lineStartsWith('#')) continue;
            int before = songs.size();
            while (s.nextToken()) {
                String t = s.tokenString();
                Integer id = index.get(t);
                if (id == null) {
                    id = ids.size();
                    index.put(t, id);
                    ids.add(t);
                }
                songs.add(id);
            }
            if (songs.size() > before) offsets.add(songs.size());
        } while (s.nextLine());
        if (ids.isEmpty()) throw new DataFormatException(file, "no playlists in the file");
        return new Dataset(new Vocabulary(ids), new Playlists(ids.size(), offsets.toArray(), songs.toArray()),
                SongCatalog.empty(ids.size()));
    }

    /** A byte-level tokenizer over one line at a time; separators are space, tab, comma and CR. */
    private static final class Scanner {
        private final Path file;
        private final byte[] b;
        private int lineStart;
        private int pos;
        private long line = 1;
        private int tokStart;
        private int tokEnd;

        Scanner(Path file, byte[] b) {
            this.file = file;
            this.b = b;
        }

        private static boolean separator(byte c) {
            return c == ' ' || c == '\t' || c == ',' || c == '\r';
        }

        /** Advances to the next token on the current line; false at end of line. */
        boolean nextToken() {
            while (pos < b.length && separator(b[pos])) pos++;
            if (pos >= b.length || b[pos] == '\n') return false;
            tokStart = pos;
            while (pos < b.length && b[pos] != '\n' && !separator(b[pos])) pos++;
            tokEnd = pos;
            return true;
        }

        /** Moves to the start of the next line; false when there is none. */
        boolean nextLine() {
            while (pos < b.length && b[pos] != '\n') pos++;
            if (pos >= b.length) return false;
            pos++;
            lineStart = pos;
            line++;
            return pos < b.length;
        }

        boolean lineStartsWith(char c) {
            int i = lineStart;
            while (i < b.length && separator(b[i])) i++;
            return i < b.length && b[i] == c;
        }

        int countLineTokens(boolean any) {
            int save = pos, n = 0;
            while (nextToken()) {
                if (!any && !isDigits()) return -1;
                n++;
            }
            pos = save;
            return n;
        }

        private boolean isDigits() {
            for (int i = tokStart; i < tokEnd; i++) if (b[i] < '0' || b[i] > '9') return false;
            return true;
        }

        String tokenString() { return new String(b, tokStart, tokEnd - tokStart, StandardCharsets.UTF_8); }

        int tokenColumn() { return tokStart - lineStart + 1; }

        /** The token as an integer in {@code 0..limit-1}. */
        int tokenInt(int limit, String what) {
            long v = 0;
            if (tokEnd - tokStart > 10) throw error(tokenColumn(), what + " '" + tokenString() + "' is too large");
            for (int i = tokStart; i < tokEnd; i++) {
                int d = b[i] - '0';
                if (d < 0 || d > 9) throw error(tokenColumn(), what + " '" + tokenString() + "' is not a non-negative integer");
                v = v * 10 + d;
            }
            if (v >= limit) {
                throw error(tokenColumn(), what + " " + v + " is outside the vocabulary of " + limit + " songs (0.." + (limit - 1) + ")");
            }
            return (int) v;
        }

        DataFormatException error(int column, String message) {
            return new DataFormatException(file, line, column, message);
        }
    }
}
