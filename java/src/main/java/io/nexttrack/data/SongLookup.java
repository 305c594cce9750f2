package io.nexttrack.data;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * Finds songs the way people name them: by internal id, by the data's external id, or by title
 * ("Grenade") or "title - artist" ("Beautiful - Christina Aguilera"), ignoring case, accents,
 * punctuation and a parenthesised part such as "(w/ Drake)". A name that fits several songs, or none,
 * is a {@link NotFound} whose message lists the candidates or the closest titles ("did you mean").
 * {@link #search} lists the songs matching some words, best matches first. Immutable and thread-safe.
 *
 * <pre>{@code
 * SongLookup songs = new SongLookup(model.vocabulary(), model.catalog());
 * Song s = songs.resolve("aston martin music", SongLookup.Ids.INTERNAL);   // id 1 in yes_small
 * }</pre>
 */
public final class SongLookup {
    /** How {@link #resolve} reads a query that is a number or an exact external id. */
    public enum Ids {
        /** Digits are internal ids (0-based); other exact external ids (e.g. "s12" tokens) are accepted too. */
        INTERNAL,
        /** Exact external ids as in the data; digits are never internal ids. */
        EXTERNAL
    }

    /** Why a query named no single song. */
    public enum Reason {
        /** Nothing has this id or name; the candidates are the closest titles (possibly none). */
        UNKNOWN,
        /** The name fits several songs: the candidates. */
        AMBIGUOUS,
        /** Digits read as an internal id are out of range but are a song's external id: the candidate. */
        EXTERNAL_ID,
        /** Digits read as an external id are none, but are a song's internal id: the candidate. */
        INTERNAL_ID
    }

    /** A query that names no single song; the message lists the candidates. */
    public static final class NotFound extends IllegalArgumentException {
        private final String query;
        private final Reason reason;
        private final List<Song> candidates;

        NotFound(String query, Reason reason, List<Song> candidates, String message) {
            super(message);
            this.query = query;
            this.reason = reason;
            this.candidates = List.copyOf(candidates);
        }

        public String query() { return query; }

        public Reason reason() { return reason; }

        /** The songs meant, or the closest ones, best first. */
        public List<Song> candidates() { return candidates; }
    }

    /** Candidates named in a message; more are counted. */
    private static final int LISTED = 6;
    /** "Did you mean" suggestions. */
    private static final int SUGGESTED = 5;

    private final Vocabulary vocabulary;
    private final Song[] songs;
    /** Per song: the title and artist lower-cased with spaces collapsed (exact match up to case). */
    private final String[] plainTitle, plainArtist;
    /** Per song: letters and digits only (accents, punctuation and spaces dropped), and the title without "(...)". */
    private final String[] compactTitle, compactShortTitle, compactArtist;
    /** Per song: title and artist as lower-case words, each after a space, for {@link #search}. */
    private final String[] titleWords, artistWords;

    public SongLookup(Vocabulary vocabulary, SongCatalog catalog) {
        if (catalog.size() != vocabulary.size()) {
            throw new IllegalArgumentException("catalogue has " + catalog.size() + " songs, vocabulary " + vocabulary.size());
        }
        int n = vocabulary.size();
        this.vocabulary = vocabulary;
        this.songs = new Song[n];
        this.plainTitle = new String[n];
        this.plainArtist = new String[n];
        this.compactTitle = new String[n];
        this.compactShortTitle = new String[n];
        this.compactArtist = new String[n];
        this.titleWords = new String[n];
        this.artistWords = new String[n];
        for (int s = 0; s < n; s++) {
            Song song = new Song(s, vocabulary.externalId(s), catalog.title(s), catalog.artist(s));
            songs[s] = song;
            plainTitle[s] = plain(song.title());
            plainArtist[s] = plain(song.artist());
            titleWords[s] = " " + words(song.title());
            artistWords[s] = " " + words(song.artist());
            compactTitle[s] = titleWords[s].replace(" ", "");
            compactShortTitle[s] = compact(withoutBrackets(song.title()));
            compactArtist[s] = artistWords[s].replace(" ", "");
        }
    }

    public int size() { return songs.length; }

    /** The song with this internal id; an id out of range is a {@link NotFound} (with a hint if it is an external id). */
    public Song song(int id) {
        if (id >= 0 && id < songs.length) return songs[id];
        if (id < 0) throw new NotFound(Integer.toString(id), Reason.UNKNOWN, List.of(), "unknown song id " + id + " " + range());
        return byNumber(Integer.toString(id));
    }

    /** The song with this external id (exactly as in the data), if any. */
    public java.util.Optional<Song> byExternalId(String externalId) {
        OptionalInt s = vocabulary.lookup(externalId);
        return s.isPresent() ? java.util.Optional.of(songs[s.getAsInt()]) : java.util.Optional.empty();
    }

    /**
     * The one song a query names: an id (read as {@code ids} says), an exact external id, a title, or
     * "title - artist". Throws {@link NotFound} (an IllegalArgumentException) listing the candidates when
     * the name is ambiguous, or the closest titles when nothing fits.
     */
    public Song resolve(String query, Ids ids) {
        String q = query.strip();
        if (q.isEmpty()) throw new NotFound(query, Reason.UNKNOWN, List.of(), "a song name is empty");
        if (ids == Ids.INTERNAL && isDigits(q)) return byNumber(q);
        var external = byExternalId(q);
        if (external.isPresent()) return external.get();
        try {
            return byName(q);
        } catch (NotFound e) {
            if (ids == Ids.EXTERNAL && isDigits(q) && e.reason() == Reason.UNKNOWN && q.length() < 10
                    && Integer.parseInt(q) < songs.length) {
                Song s = songs[Integer.parseInt(q)];
                throw new NotFound(q, Reason.INTERNAL_ID, List.of(s), "no song has external id " + q + "; " + q
                        + " is the internal id of " + s);
            }
            throw e;
        }
    }

    /**
     * The internal ids of the songs {@code names} name, in order: {@link #resolve} with {@link Ids#INTERNAL} for each
     * (a name that fits several songs or none throws its {@link NotFound}).
     */
    public int[] ids(String... names) {
        int[] ids = new int[names.length];
        for (int i = 0; i < names.length; i++) ids[i] = resolve(names[i], Ids.INTERNAL).id();
        return ids;
    }

    /** Digits read as an internal id. */
    private Song byNumber(String digits) {
        if (digits.length() < 10) {
            int id = Integer.parseInt(digits);
            if (id < songs.length) return songs[id];
        }
        String range = range();
        var external = byExternalId(digits);
        if (external.isPresent()) {
            throw new NotFound(digits, Reason.EXTERNAL_ID, List.of(external.get()),
                    "unknown song id " + digits + " " + range + "; it is the external id of " + external.get());
        }
        throw new NotFound(digits, Reason.UNKNOWN, List.of(), "unknown song id " + digits + " " + range);
    }

    private String range() {
        return "(ids are 0.." + (songs.length - 1) + ")";
    }

    private Song byName(String q) {
        List<Song> found = named(q);
        if (found.size() == 1) return found.getFirst();
        if (!found.isEmpty()) {
            throw new NotFound(q, Reason.AMBIGUOUS, found, "'" + q + "' fits " + found.size() + " songs: " + list(found)
                    + "; name one by 'title - artist' or by id");
        }
        List<Song> close = suggestions(q);
        throw new NotFound(q, Reason.UNKNOWN, close, close.isEmpty()
                ? "no song named '" + q + "', and no title is close to it"
                : "no song named '" + q + "'; did you mean: " + list(close) + "?");
    }

    /** Songs with this title, or "title - artist" (split at any " - ", since titles may contain one themselves). */
    private List<Song> named(String q) {
        List<Song> found = byTitle(q, null);
        for (int at = q.lastIndexOf(" - "); found.isEmpty() && at > 0; at = q.lastIndexOf(" - ", at - 1)) {
            String title = q.substring(0, at), artist = q.substring(at + 3);
            if (!title.isBlank() && !artist.isBlank()) found = byTitle(title, artist);
        }
        return found;
    }

    /**
     * Songs whose title (and artist, if given) match, in the first of three ever looser ways that finds any:
     * equal up to case; equal in letters and digits; equal without a parenthesised part of the title.
     */
    private List<Song> byTitle(String title, String artist) {
        String pt = plain(title), pa = artist == null ? null : plain(artist);
        List<Song> found = new ArrayList<>();
        for (int s = 0; s < songs.length; s++) {
            if (pt.equals(plainTitle[s]) && (pa == null || pa.equals(plainArtist[s]))) found.add(songs[s]);
        }
        if (!found.isEmpty()) return found;
        String ct = compact(title), ca = artist == null ? null : compact(artist);
        if (ct.isEmpty() || (ca != null && ca.isEmpty())) return found;
        for (int s = 0; s < songs.length; s++) {
            if (ct.equals(compactTitle[s]) && (ca == null || ca.equals(compactArtist[s]))) found.add(songs[s]);
        }
        if (!found.isEmpty()) return found;
        for (int s = 0; s < songs.length; s++) {
            if (ct.equals(compactShortTitle[s]) && (ca == null || ca.equals(compactArtist[s]))) found.add(songs[s]);
        }
        return found;
    }

    /**
     * The titles closest to a name that matched nothing, best first: those within a few typing errors
     * (edit distance, with swaps, at most a third of the name's length), then those containing the name.
     */
    public List<Song> suggestions(String query) {
        String q = compact(query);
        if (q.isEmpty()) return List.of();
        int limit = Math.max(1, q.length() / 3);
        record Scored(Song song, int distance, int extra) {}
        List<Scored> scored = new ArrayList<>();
        for (int s = 0; s < songs.length; s++) {
            String[] forms = {compactTitle[s], compactShortTitle[s], compactTitle[s] + compactArtist[s],
                    compactShortTitle[s] + compactArtist[s]};
            int best = Integer.MAX_VALUE, extra = Integer.MAX_VALUE;
            for (String form : forms) {
                if (form.isEmpty()) continue;
                int d = EditDistance.within(q, form, limit);
                if (d < best) best = d;
                if (q.length() >= 3 && form.contains(q)) extra = Math.min(extra, form.length() - q.length());
            }
            if (best <= limit) scored.add(new Scored(songs[s], best, 0));
            else if (extra != Integer.MAX_VALUE) scored.add(new Scored(songs[s], limit + 1, extra));
        }
        scored.sort(Comparator.comparingInt(Scored::distance).thenComparingInt(Scored::extra)
                .thenComparingInt(x -> x.song().id()));
        return scored.stream().limit(SUGGESTED).map(Scored::song).toList();
    }

    /**
     * Songs matching {@code text}, best first: the song with this id or external id, exact titles, titles
     * starting with the text, artists starting with it, then titles, artists, and both together with a word
     * starting with each word of the text (ties by id). Blank text lists every song.
     */
    public List<Song> search(String text) {
        String q = text.strip();
        if (q.isEmpty()) return List.of(songs);
        String[] wanted = words(q).split(" ");
        String cq = compact(q);
        int[] rank = new int[songs.length];
        for (Song s : named(q)) rank[s.id()] = 2;
        if (isDigits(q) && q.length() < 10 && Integer.parseInt(q) < songs.length) rank[Integer.parseInt(q)] = 1;
        byExternalId(q).ifPresent(s -> rank[s.id()] = 1);
        List<Song> found = new ArrayList<>();
        for (int s = 0; s < songs.length; s++) {
            if (rank[s] == 0) {
                if (!cq.isEmpty() && compactTitle[s].startsWith(cq)) rank[s] = 3;
                else if (!cq.isEmpty() && compactArtist[s].startsWith(cq)) rank[s] = 4;
                else if (containsAll(titleWords[s], wanted)) rank[s] = 5;
                else if (containsAll(artistWords[s], wanted)) rank[s] = 6;
                else if (containsAll(titleWords[s] + artistWords[s], wanted)) rank[s] = 7;
            }
            if (rank[s] > 0) found.add(songs[s]);
        }
        found.sort(Comparator.<Song>comparingInt(s -> rank[s.id()]).thenComparingInt(Song::id));
        return found;
    }

    /** Whether every word starts a word of {@code text} (words each after a space). */
    private static boolean containsAll(String text, String[] words) {
        for (String w : words) if (w.isEmpty() || !text.contains(" " + w)) return false;
        return true;
    }

    private static String list(List<Song> songs) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(LISTED, songs.size()); i++) b.append(i == 0 ? "" : "; ").append(songs.get(i));
        if (songs.size() > LISTED) b.append("; and ").append(songs.size() - LISTED).append(" more");
        return b.toString();
    }

    private static boolean isDigits(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        return true;
    }

    /** Lower case, whitespace collapsed: equal up to case. */
    static String plain(String s) {
        return s.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }

    /** Lower-case words of letters and digits: accents dropped, apostrophes removed ("don't" = "dont"), other marks split words. */
    static String words(String s) {
        String d = Normalizer.normalize(s, Normalizer.Form.NFKD);
        StringBuilder b = new StringBuilder(d.length());
        boolean gap = false;
        for (int i = 0; i < d.length(); ) {
            int c = d.codePointAt(i);
            i += Character.charCount(c);
            if (Character.getType(c) == Character.NON_SPACING_MARK || c == '\'' || c == '\u2019' || c == '\u2018' || c == '`') continue;
            if (Character.isLetterOrDigit(c)) {
                if (gap && !b.isEmpty()) b.append(' ');
                gap = false;
                b.appendCodePoint(Character.toLowerCase(c));
            } else {
                gap = true;
            }
        }
        return b.toString();
    }

    static String compact(String s) {
        return words(s).replace(" ", "");
    }

    /** The title without parenthesised or bracketed parts: "Aston Martin Music (w/ Drake)" -> "Aston Martin Music". */
    static String withoutBrackets(String s) {
        return s.replaceAll("\\([^)]*\\)|\\[[^]]*]", " ");
    }

    /** Optimal-string-alignment distance (edits and adjacent swaps), computed only as far as a limit. */
    static final class EditDistance {
        private EditDistance() {}

        /** The distance if it is at most {@code limit}, else {@code limit + 1}. */
        static int within(String a, String b, int limit) {
            int n = a.length(), m = b.length();
            if (Math.abs(n - m) > limit) return limit + 1;
            int[] before = new int[m + 1], previous = new int[m + 1], current = new int[m + 1];
            for (int j = 0; j <= m; j++) previous[j] = j;
            for (int i = 1; i <= n; i++) {
                current[0] = i;
                int rowMin = i;
                for (int j = 1; j <= m; j++) {
                    int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                    int v = Math.min(Math.min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                    if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                        v = Math.min(v, before[j - 2] + 1);
                    }
                    current[j] = v;
                    rowMin = Math.min(rowMin, v);
                }
                if (rowMin > limit) return limit + 1;
                int[] t = before;
                before = previous;
                previous = current;
                current = t;
            }
            return Math.min(previous[m], limit + 1);
        }
    }
}
