package io.nexttrack.data;

/** Playlists together with what is known about their songs. */
public record Dataset(Vocabulary vocabulary, Playlists playlists, SongCatalog catalog) {

    public int songCount() { return vocabulary.size(); }

    public Dataset withCatalog(SongCatalog c) { return new Dataset(vocabulary, playlists, c); }

    public Dataset withPlaylists(Playlists p) { return new Dataset(vocabulary, p, catalog); }
}
