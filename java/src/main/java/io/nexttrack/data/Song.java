package io.nexttrack.data;

/**
 * A song as people name it: internal id (0-based), the data's external id, title and artist (empty when
 * the data has none).
 */
public record Song(int id, String externalId, String title, String artist) {

    /** "title - artist", or the external id for data without titles. */
    public String label() {
        if (title.isEmpty()) return externalId;
        return artist.isEmpty() ? title : title + " - " + artist;
    }

    /** The label with the ids, as listed in messages: {@code Grenade - Bruno Mars (id 2018, external id 17555081)}. */
    @Override
    public String toString() {
        return label() + " (id " + id + (label().equals(externalId) ? "" : ", external id " + externalId) + ")";
    }
}
