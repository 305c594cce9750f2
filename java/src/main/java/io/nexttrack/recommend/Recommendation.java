package io.nexttrack.recommend;

/**
 * One recommended song.
 *
 * @param song       internal song id (0-based)
 * @param externalId the id the data used for it
 * @param score      log-probability of being the next song
 */
public record Recommendation(int rank, int song, String externalId, String title, String artist, float score) {}
