package io.nexttrack.data;

import io.nexttrack.io.Excerpt;
import io.nexttrack.io.HeapCheck;
import io.nexttrack.io.InputFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Listening events (who played which track when) made into playlists: one per listening session, as
 * {@link Sessionizer} defines it.
 *
 * <p>The file: UTF-8 text (a byte-order mark is skipped, CRLF allowed), one event per line, fields separated by
 * tabs if the first line holds a tab, else by commas (then a field may be quoted, {@code "a, b"}, with {@code ""}
 * for a quote inside). The first line is a header that names the columns, in any order, case-insensitively:
 * the user ({@code user}, {@code user_id}, {@code userid}), the track ({@code track}, {@code track_id},
 * {@code trackid}, {@code song}, {@code song_id}, {@code item}, {@code item_id}) and the time ({@code timestamp},
 * {@code time}, {@code ts}, {@code datetime}, {@code played_at}); other columns are ignored. Users and tracks are
 * any non-empty text (spaces around a field are trimmed). A timestamp is either
 * <ul>
 *   <li>an integer number of seconds since 1970-01-01 UTC, or of milliseconds: a number below 100,000,000,000
 *       is seconds (that many seconds reach the year 5138), one at or above it milliseconds (1973 on); seconds
 *       may have a fraction ({@code 1700000000.25}); or</li>
 *   <li>ISO-8601: {@code 2024-05-01T12:34:56Z}, with a space instead of the T, fractions of a second and an
 *       offset ({@code +02:00}, {@code +0200}, {@code +02}) allowed; without an offset the time is UTC.</li>
 * </ul>
 * The events need not be sorted: they are ordered per user by time (equal times keep the order of the file),
 * in memory as primitive arrays, about 20 bytes per event (66 million events: 1.3 GB) plus the user and track
 * names, each held once as bytes (a name seen again allocates nothing). Bad input raises {@link DataFormatException} naming the file, line and column (in bytes, from 1).
 */
public final class ListeningEvents {
    static final Set<String> USER = Set.of("user", "user_id", "userid", "user-id");
    static final Set<String> TRACK = Set.of("track", "track_id", "trackid", "track-id", "song", "song_id", "songid", "item",
            "item_id", "itemid");
    static final Set<String> TIME = Set.of("timestamp", "time", "ts", "datetime", "played_at", "time_stamp");
    /** The longest line, in bytes. */
    static final int MAX_LINE = 1 << 20;
    /** Epoch numbers below this are seconds, at or above it milliseconds. */
    static final long MILLIS_FROM = 100_000_000_000L;
    /** Heap bytes per event while sorting: user, track, time, order. */
    static final long BYTES_PER_EVENT = 4 + 4 + 8 + 4;

    private ListeningEvents() {}

    /** What an import read, kept and dropped. */
    public record Summary(long events, int users, int tracks, long sessions, long droppedShort, long droppedRepeats,
                          int songs, long plays) {}

    /** True when the first line of {@code file} is a header naming user, track and timestamp columns. */
    public static boolean looksLikeEvents(Path file) throws IOException {
        byte[] head = new byte[1 << 12];
        int n;
        try (InputStream in = InputFiles.open(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        int from = n >= 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF ? 3 : 0;
        int end = from;
        while (end < n && head[end] != '\n') end++;
        String line = new String(head, from, end - from, StandardCharsets.UTF_8);
        String[] names = line.split(line.indexOf('\t') >= 0 ? "\t" : ",", -1);
        boolean user = false, track = false, time = false;
        for (String name : names) {
            String s = unquote(name.strip()).toLowerCase(Locale.ROOT);
            user |= USER.contains(s);
            track |= TRACK.contains(s);
            time |= TIME.contains(s);
        }
        return user && track && time;
    }

    /** The column a header line's name stands for ({@code "user"}, {@code "track"}, {@code "timestamp"}), or null. */
    public static String role(String columnName) {
        String s = columnName.strip().toLowerCase(Locale.ROOT);
        return USER.contains(s) ? "user" : TRACK.contains(s) ? "track" : TIME.contains(s) ? "timestamp" : null;
    }

    /**
     * A timestamp field as this reader parses it (see the class comment): milliseconds since 1970 UTC, or
     * {@link Long#MIN_VALUE} when {@code text} is neither ISO-8601 nor a number of seconds or milliseconds.
     */
    public static long parseTime(String text) {
        byte[] b = text.strip().getBytes(StandardCharsets.UTF_8);
        long t = epoch(b, 0, b.length);
        return t != Long.MIN_VALUE ? t : iso(b, 0, b.length);
    }

    /** An integral timestamp as this reader takes it: seconds below {@value #MILLIS_FROM}, milliseconds from there on. */
    public static long epochMillis(long secondsOrMillis) {
        return secondsOrMillis < MILLIS_FROM ? secondsOrMillis * 1000 : secondsOrMillis;
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1).replace("\"\"", "\"") : s;
    }

    /**
     * Reads the events of {@code file}, cuts every user's into sessions ({@link Sessionizer}) and streams those
     * into {@code w} (users in the order they first appear, each user's sessions in time order), then finishes
     * the store. Songs are the tracks of the sessions kept, numbered in the order they are first written.
     */
    public static Summary importInto(Path file, long gapMillis, boolean dropRepeats, PlaylistStore.Writer w) throws IOException {
        Events e = read(file);
        if (e.count == 0) throw new DataFormatException(file, "no events after the header line");
        // Counting sort by user (stable: each user's events stay in file order), then by time per user.
        int users = e.users();
        int[] start = new int[users + 1];
        for (int i = 0; i < e.count; i++) start[e.users[i] + 1]++;
        int longest = 0;
        for (int u = 0; u < users; u++) {
            longest = Math.max(longest, start[u + 1]);
            start[u + 1] += start[u];
        }
        int[] order = new int[e.count];
        int[] fill = Arrays.copyOf(start, users);
        for (int i = 0; i < e.count; i++) order[fill[e.users[i]]++] = i;
        e.users = null;
        fill = null;
        long[] times = new long[longest];
        int[] tracks = new int[longest];
        int[] byTime = new int[longest], scratch = new int[longest];
        long[] t2 = new long[longest];
        int[] k2 = new int[longest];
        int[] songOf = new int[e.tracks()];
        Arrays.fill(songOf, -1);
        List<String> songNames = new ArrayList<>();
        long sessions = 0, droppedShort = 0, droppedRepeats = 0;
        for (int u = 0; u < users; u++) {
            int m = start[u + 1] - start[u];
            boolean sorted = true;
            for (int j = 0; j < m; j++) {
                int i = order[start[u] + j];
                times[j] = e.times[i];
                tracks[j] = e.tracks[i];
                if (j > 0 && times[j] < times[j - 1]) sorted = false;
            }
            long[] t = times;
            int[] k = tracks;
            if (!sorted) {
                for (int j = 0; j < m; j++) byTime[j] = j;
                sortByTime(times, byTime, scratch, 0, m);
                for (int j = 0; j < m; j++) {
                    t2[j] = times[byTime[j]];
                    k2[j] = tracks[byTime[j]];
                }
                t = t2;
                k = k2;
            }
            Sessionizer.Result r = Sessionizer.sessions(t, k, 0, m, gapMillis, dropRepeats);
            droppedShort += r.droppedShort();
            droppedRepeats += r.droppedRepeats();
            for (int[] s : r.sessions()) {
                for (int track : s) {
                    if (songOf[track] < 0) {
                        songOf[track] = songNames.size();
                        songNames.add(e.trackNames.name(track));
                    }
                    w.add(songOf[track]);
                }
                w.endPlaylist();
                sessions++;
            }
        }
        if (sessions == 0) {
            throw new DataFormatException(file, String.format(Locale.ROOT, "no listening session of two tracks or more in %,d "
                    + "events: is the session gap (%s) too short?", e.count, gapText(gapMillis)));
        }
        w.finish(songNames.size(), songNames::get, s -> null, s -> null);
        return new Summary(e.count, users, e.tracks(), sessions, droppedShort, droppedRepeats, songNames.size(), w.plays());
    }

    /** "30m", "1h30m", "90s": a gap as the options take it. */
    public static String gapText(long millis) {
        return java.time.Duration.ofMillis(millis).toString().substring(2).toLowerCase(Locale.ROOT);
    }

    /** Sorts {@code order[from, to)} by {@code t[order[.]]}, stably (a merge sort; equal times keep their order). */
    static void sortByTime(long[] t, int[] order, int[] scratch, int from, int to) {
        if (to - from < 2) return;
        if (to - from <= 16) { // insertion sort: stable, and fast for short or nearly sorted runs
            for (int i = from + 1; i < to; i++) {
                int x = order[i];
                int j = i - 1;
                while (j >= from && t[order[j]] > t[x]) {
                    order[j + 1] = order[j];
                    j--;
                }
                order[j + 1] = x;
            }
            return;
        }
        int mid = (from + to) >>> 1;
        sortByTime(t, order, scratch, from, mid);
        sortByTime(t, order, scratch, mid, to);
        if (t[order[mid - 1]] <= t[order[mid]]) return;
        System.arraycopy(order, from, scratch, from, to - from);
        int a = from, b = mid, o = from;
        while (a < mid && b < to) order[o++] = t[scratch[b]] < t[scratch[a]] ? scratch[b++] : scratch[a++];
        while (a < mid) order[o++] = scratch[a++];
        while (b < to) order[o++] = scratch[b++];
    }

    /** The events of a file, as primitive arrays and the names of users and tracks. */
    static final class Events {
        int count;
        int[] users, tracks;
        long[] times;
        /** User and track names, numbered in the order they first appear. */
        final Names userNames = new Names(), trackNames = new Names();

        Events(int expected) {
            users = new int[expected];
            tracks = new int[expected];
            times = new long[expected];
        }

        int users() { return userNames.size(); }

        int tracks() { return trackNames.size(); }

        void add(int user, int track, long time) {
            if (count == users.length) {
                if (count == IntList.MAX_SIZE) throw new IllegalStateException("more than " + IntList.MAX_SIZE + " events");
                int grown = (int) Math.min(IntList.MAX_SIZE, count + (count >> 1) + 16);
                HeapCheck.require(BYTES_PER_EVENT * grown, "sorting the listening events",
                        String.format(Locale.ROOT, "%,d events so far, %d bytes each", count, BYTES_PER_EVENT));
                users = Arrays.copyOf(users, grown);
                tracks = Arrays.copyOf(tracks, grown);
                times = Arrays.copyOf(times, grown);
            }
            users[count] = user;
            tracks[count] = track;
            times[count++] = time;
        }
    }

    /** Parses the whole file (see the class comment). */
    static Events read(Path file) throws IOException {
        try (InputStream in = InputFiles.open(file)) {
            Lines lines = new Lines(file, in);
            if (!lines.next()) throw new DataFormatException(file, "the file is empty");
            byte sep = lines.indexOf((byte) '\t') >= 0 ? (byte) '\t' : (byte) ',';
            int[] cols = header(file, lines, sep);
            int userCol = cols[0], trackCol = cols[1], timeCol = cols[2];
            int need = Math.max(userCol, Math.max(trackCol, timeCol)) + 1;
            Events e = new Events(expectedEvents(file, lines));
            int[] fieldFrom = new int[need], fieldTo = new int[need];
            while (lines.next()) {
                if (lines.isBlank()) continue;
                int fields = lines.split(sep, fieldFrom, fieldTo, need);
                if (fields < need) {
                    int missing = need - 1;
                    for (int c : cols) if (c >= fields) missing = Math.min(missing, c);
                    String role = missing == userCol ? "user" : missing == trackCol ? "track" : "timestamp";
                    throw lines.error(lines.end - lines.start + 1, "this line has " + fields + " field" + (fields == 1 ? "" : "s")
                            + ", but the header puts the " + role + " in field " + (missing + 1));
                }
                int u = lines.intern(e.userNames, fieldFrom[userCol], fieldTo[userCol], "user");
                int t = lines.intern(e.trackNames, fieldFrom[trackCol], fieldTo[trackCol], "track");
                long time = lines.time(fieldFrom[timeCol], fieldTo[timeCol]);
                e.add(u, t, time);
            }
            return e;
        }
    }

    /**
     * How many events a file holds, estimated from its size and the lines in the first buffer after the header
     * (a little more, so that the arrays rarely grow); the heap needed for them is checked here, before reading.
     */
    private static int expectedEvents(Path file, Lines lines) throws IOException {
        long size = java.nio.file.Files.size(file);
        int newlines = 0;
        for (int i = lines.pos; i < lines.limit; i++) if (lines.buf[i] == '\n') newlines++;
        double perLine = newlines > 0 ? (lines.limit - lines.pos) / (double) newlines : 16;
        long expected = Math.min(IntList.MAX_SIZE, (long) (size / perLine * 1.05) + 1024);
        HeapCheck.require(BYTES_PER_EVENT * expected, "sorting the listening events", String.format(Locale.ROOT,
                "about %,d events, %d bytes each", expected, BYTES_PER_EVENT));
        return (int) expected;
    }

    /**
     * Names (UTF-8 bytes) numbered in the order they are first added: an open-addressing hash table over one byte
     * pool, so that a name seen again (a user's or a track's millionth play) costs no allocation at all.
     */
    static final class Names {
        private byte[] pool = new byte[1 << 16];
        /** Name k is {@code pool[start[k] .. start[k+1])}. */
        private int[] start = new int[1 << 10];
        private int count;
        /**
         * Two longs per hash slot, in one cache line: the name's hash (high 32 bits) and its number + 1 (low 32 bits;
         * 0: the slot is empty), then where its bytes start in the pool (high) and how many there are (low).
         */
        private long[] table = new long[2 << 11];

        int size() { return count; }

        /** The number of {@code b[from, to)}, or -1 when it was never added. */
        int find(byte[] b, int from, int to) {
            int h = hash(b, from, to), mask = table.length / 2 - 1;
            for (int i = h & mask; ; i = (i + 1) & mask) {
                long slot = table[2 * i];
                if (slot == 0) return -1;
                if ((int) (slot >>> 32) == h) {
                    long where = table[2 * i + 1];
                    int at = (int) (where >>> 32);
                    if (Arrays.equals(pool, at, at + (int) where, b, from, to)) return (int) slot - 1;
                }
            }
        }

        /** Adds {@code b[from, to)} (not there yet) and returns its number. */
        int add(byte[] b, int from, int to) {
            int len = to - from, at = start[count];
            if (at + (long) len > IntList.MAX_SIZE) throw new IllegalStateException("more than 2 GiB of names");
            if (at + len > pool.length) pool = Arrays.copyOf(pool, (int) Math.min(IntList.MAX_SIZE, Math.max(2L * pool.length, at + len)));
            System.arraycopy(b, from, pool, at, len);
            if (count + 2 > start.length) start = Arrays.copyOf(start, 2 * start.length);
            start[count + 1] = at + len;
            int k = count++;
            if (2L * count > table.length / 2) {
                long[] old = table;
                table = new long[2 * old.length];
                for (int i = 0; i < old.length; i += 2) if (old[i] != 0) put(old[i], old[i + 1]);
            }
            put((long) hash(b, from, to) << 32 | (k + 1), (long) at << 32 | len);
            return k;
        }

        private void put(long slot, long where) {
            int mask = table.length / 2 - 1;
            int i = (int) (slot >>> 32) & mask;
            while (table[2 * i] != 0) i = (i + 1) & mask;
            table[2 * i] = slot;
            table[2 * i + 1] = where;
        }

        String name(int k) {
            return new String(pool, start[k], start[k + 1] - start[k], StandardCharsets.UTF_8);
        }

        private static int hash(byte[] b, int from, int to) {
            int h = 0x9E3779B9;
            for (int i = from; i < to; i++) h = (h ^ b[i]) * 0x01000193;
            h ^= h >>> 16; // spread the high bits into the slot bits
            h *= 0x85EBCA6B;
            return h ^ (h >>> 13);
        }
    }

    /** The columns of the user, the track and the timestamp, from the header line. */
    private static int[] header(Path file, Lines lines, byte sep) {
        int[] from = new int[1 << 10], to = new int[1 << 10];
        int fields = lines.split(sep, from, to, from.length);
        int[] cols = {-1, -1, -1};
        String[] roles = {"user", "track", "timestamp"};
        List<Set<String>> names = List.of(USER, TRACK, TIME);
        for (int f = 0; f < fields; f++) {
            String name = lines.text(from[f], to[f], "column name").toLowerCase(Locale.ROOT);
            for (int r = 0; r < 3; r++) {
                if (!names.get(r).contains(name)) continue;
                if (cols[r] >= 0) {
                    throw lines.error(from[f] - lines.start + 1, "two columns name the " + roles[r] + " (fields " + (cols[r] + 1)
                            + " and " + (f + 1) + ")");
                }
                cols[r] = f;
            }
        }
        List<String> missing = new ArrayList<>();
        for (int r = 0; r < 3; r++) if (cols[r] < 0) missing.add(roles[r]);
        if (!missing.isEmpty()) {
            throw new DataFormatException(file, 1, 1, "the header line names no " + String.join(" and no ", missing)
                    + " column: listening events need a header naming user, track and timestamp columns");
        }
        return cols;
    }

    /** A file's lines as byte ranges of a buffer, with the fields of a line and their decoding. */
    private static final class Lines {
        final Path file;
        final InputStream in;
        byte[] buf = new byte[1 << 16];
        int pos, limit;
        boolean eof;
        long line;
        /** The current line is {@code buf[start, end)}, without its LF and a CR before it. */
        int start, end;
        byte[] unquoted = new byte[256];

        Lines(Path file, InputStream in) {
            this.file = file;
            this.in = in;
        }

        boolean next() throws IOException {
            int i = pos;
            while (true) {
                while (i < limit && buf[i] != '\n') i++;
                if (i < limit || eof && pos < limit) {
                    start = pos;
                    end = i;
                    pos = Math.min(limit, i + 1);
                    line++;
                    if (line == 1 && end - start >= 3 && (buf[start] & 0xFF) == 0xEF && (buf[start + 1] & 0xFF) == 0xBB
                            && (buf[start + 2] & 0xFF) == 0xBF) {
                        start += 3;
                    }
                    if (end > start && buf[end - 1] == '\r') end--;
                    return true;
                }
                if (eof) return false;
                int len = limit - pos;
                if (len == buf.length) {
                    if (len >= MAX_LINE) throw new DataFormatException(file, line + 1, 0, "a line longer than " + MAX_LINE + " bytes");
                    buf = Arrays.copyOf(buf, 2 * len);
                }
                System.arraycopy(buf, pos, buf, 0, len);
                i -= pos;
                limit = len;
                pos = 0;
                int got = in.read(buf, limit, buf.length - limit);
                if (got < 0) eof = true;
                else limit += got;
            }
        }

        int indexOf(byte b) {
            for (int i = start; i < end; i++) if (buf[i] == b) return i;
            return -1;
        }

        boolean isBlank() {
            for (int i = start; i < end; i++) if (buf[i] != ' ' && buf[i] != '\t' && buf[i] != '\r') return false;
            return true;
        }

        /**
         * Finds up to {@code max} fields; returns how many the line has (at most {@code max}). A quoted field's range
         * includes its quotes. A field's range excludes the spaces around it.
         */
        int split(byte sep, int[] from, int[] to, int max) {
            int f = 0, i = start;
            while (f < max) {
                int a = i;
                if (sep == ',' && skipSpaces(a) < end && buf[skipSpaces(a)] == '"') { // a quoted field
                    i = skipSpaces(a) + 1;
                    while (i < end && !(buf[i] == '"' && (i + 1 >= end || buf[i + 1] != '"'))) i += buf[i] == '"' ? 2 : 1;
                    if (i >= end) throw error(skipSpaces(a) - start + 1, "a quoted field has no closing quote");
                    i++;
                    while (i < end && buf[i] != sep) i++;
                } else {
                    while (i < end && buf[i] != sep) i++;
                }
                int s = skipSpaces(a), e = i;
                while (e > s && buf[e - 1] == ' ') e--;
                from[f] = s;
                to[f] = e;
                f++;
                if (i >= end) break;
                i++; // the separator
            }
            return f;
        }

        private int skipSpaces(int i) {
            while (i < end && buf[i] == ' ') i++;
            return i;
        }

        /** Field {@code [a, b)} as text: quotes removed, UTF-8 checked, not empty. */
        String text(int a, int b, String what) {
            unquote(a, b, what);
            check(a, what);
            return new String(fieldBytes, fieldFrom, fieldTo - fieldFrom, StandardCharsets.UTF_8);
        }

        /** Field {@code [a, b)}'s number in {@code names} (a new name is checked as {@link #text} checks it). */
        int intern(Names names, int a, int b, String what) {
            unquote(a, b, what);
            int id = names.find(fieldBytes, fieldFrom, fieldTo);
            if (id >= 0) return id;
            check(a, what);
            return names.add(fieldBytes, fieldFrom, fieldTo);
        }

        /** The field's bytes without quotes: {@code fieldBytes[fieldFrom, fieldTo)}. */
        private byte[] fieldBytes;
        private int fieldFrom, fieldTo;

        private void unquote(int a, int b, String what) {
            fieldBytes = buf;
            fieldFrom = a;
            fieldTo = b;
            if (b - a >= 2 && buf[a] == '"' && buf[b - 1] == '"') {
                if (unquoted.length < b - a) unquoted = new byte[b - a];
                int n = 0;
                for (int i = a + 1; i < b - 1; i++) {
                    unquoted[n++] = buf[i];
                    if (buf[i] == '"') i++; // "" is one quote
                }
                fieldBytes = unquoted;
                fieldFrom = 0;
                fieldTo = n;
            }
            if (fieldTo == fieldFrom) throw error(a - start + 1, "empty " + what);
        }

        /** The field is UTF-8 without control characters. */
        private void check(int a, String what) {
            int column = a - start + 1;
            byte[] bytes = fieldBytes;
            int to = fieldTo;
            for (int i = fieldFrom; i < to; ) {
                int n = Excerpt.utf8Length(bytes, i, to);
                if (n == 0) throw error(column, "not valid UTF-8 (byte " + String.format("0x%02X", bytes[i] & 0xFF) + ") in the " + what);
                if (n == 1 && (bytes[i] < 0x20 || bytes[i] == 0x7F)) {
                    throw error(column, "a control character (" + String.format("0x%02X", bytes[i]) + ") in the " + what
                            + ": is this a text file?");
                }
                i += n;
            }
        }

        /** Field {@code [a, b)} as milliseconds since 1970 UTC (see the class comment). */
        long time(int a, int b) {
            if (b - a >= 2 && buf[a] == '"' && buf[b - 1] == '"') {
                a++;
                b--;
            }
            long t = epoch(buf, a, b);
            if (t == Long.MIN_VALUE) t = iso(buf, a, b);
            if (t == Long.MIN_VALUE) {
                throw error(a - start + 1, "timestamp " + Excerpt.of(buf, a, b) + " is neither ISO-8601 (2024-05-01T12:34:56Z) nor "
                        + "a number of seconds or milliseconds since 1970");
            }
            return t;
        }

        DataFormatException error(long column, String message) {
            return new DataFormatException(file, line, (int) column, message);
        }
    }

    /** Epoch seconds (optionally with a fraction) or milliseconds; Long.MIN_VALUE when {@code b[from, to)} is not one. */
    static long epoch(byte[] b, int from, int to) {
        long v = 0;
        int i = from;
        for (; i < to && b[i] >= '0' && b[i] <= '9'; i++) {
            if (i - from == 18) return Long.MIN_VALUE;
            v = v * 10 + (b[i] - '0');
        }
        if (i == from) return Long.MIN_VALUE;
        boolean seconds = v < MILLIS_FROM;
        if (i == to) return epochMillis(v);
        if (b[i] != '.' || i + 1 == to) return Long.MIN_VALUE;
        long fraction = 0;
        int digits = 0;
        for (i++; i < to; i++, digits++) {
            if (b[i] < '0' || b[i] > '9') return Long.MIN_VALUE;
            if (digits < 3) fraction = fraction * 10 + (b[i] - '0');
        }
        for (int d = Math.min(digits, 3); d < 3; d++) fraction *= 10;
        return seconds ? v * 1000 + fraction : v;
    }

    /**
     * {@code YYYY-MM-DD(T| )HH:MM[:SS[.fff]][Z|+HH:MM|+HHMM|+HH]} in milliseconds since 1970 (UTC without an offset);
     * Long.MIN_VALUE when {@code b[from, to)} is not that.
     */
    static long iso(byte[] b, int from, int to) {
        int n = to - from;
        if (n < 16) return Long.MIN_VALUE;
        int year = digits(b, from, 4), month = digits(b, from + 5, 2), day = digits(b, from + 8, 2);
        int hour = digits(b, from + 11, 2), minute = digits(b, from + 14, 2);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || b[from + 4] != '-' || b[from + 7] != '-'
                || b[from + 10] != 'T' && b[from + 10] != ' ' && b[from + 10] != 't' || b[from + 13] != ':') {
            return Long.MIN_VALUE;
        }
        int i = from + 16, second = 0, millis = 0;
        if (i < to && b[i] == ':') {
            if (i + 3 > to) return Long.MIN_VALUE;
            second = digits(b, i + 1, 2);
            if (second < 0) return Long.MIN_VALUE;
            i += 3;
            if (i < to && (b[i] == '.' || b[i] == ',')) {
                int d = 0;
                for (i++; i < to && b[i] >= '0' && b[i] <= '9'; i++, d++) if (d < 3) millis = millis * 10 + (b[i] - '0');
                if (d == 0) return Long.MIN_VALUE;
                for (; d < 3; d++) millis *= 10;
            }
        }
        int offsetMinutes = 0;
        if (i < to) {
            if ((b[i] == 'Z' || b[i] == 'z') && i + 1 == to) {
                i++;
            } else if (b[i] == '+' || b[i] == '-') {
                int sign = b[i] == '-' ? -1 : 1;
                int hh = digits(b, i + 1, 2);
                int mm = 0;
                int rest = to - i - 3;
                if (hh < 0 || rest < 0) return Long.MIN_VALUE;
                if (rest == 3 && b[i + 3] == ':') mm = digits(b, i + 4, 2);
                else if (rest == 2) mm = digits(b, i + 3, 2);
                else if (rest != 0) return Long.MIN_VALUE;
                if (mm < 0 || hh > 18 || mm > 59) return Long.MIN_VALUE;
                offsetMinutes = sign * (hh * 60 + mm);
                i = to;
            } else {
                return Long.MIN_VALUE;
            }
        }
        if (i != to || hour > 23 || minute > 59 || second > 60) return Long.MIN_VALUE;
        long days;
        try {
            days = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            return Long.MIN_VALUE;
        }
        return (((days * 24 + hour) * 60 + minute - offsetMinutes) * 60 + second) * 1000 + millis;
    }

    /** {@code count} decimal digits at {@code b[at]}, or -1. */
    private static int digits(byte[] b, int at, int count) {
        if (at < 0 || at + count > b.length) return -1;
        int v = 0;
        for (int i = at; i < at + count; i++) {
            if (b[i] < '0' || b[i] > '9') return -1;
            v = v * 10 + (b[i] - '0');
        }
        return v;
    }
}
