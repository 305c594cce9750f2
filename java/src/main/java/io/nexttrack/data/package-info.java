/**
 * Playlist data: reading ({@link io.nexttrack.data.PlaylistReader}), generating
 * ({@link io.nexttrack.data.SyntheticPlaylists}), splitting ({@link io.nexttrack.data.Split}), the songs' names
 * ({@link io.nexttrack.data.SongCatalog}, {@link io.nexttrack.data.SongLookup}) and the chunks the engines read
 * ({@link io.nexttrack.data.Batch}, {@link io.nexttrack.data.Batcher}).
 */
package io.nexttrack.data;
