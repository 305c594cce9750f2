package io.nexttrack.data;

import io.nexttrack.io.Excerpt;
import io.nexttrack.io.InputFiles;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/** Titles and artists for display, read from a Yes-style {@code song_hash.txt} (id TAB title TAB artist). */
public final class SongCatalog {
    private final String[] titles;
    private final String[] artists;
    /** A store's titles and artists, decoded when asked (null unless read from a store; then the arrays are null). */
    private final StringTable titleTable, artistTable;

    public SongCatalog(String[] titles, String[] artists) {
        this.titles = titles;
        this.artists = artists;
        this.titleTable = null;
        this.artistTable = null;
    }

    SongCatalog(StringTable titles, StringTable artists) {
        this.titles = null;
        this.artists = null;
        this.titleTable = titles;
        this.artistTable = artists;
    }

    /** A catalogue that knows no titles. */
    public static SongCatalog empty(int songs) {
        return new SongCatalog(new String[songs], new String[songs]);
    }

    /** The longest line of a song table, in bytes. */
    static final int MAX_LINE = 1 << 16;

    /** Reads {@code id TAB title TAB artist} lines (UTF-8, streamed); errors name the file, line and column. */
    public static SongCatalog read(Path file, int songs) throws IOException {
        String[] titles = new String[songs];
        String[] artists = new String[songs];
        try (InputStream in = new BufferedInputStream(InputFiles.open(file), 1 << 16)) {
            byte[] line = new byte[256];
            long lineNo = 0;
            for (boolean more = true; more; ) {
                int n = 0;
                int c;
                while ((c = in.read()) >= 0 && c != '\n') {
                    if (n == MAX_LINE) throw new DataFormatException(file, lineNo + 1, n, "line longer than " + MAX_LINE + " bytes");
                    if (n == line.length) line = Arrays.copyOf(line, Math.min(MAX_LINE, 2 * n));
                    line[n++] = (byte) c;
                }
                more = c >= 0;
                lineNo++;
                int from = lineNo == 1 && n >= 3 && (line[0] & 0xFF) == 0xEF && (line[1] & 0xFF) == 0xBB && (line[2] & 0xFF) == 0xBF ? 3 : 0;
                String text = decode(file, lineNo, line, from, n);
                if (text.isBlank()) continue;
                String[] f = text.split("\t", -1);
                int id;
                try {
                    id = Integer.parseInt(f[0].strip());
                } catch (NumberFormatException e) {
                    throw new DataFormatException(file, lineNo, 1, "song id " + Excerpt.of(f[0]) + " is not an integer");
                }
                if (id < 0 || id >= songs) {
                    throw new DataFormatException(file, lineNo, 1, "song id " + id + " is outside 0.." + (songs - 1));
                }
                titles[id] = f.length > 1 ? unescape(f[1]) : null;
                artists[id] = f.length > 2 ? unescape(f[2]) : null;
            }
        }
        return new SongCatalog(titles, artists);
    }

    /** Bytes {@code [from, to)} of a line as UTF-8; a byte that is not, or a control character, is located. */
    private static String decode(Path file, long lineNo, byte[] b, int from, int to) {
        int column = 1;
        for (int i = from; i < to; column++) {
            int n = Excerpt.utf8Length(b, i, to);
            if (n == 0) {
                throw new DataFormatException(file, lineNo, column, String.format("not valid UTF-8 (byte 0x%02X)", b[i] & 0xFF));
            }
            if (n == 1 && b[i] < 0x20 && b[i] != '\t' && b[i] != '\r' || b[i] == 0x7F) {
                throw new DataFormatException(file, lineNo, column, String.format("a control character (0x%02X): is this a text file?", b[i]));
            }
            i += n;
        }
        return new String(b, from, to - from, StandardCharsets.UTF_8);
    }

    /** The Yes metadata writes JSON-style escapes such as {@code w\/}. */
    private static String unescape(String s) {
        return s.replace("\\/", "/").replace("\\\"", "\"").strip();
    }

    public int size() { return titles != null ? titles.length : titleTable.size(); }

    public String title(int song) {
        String t = rawTitle(song);
        return t == null ? "" : t;
    }

    public String artist(int song) {
        String a = rawArtist(song);
        return a == null ? "" : a;
    }

    /** The title as stored: null where the data has none. */
    String rawTitle(int song) { return titles != null ? titles[song] : titleTable.get(song); }

    String rawArtist(int song) { return artists != null ? artists[song] : artistTable.get(song); }

    public boolean hasTitles() {
        if (titles == null) return titleTable.anyPresent();
        for (String t : titles) if (t != null) return true;
        return false;
    }
}
