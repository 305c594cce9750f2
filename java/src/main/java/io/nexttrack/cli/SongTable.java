package io.nexttrack.cli;

import io.nexttrack.data.Song;
import java.util.Locale;

/** The song columns the CLI prints (id, external id, title, artist), so every command lines them up the same way. */
final class SongTable {
    private static final String COLUMNS = "%7s  %-12s  %-40s  %-24s";

    private SongTable() {}

    static String header() {
        return String.format(COLUMNS, "song", "external id", "title", "artist");
    }

    /** One song's columns, padded (callers strip what trails a last column). */
    static String row(Song s) {
        return String.format(Locale.ROOT, COLUMNS, s.id(), s.externalId(), clip(s.title(), 40), clip(s.artist(), 24));
    }

    static String clip(String s, int width) {
        return s.length() <= width ? s : s.substring(0, width - 1) + "…";
    }
}
