package io.nexttrack.data;

import io.nexttrack.io.Excerpt;
import io.nexttrack.io.InputFiles;
import java.io.IOException;
import java.io.InputStream;
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
 * A directory is read as Yes data ({@code train.txt}, titles from {@code song_hash.txt} if present); so is a
 * file named {@code train.txt}. Otherwise a file whose first two lines look like Yes ids and counts is Yes
 * data and anything else plain, except a song table ({@code song_hash.txt}: id TAB title TAB artist), the
 * folder's tag files ({@code tags.txt}, {@code tag_hash.txt}) and a file of listening events (a header naming user,
 * track and timestamp columns: {@code data import} makes playlists of those), which are refused. A
 * {@link PlaylistStore} is mapped, not parsed: a file that starts with its magic bytes (in any format: no UTF-8
 * text starts with them), or a folder holding {@code playlists.nts} (unless the format is given). Files are
 * streamed (any size), must be UTF-8 (a byte-order mark is skipped) and may use CRLF.
 * Bad input raises {@link DataFormatException} naming the file, line and column and quoting at most a short
 * escaped excerpt of it.
 */
public final class PlaylistReader {
    public enum Format { AUTO, YES, PLAIN }

    /** The longest token (an external song id, a song name in the plain format), in bytes. */
    public static final int MAX_TOKEN = 4096;
    static final int BUFFER = 1 << 16;
    private static final String YES_BY_NAME = " (a file named train.txt is read as Yes data; --format plain reads plain playlists)";

    private PlaylistReader() {}

    public static Dataset read(Path path) throws IOException {
        return read(path, Format.AUTO);
    }

    public static Dataset read(Path path, Format format) throws IOException {
        if (Files.isDirectory(path)) {
            Path store = path.resolve(PlaylistStore.FILE_NAME);
            if (format == Format.AUTO && Files.exists(store)) return PlaylistStore.read(store);
            Path train = path.resolve("train.txt");
            Dataset d = readFile(train, format == Format.AUTO ? Format.YES : format, "");
            Path hash = path.resolve("song_hash.txt");
            if (Files.exists(hash)) d = d.withCatalog(SongCatalog.read(hash, d.songCount()));
            return d;
        }
        return readFile(path, format, "");
    }

    /** The files {@link #read(Path, Format)} reads for {@code path}: the file itself, or a folder's train.txt and song_hash.txt. */
    public static List<Path> inputs(Path path) {
        if (!Files.isDirectory(path)) return List.of(path);
        return List.of(path.resolve("train.txt"), path.resolve("song_hash.txt"));
    }

    private static Dataset readFile(Path file, Format format, String note) throws IOException {
        try {
            InputFiles.requireRegular(file);
        } catch (NoSuchFileException e) {
            throw new DataFormatException(file, "no such file");
        }
        if (PlaylistStore.looksLikeStore(file)) return PlaylistStore.read(file); // whatever the format: no text starts so
        if (format == Format.AUTO) {
            String name = file.getFileName().toString();
            if (ListeningEvents.looksLikeEvents(file)) {
                throw new DataFormatException(file, "this is a file of listening events (user, track, timestamp), not playlists: "
                        + "cut it into sessions first with: nexttrack data import --data " + file + " --out STORE");
            }
            if (name.equals("song_hash.txt") || looksLikeSongTable(file)) {
                throw new DataFormatException(file, "this is a song table (id TAB title TAB artist), not playlists: "
                        + "give the folder that holds train.txt and song_hash.txt");
            }
            // The Yes folder's tag files: tags.txt would read as plain playlists of tag ids, without a word.
            if (name.equals("tags.txt")) {
                throw new DataFormatException(file, "this is the Yes data's song tags (Last.fm tag ids, a line per song), not playlists: "
                        + "give the folder that holds train.txt" + here(file) + ", or --format plain to read it as playlists");
            }
            if (name.equals("tag_hash.txt")) {
                throw new DataFormatException(file, "this is the Yes data's tag names (id, name), not playlists: "
                        + "give the folder that holds train.txt" + here(file));
            }
            if (name.equals("train.txt")) return readFile(file, Format.YES, YES_BY_NAME);
            return readFile(file, looksLikeYes(file) ? Format.YES : Format.PLAIN, "");
        }
        try (InputStream in = InputFiles.open(file)) {
            return read(file, in, format, note, BUFFER);
        }
    }

    /** " (DIR)" when {@code file}'s folder holds train.txt: the folder to give instead. */
    private static String here(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        return dir != null && Files.isRegularFile(dir.resolve("train.txt")) ? " (" + (file.getParent() != null ? file.getParent() : dir) + ")" : "";
    }

    /** Parses {@code in} (the bytes of {@code file}) in the given format; the buffer size only changes speed. */
    static Dataset read(Path file, InputStream in, Format format, String note, int bufferSize) throws IOException {
        Scanner s = new Scanner(file, in, bufferSize);
        HeapSink sink = new HeapSink();
        List<String> ids = format == Format.YES ? readYes(s, note, sink) : readPlain(s, sink);
        int n = ids.size();
        return new Dataset(new Vocabulary(ids), new Playlists(n, sink.offsets.toArray(), sink.songs.toArray()),
                SongCatalog.empty(n));
    }

    /**
     * Streams the Yes or plain playlists at {@code path} (a folder or a file, as {@link #read} takes them) into a
     * store, then finishes it with their vocabulary and catalogue: one pass, the song ids never held in memory.
     */
    public static void importInto(Path path, Format format, PlaylistStore.Writer w) throws IOException {
        Path file = path;
        String note = "";
        if (Files.isDirectory(path)) {
            file = path.resolve("train.txt");
            if (format == Format.AUTO) format = Format.YES;
        }
        try {
            InputFiles.requireRegular(file);
        } catch (NoSuchFileException e) {
            throw new DataFormatException(file, "no such file");
        }
        if (PlaylistStore.looksLikeStore(file)) throw new DataFormatException(file, "this is a playlist store already");
        if (format == Format.AUTO) {
            if (file.getFileName().toString().equals("train.txt")) {
                format = Format.YES;
                note = YES_BY_NAME;
            } else {
                format = looksLikeYes(file) ? Format.YES : Format.PLAIN;
            }
        }
        List<String> ids;
        try (InputStream in = InputFiles.open(file)) {
            Scanner s = new Scanner(file, in, BUFFER);
            Sink sink = new Sink() {
                @Override public void song(Scanner s, int id) throws IOException { w.add(id); }

                @Override public void endPlaylist(Scanner s) { w.endPlaylist(); }
            };
            ids = format == Format.YES ? readYes(s, note, sink) : readPlain(s, sink);
        }
        SongCatalog catalog = SongCatalog.empty(ids.size());
        Path hash = path.resolve("song_hash.txt");
        if (Files.isDirectory(path) && Files.exists(hash)) catalog = SongCatalog.read(hash, ids.size());
        SongCatalog c = catalog;
        w.finish(ids.size(), ids::get, c::rawTitle, c::rawArtist);
    }

    /** Where parsed playlists go: Java arrays ({@link #read}) or a store being written ({@link #importInto}). */
    private interface Sink {
        void song(Scanner s, int id) throws IOException;

        /** Ends the playlist that the last songs went to (called only for lines that had songs). */
        void endPlaylist(Scanner s) throws IOException;
    }

    private static final class HeapSink implements Sink {
        final IntList offsets = new IntList(1 << 16);
        final IntList songs = new IntList(1 << 20);

        HeapSink() { offsets.add(0); }

        @Override public void song(Scanner s, int id) { s.add(songs, id); }

        @Override public void endPlaylist(Scanner s) { s.add(offsets, songs.size()); }
    }

    /** Yes data: the second line has as many tokens as the first, all of them counts. */
    private static boolean looksLikeYes(Path file) throws IOException {
        try (InputStream in = InputFiles.open(file)) {
            Scanner s = new Scanner(file, in, BUFFER);
            int first = 0, second = 0;
            while (s.nextToken()) first++;
            if (first == 0 || !s.nextLine()) return false;
            for (; s.nextToken(); second++) if (!s.isDigits()) return false;
            return first == second;
        } catch (DataFormatException e) {
            return false; // an overlong token: the real parse reports it
        }
    }

    /** A first line of the form "12 TAB Some Title TAB Some Artist" (fields with spaces in them). */
    private static boolean looksLikeSongTable(Path file) throws IOException {
        byte[] head = new byte[MAX_TOKEN];
        int n;
        try (InputStream in = InputFiles.open(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        int end = 0;
        while (end < n && head[end] != '\n') end++;
        String[] fields = new String(head, 0, end, StandardCharsets.UTF_8).strip().split("\t");
        if (fields.length < 3 || !fields[0].strip().matches("\\d+")) return false;
        for (int i = 1; i < fields.length; i++) if (fields[i].strip().contains(" ")) return true;
        return false;
    }

    private static List<String> readYes(Scanner s, String note, Sink sink) throws IOException {
        List<String> ids = new ArrayList<>();
        Map<String, Integer> columnOf = new HashMap<>();
        while (s.nextToken()) {
            String id = s.tokenString();
            Integer before = columnOf.putIfAbsent(id, s.tokenColumn());
            if (before != null) {
                throw s.error(s.tokenColumn(), "song id " + Excerpt.of(id) + " is listed twice (columns " + before + " and "
                        + s.tokenColumn() + ")");
            }
            ids.add(id);
        }
        if (ids.isEmpty()) {
            throw s.restIsBlank() ? s.fileError("the file is empty") : s.error(1, "line 1 should list the external song ids" + note);
        }
        int n = ids.size();
        if (!s.nextLine()) throw s.error(0, "missing line 2 (the song counts)" + note);
        int[] declared = new int[n];
        int[] countColumn = new int[n];
        int k = 0;
        while (s.nextToken()) {
            if (k == n) throw s.error(s.tokenColumn(), "line 2 has more counts than the " + n + " songs on line 1" + note);
            countColumn[k] = s.tokenColumn();
            declared[k++] = s.tokenInt(Integer.MAX_VALUE, "count");
        }
        if (k != n) throw s.error(0, "line 2 has " + k + " counts but line 1 lists " + n + " songs" + note);
        int[] actual = new int[n];
        while (s.nextLine()) {
            boolean any = false;
            while (s.nextToken()) {
                int id = s.tokenInt(n, "song id");
                actual[id]++;
                sink.song(s, id);
                any = true;
            }
            if (any) sink.endPlaylist(s);
        }
        for (int i = 0; i < n; i++) {
            if (actual[i] != declared[i]) {
                throw new DataFormatException(s.file, 2, countColumn[i], "count of song " + i + " is " + declared[i]
                        + " but the playlists contain it " + actual[i] + " times");
            }
        }
        return ids;
    }

    private static List<String> readPlain(Scanner s, Sink sink) throws IOException {
        Map<String, Integer> index = new HashMap<>();
        List<String> ids = new ArrayList<>();
        do {
            if (s.lineStartsWith('#')) continue;
            boolean any = false;
            while (s.nextToken()) {
                String t = s.tokenString();
                Integer id = index.get(t);
                if (id == null) {
                    id = ids.size();
                    index.put(t, id);
                    ids.add(t);
                }
                sink.song(s, id);
                any = true;
            }
            if (any) sink.endPlaylist(s);
        } while (s.nextLine());
        if (ids.isEmpty()) throw s.fileError(s.sawContent ? "no playlists in the file (only comments)" : "the file is empty");
        return ids;
    }

    /**
     * A streaming byte-level tokenizer, one line at a time; separators are space, tab, comma and CR. Tokens are
     * at most {@link #MAX_TOKEN} bytes; lines and files may be of any length. Columns count bytes from 1.
     */
    static final class Scanner {
        final Path file;
        private final InputStream in;
        private final byte[] buf;
        private int pos;
        private int limit;
        private long line = 1;
        /** Bytes of the current line before {@code buf[pos]}. */
        private long lineBytes;
        private byte[] tok = new byte[64];
        private int tokLen;
        private long tokColumn;
        boolean sawContent;

        Scanner(Path file, InputStream in, int bufferSize) throws IOException {
            this.file = file;
            this.in = in;
            this.buf = new byte[Math.max(4, bufferSize)];
            if (peek() == 0xEF && fill(3) && (buf[pos + 1] & 0xFF) == 0xBB && (buf[pos + 2] & 0xFF) == 0xBF) pos += 3; // UTF-8 BOM
        }

        /** The next byte (0..255) without consuming it, or -1 at the end of the file. */
        private int peek() throws IOException {
            return pos < limit || fill(1) ? buf[pos] & 0xFF : -1;
        }

        /** Makes at least {@code n} bytes available from {@code pos}, unless the file ends first. */
        private boolean fill(int n) throws IOException {
            if (limit - pos >= n) return true;
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
            while (limit < n) {
                int got = in.read(buf, limit, buf.length - limit);
                if (got < 0) return false;
                limit += got;
            }
            return true;
        }

        private void advance() {
            pos++;
            lineBytes++;
        }

        private static boolean separator(int c) {
            return c == ' ' || c == '\t' || c == ',' || c == '\r';
        }

        private void skipSeparators() throws IOException {
            for (int c; (c = peek()) >= 0 && separator(c); ) advance();
        }

        /** Advances to the next token on the current line; false at end of line. */
        boolean nextToken() throws IOException {
            skipSeparators();
            int c = peek();
            if (c < 0 || c == '\n') return false;
            sawContent = true;
            tokColumn = lineBytes + 1;
            tokLen = 0;
            while ((c = peek()) >= 0 && c != '\n' && !separator(c)) {
                if (tokLen == MAX_TOKEN) {
                    throw error(tokenColumn(), "a token longer than " + MAX_TOKEN + " bytes, starting " + Excerpt.of(tok, 0, tokLen));
                }
                if (tokLen == tok.length) tok = java.util.Arrays.copyOf(tok, Math.min(MAX_TOKEN, tokLen * 2));
                tok[tokLen++] = (byte) c;
                advance();
            }
            return true;
        }

        /** Moves to the start of the next line; false when there is none. Scans the buffer directly: lines can be long. */
        boolean nextLine() throws IOException {
            while (pos < limit || fill(1)) {
                int i = pos;
                for (; !sawContent && i < limit && buf[i] != '\n'; i++) sawContent = !separator(buf[i]);
                while (i < limit && buf[i] != '\n') i++;
                lineBytes += i - pos;
                pos = i;
                if (i < limit) {
                    pos++;
                    line++;
                    lineBytes = 0;
                    return peek() >= 0;
                }
            }
            return false;
        }

        boolean lineStartsWith(char c) throws IOException {
            skipSeparators();
            return peek() == c;
        }

        /** True if nothing but separators and newlines is left (an empty or blank file when called first). */
        boolean restIsBlank() throws IOException {
            for (int c; (c = peek()) >= 0; advance()) if (!separator(c) && c != '\n' && !Character.isWhitespace(c)) return false;
            return !sawContent;
        }

        boolean isDigits() {
            for (int i = 0; i < tokLen; i++) if (tok[i] < '0' || tok[i] > '9') return false;
            return true;
        }

        /** The token as text; bytes that are not UTF-8, and control characters, are errors. */
        String tokenString() {
            for (int i = 0; i < tokLen; ) {
                int n = Excerpt.utf8Length(tok, i, tokLen);
                if (n == 0) throw error(tokenColumn() + i, "not valid UTF-8 (byte " + String.format("0x%02X", tok[i] & 0xFF)
                        + ") in " + Excerpt.of(tok, 0, tokLen));
                if (n == 1 && (tok[i] < 0x20 || tok[i] == 0x7F)) {
                    throw error(tokenColumn() + i, "a control character (" + String.format("0x%02X", tok[i])
                            + ") in " + Excerpt.of(tok, 0, tokLen) + ": is this a text file?");
                }
                i += n;
            }
            return new String(tok, 0, tokLen, StandardCharsets.UTF_8);
        }

        int tokenColumn() { return (int) Math.min(Integer.MAX_VALUE, tokColumn); }

        /** The token as an integer in {@code 0..limit-1}. */
        int tokenInt(int limit, String what) {
            if (!isDigits()) throw error(tokenColumn(), what + " " + Excerpt.of(tok, 0, tokLen) + " is not a non-negative integer");
            if (tokLen > 10) throw error(tokenColumn(), what + " " + Excerpt.of(tok, 0, tokLen) + " is too large");
            long v = 0;
            for (int i = 0; i < tokLen; i++) v = v * 10 + (tok[i] - '0');
            if (v >= limit) {
                throw error(tokenColumn(), what + " " + v + " is outside the vocabulary of " + limit + " songs (0.." + (limit - 1) + ")");
            }
            return (int) v;
        }

        /** Appends to a list that cannot grow past the largest Java array: a file too large to hold is an error, not a crash. */
        void add(IntList list, int value) {
            if (list.size() == IntList.MAX_SIZE) {
                throw error(0, String.format("more than %,d song plays: too large to hold in memory", IntList.MAX_SIZE));
            }
            list.add(value);
        }

        DataFormatException error(long column, String message) {
            return new DataFormatException(file, line, (int) Math.min(Integer.MAX_VALUE, column), message);
        }

        DataFormatException fileError(String message) {
            return new DataFormatException(file, message);
        }
    }
}
