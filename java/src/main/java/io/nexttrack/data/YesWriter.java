package io.nexttrack.data;

import io.nexttrack.io.AtomicFile;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Writes playlists in the Yes.com format that {@link PlaylistReader} reads: {@code train.txt} (line 1
 * the external song ids, line 2 each song's count, then one playlist per line; every token followed by
 * a space, LF endings) and {@code song_hash.txt} ({@code id TAB title TAB artist}).
 * Each file is written atomically ({@link AtomicFile}), so a reader never sees half a file and a failed
 * write leaves the old one intact.
 */
public final class YesWriter {
    private YesWriter() {}

    /** Writes {@code dir/train.txt} and {@code dir/song_hash.txt}, creating dir if needed. */
    public static void write(Dataset d, Path dir) throws IOException {
        writeTrain(d.vocabulary(), d.playlists(), dir.resolve("train.txt"));
        writeSongHash(d.catalog(), dir.resolve("song_hash.txt"));
    }

    public static void writeTrain(Vocabulary vocabulary, Playlists playlists, Path file) throws IOException {
        if (vocabulary.size() != playlists.songCount()) {
            throw new IllegalArgumentException("vocabulary has " + vocabulary.size() + " songs, playlists "
                    + playlists.songCount());
        }
        AtomicFile.write(file, out -> {
            AsciiWriter w = new AsciiWriter(out);
            for (int s = 0; s < vocabulary.size(); s++) {
                String id = vocabulary.externalId(s);
                if (id.isEmpty() || id.chars().anyMatch(c -> c <= ' ' || c == ',')) {
                    throw new IllegalArgumentException("external song id '" + id + "' is empty or has a separator");
                }
                w.text(id).space();
            }
            w.newline();
            for (int count : playlists.songCounts()) w.number(count).space();
            w.newline();
            for (int p = 0; p < playlists.size(); p++) {
                if (playlists.length(p) == 0) throw new IllegalArgumentException("playlist " + p + " is empty");
                for (int i = 0, n = playlists.length(p); i < n; i++) w.number(playlists.song(p, i)).space();
                w.newline();
            }
            w.flush();
        });
    }

    public static void writeSongHash(SongCatalog catalog, Path file) throws IOException {
        AtomicFile.write(file, out -> {
            AsciiWriter w = new AsciiWriter(out);
            for (int s = 0; s < catalog.size(); s++) {
                w.number(s).tab().text(escape(catalog.title(s))).tab().text(escape(catalog.artist(s))).newline();
            }
            w.flush();
        });
    }

    /** The Yes metadata escapes '/' as {@code \/} (which SongCatalog undoes); tabs and newlines would break lines. */
    private static String escape(String s) {
        return s.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ').replace("/", "\\/");
    }

    /** Buffered ASCII output with hand-written integer formatting: millions of ids without String garbage. */
    private static final class AsciiWriter {
        private final OutputStream out;
        private final byte[] buf = new byte[1 << 16];
        private int n;

        AsciiWriter(OutputStream out) { this.out = out; }

        AsciiWriter number(int v) throws IOException {
            if (v < 0) throw new IllegalArgumentException("negative number " + v);
            if (n + 11 > buf.length) drain();
            int digits = 1;
            for (int t = v; t >= 10; t /= 10) digits++;
            for (int i = n + digits - 1; i >= n; i--) {
                buf[i] = (byte) ('0' + v % 10);
                v /= 10;
            }
            n += digits;
            return this;
        }

        AsciiWriter text(String s) throws IOException {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            if (n + b.length > buf.length) drain();
            if (b.length > buf.length) {
                out.write(b);
            } else {
                System.arraycopy(b, 0, buf, n, b.length);
                n += b.length;
            }
            return this;
        }

        AsciiWriter space() throws IOException { return put((byte) ' '); }

        AsciiWriter tab() throws IOException { return put((byte) '\t'); }

        AsciiWriter newline() throws IOException { return put((byte) '\n'); }

        private AsciiWriter put(byte c) throws IOException {
            if (n == buf.length) drain();
            buf[n++] = c;
            return this;
        }

        private void drain() throws IOException {
            out.write(buf, 0, n);
            n = 0;
        }

        void flush() throws IOException { drain(); }
    }
}
