package io.nexttrack.data;

import static org.junit.jupiter.api.Assertions.*;

import io.nexttrack.YesData;
import io.nexttrack.data.SongLookup.Ids;
import io.nexttrack.data.SongLookup.NotFound;
import io.nexttrack.data.SongLookup.Reason;
import java.util.List;
import org.junit.jupiter.api.Test;

class SongLookupTest {
    /** A hand-made catalogue with the hard cases: duplicates, a dash in a title, accents, a numeric title and ids. */
    static SongLookup songs() {
        String[][] rows = {
            {"e0", "Grenade", "Bruno Mars"},
            {"17277121", "Aston Martin Music (w/ Drake & Chrisette Michelle)", "Rick Ross"},
            {"e2", "Beautiful", "Christina Aguilera"},
            {"e3", "Beautiful", "MercyMe"},
            {"e4", "Undone - The Sweater Song", "Weezer"},
            {"e5", "Déjà Vu", "Beyoncé"},
            {"e6", "Don't Stop Believin'", "Journey"},
            {"5", "22", "Taylor Swift"},
            {"e8", "Beautiful", "MercyMe"},
            {"e9", "Nothing On You (w/ Bruno Mars)", "B.o.B."},
        };
        String[] ids = new String[rows.length], titles = new String[rows.length], artists = new String[rows.length];
        for (int i = 0; i < rows.length; i++) {
            ids[i] = rows[i][0];
            titles[i] = rows[i][1];
            artists[i] = rows[i][2];
        }
        return new SongLookup(new Vocabulary(List.of(ids)), new SongCatalog(titles, artists));
    }

    static int id(SongLookup s, String query) {
        return s.resolve(query, Ids.INTERNAL).id();
    }

    static NotFound missing(SongLookup s, String query, Ids ids) {
        return assertThrows(NotFound.class, () -> s.resolve(query, ids), query);
    }

    static List<Integer> ids(List<Song> songs) {
        return songs.stream().map(Song::id).toList();
    }

    @Test
    void idsAndExternalIds() {
        SongLookup s = songs();
        assertEquals(3, id(s, "3"));
        assertEquals(5, id(s, "5"), "digits are internal ids by default");
        assertEquals(7, s.resolve("5", Ids.EXTERNAL).id(), "and external ids when asked");
        assertEquals(2, id(s, "e2"), "a non-numeric external id needs no flag");
        assertEquals(1, s.resolve("17277121", Ids.EXTERNAL).id());
        assertEquals("Grenade - Bruno Mars (id 0, external id e0)", s.song(0).toString());
    }

    @Test
    void anExternalIdReadAsAnIdGetsTheHint() {
        NotFound e = missing(songs(), "17277121", Ids.INTERNAL);
        assertEquals(Reason.EXTERNAL_ID, e.reason());
        assertEquals(List.of(1), ids(e.candidates()));
        assertTrue(e.getMessage().contains("unknown song id 17277121 (ids are 0..9); it is the external id of Aston Martin Music"),
                e.getMessage());
        NotFound internal = missing(songs(), "3", Ids.EXTERNAL);
        assertEquals(Reason.INTERNAL_ID, internal.reason());
        assertEquals(List.of(3), ids(internal.candidates()));
        NotFound range = missing(songs(), "99", Ids.INTERNAL);
        assertEquals(Reason.UNKNOWN, range.reason());
        assertEquals("unknown song id 99 (ids are 0..9)", range.getMessage());
        assertThrows(NotFound.class, () -> songs().song(-1));
        assertThrows(NotFound.class, () -> songs().song(10));
    }

    @Test
    void titlesIgnoreCaseAccentsPunctuationAndFeaturedArtists() {
        SongLookup s = songs();
        assertEquals(0, id(s, "grenade"));
        assertEquals(0, id(s, "  GRENADE "));
        assertEquals(1, id(s, "Aston Martin Music"));
        assertEquals(1, id(s, "aston martin music (w/ drake & chrisette michelle)"));
        assertEquals(5, id(s, "deja vu"));
        assertEquals(6, id(s, "dont stop believin"));
        assertEquals(7, s.resolve("22", Ids.EXTERNAL).id(), "a numeric title, where digits are not ids");
        assertEquals(4, id(s, "Undone - The Sweater Song"), "a dash inside a title");
        assertEquals(4, id(s, "undone - the sweater song - weezer"));
        assertEquals(0, id(s, "Grenade - Bruno Mars"));
    }

    @Test
    void anAmbiguousTitleListsTheCandidates() {
        SongLookup s = songs();
        NotFound e = missing(s, "beautiful", Ids.INTERNAL);
        assertEquals(Reason.AMBIGUOUS, e.reason());
        assertEquals(List.of(2, 3, 8), ids(e.candidates()));
        assertTrue(e.getMessage().startsWith("'beautiful' fits 3 songs: Beautiful - Christina Aguilera (id 2, external id e2); "
                + "Beautiful - MercyMe (id 3, external id e3); Beautiful - MercyMe (id 8"), e.getMessage());
        assertEquals(2, id(s, "Beautiful - Christina Aguilera"));
        assertEquals(List.of(3, 8), ids(missing(s, "beautiful - mercyme", Ids.INTERNAL).candidates()),
                "the same title and artist twice: only the id tells them apart");
    }

    @Test
    void nearMissesGetDidYouMean() {
        SongLookup s = songs();
        NotFound typo = missing(s, "Grenad", Ids.INTERNAL);
        assertEquals(Reason.UNKNOWN, typo.reason());
        assertEquals(0, typo.candidates().getFirst().id());
        assertEquals("no song named 'Grenad'; did you mean: Grenade - Bruno Mars (id 0, external id e0)?", typo.getMessage());
        assertEquals(0, missing(s, "Grneade", Ids.INTERNAL).candidates().getFirst().id(), "swapped letters");
        assertEquals(1, missing(s, "Aston Martin", Ids.INTERNAL).candidates().getFirst().id(), "a title containing the name");
        assertEquals(2, missing(s, "Beautiful - Christina Aguillera", Ids.INTERNAL).candidates().getFirst().id());
        NotFound nothing = missing(s, "xyzzy plugh", Ids.INTERNAL);
        assertTrue(nothing.candidates().isEmpty());
        assertEquals("no song named 'xyzzy plugh', and no title is close to it", nothing.getMessage());
        assertEquals("a song name is empty", missing(s, "  ", Ids.INTERNAL).getMessage());
    }

    @Test
    void searchRanksExactTitlesFirstAndMatchesArtists() {
        SongLookup s = songs();
        assertEquals(List.of(2, 3, 8), ids(s.search("beautiful")));
        assertEquals(List.of(0, 9), ids(s.search("bruno")), "the artist's songs before those featuring them");
        assertEquals(List.of(9, 0), ids(s.search("mars")), "words in titles before words in artists");
        assertEquals(List.of(0), ids(s.search("mars grenade")));
        assertEquals(List.of(4), ids(s.search("sweater")));
        assertEquals(List.of(6), ids(s.search("don't stop")));
        assertEquals(List.of(5, 7), ids(s.search("5")), "internal id 5 and external id 5, both exact, by id");
        assertEquals(10, s.search("").size());
        assertTrue(s.search("zzz").isEmpty());
        assertTrue(s.search("ton").isEmpty(), "words match from their start: 'ton' is not in 'Aston'");
    }

    @Test
    void yesSmall() throws Exception {
        Dataset d = PlaylistReader.read(YesData.require());
        SongLookup s = new SongLookup(d.vocabulary(), d.catalog());
        Song grenade = s.resolve("Grenade", Ids.INTERNAL);
        assertEquals("Bruno Mars", grenade.artist());
        assertEquals(1, s.resolve("aston martin music", Ids.INTERNAL).id());
        assertEquals(grenade, s.resolve("grenade - bruno mars", Ids.INTERNAL));
        NotFound beautiful = missing(s, "Beautiful", Ids.INTERNAL);
        assertEquals(Reason.AMBIGUOUS, beautiful.reason());
        assertTrue(ids(beautiful.candidates()).containsAll(List.of(1379, 2064, 2668)), beautiful.getMessage());
        assertEquals(1379, s.resolve("Beautiful - Christina Aguilera", Ids.INTERNAL).id());
        assertEquals(List.of(2415, 2665), ids(missing(s, "All In - Lifehouse", Ids.INTERNAL).candidates()));
        assertEquals(grenade, missing(s, "Grenad", Ids.INTERNAL).candidates().getFirst());
        NotFound external = missing(s, "17277121", Ids.INTERNAL);
        assertEquals(Reason.EXTERNAL_ID, external.reason());
        assertEquals(1, external.candidates().getFirst().id());
        assertEquals(grenade, s.search("bruno mars grenade").getFirst());
        assertTrue(s.search("bruno mars").contains(grenade));
    }
}
