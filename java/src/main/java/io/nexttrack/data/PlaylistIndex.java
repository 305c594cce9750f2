package io.nexttrack.data;

import java.util.Arrays;

/**
 * Playlists as sets: the distinct songs of each playlist, and the inverted index song -> playlists that
 * contain it (each playlist listed once, ascending). The neighbourhood methods (item-kNN, session-kNN) work on
 * these binary incidences.
 */
public final class PlaylistIndex {
    public final int playlistCount;
    public final int songCount;
    /** Distinct songs of playlist p: {@code setSongs[setOffsets[p] .. setOffsets[p+1])}, ascending. */
    public final int[] setOffsets;
    public final int[] setSongs;
    /** Playlists containing song s: {@code postPlaylists[postOffsets[s] .. postOffsets[s+1])}, ascending. */
    public final int[] postOffsets;
    public final int[] postPlaylists;

    public PlaylistIndex(Playlists playlists) {
        playlistCount = playlists.size();
        songCount = playlists.songCount();
        setOffsets = new int[playlistCount + 1];
        int[] sets = new int[Math.toIntExact(playlists.tokens())];
        int n = 0;
        for (int p = 0; p < playlistCount; p++) {
            int[] songs = playlists.playlist(p);
            Arrays.sort(songs);
            for (int i = 0; i < songs.length; i++) if (i == 0 || songs[i] != songs[i - 1]) sets[n++] = songs[i];
            setOffsets[p + 1] = n;
        }
        setSongs = Arrays.copyOf(sets, n);
        postOffsets = new int[songCount + 1];
        for (int s : setSongs) postOffsets[s + 1]++;
        for (int s = 0; s < songCount; s++) postOffsets[s + 1] += postOffsets[s];
        postPlaylists = new int[n];
        int[] fill = Arrays.copyOf(postOffsets, songCount);
        for (int p = 0; p < playlistCount; p++) { // ascending p, so each posting list comes out sorted
            for (int j = setOffsets[p]; j < setOffsets[p + 1]; j++) postPlaylists[fill[setSongs[j]]++] = p;
        }
    }

    public int setSize(int p) { return setOffsets[p + 1] - setOffsets[p]; }

    /** Number of playlists containing song s. */
    public int frequency(int s) { return postOffsets[s + 1] - postOffsets[s]; }
}
