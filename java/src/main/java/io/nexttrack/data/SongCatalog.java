package io.nexttrack.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Titles and artists for display, read from a Yes-style {@code song_hash.txt} (id TAB title TAB artist). */
public final class SongCatalog {
    private final String[] titles;
    private final String[] artists;

    public SongCatalog(String[] titles, String[] artists) {
        this.titles = titles;
        this.artists = artists;
    }

    /** A catalogue that knows no titles. */
    public static SongCatalog empty(int songs) {
        return new SongCatalog(new String[songs], new String[songs]);
    }

    public static SongCatalog read(Path file, int songs) throws IOException {
        String[] titles = new String[songs];
        String[] artists = new String[songs];
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            long lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) continue;
                String[] f = line.split("\t", -1);
                int id;
                try {
                    id = Integer.parseInt(f[0].strip());
                } catch (NumberFormatException e) {
                    throw new DataFormatException(file, lineNo, 1, "song id '" + f[0] + "' is not an integer");
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

    /** The Yes metadata writes JSON-style escapes such as {@code w\/}. */
    private static String unescape(String s) {
        return s.replace("\\/", "/").replace("\\\"", "\"").strip();
    }

    public int size() { return titles.length; }

    public String title(int song) { return titles[song] == null ? "" : titles[song]; }

    public String artist(int song) { return artists[song] == null ? "" : artists[song]; }

    public boolean hasTitles() {
        for (String t : titles) if (t != null) return true;
        return false;
    }
}
