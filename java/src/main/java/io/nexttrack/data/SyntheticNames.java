package io.nexttrack.data;

/**
 * Made-up but readable song titles ("Velvet River") and artist names ("The Silver Foxes"), a pure
 * function of the id. Word pairs repeat only after all combinations are used; then a number is added.
 */
final class SyntheticNames {
    private static final String[] TITLE_A = {
        "Velvet", "Electric", "Golden", "Midnight", "Broken", "Silent", "Neon", "Paper", "Wild", "Crystal",
        "Lonely", "Burning", "Summer", "Winter", "Hollow", "Sweet", "Distant", "Restless", "Silver", "Frozen",
        "Little", "Endless", "Secret", "Falling", "Crazy", "Blue", "Shining", "Dancing", "Quiet", "Rolling",
        "Stolen", "Bitter"};
    private static final String[] TITLE_B = {
        "River", "Heart", "Highway", "Moon", "Fire", "Rain", "Dream", "Love", "Night", "Road",
        "Sky", "Letter", "Kiss", "Shadow", "Garden", "Train", "Ocean", "Light", "Morning", "City",
        "Thunder", "Mirror", "Window", "Promise", "Echo", "Radio", "Horizon", "Star", "Storm", "Memory",
        "Island", "Song"};
    private static final String[] ARTIST_A = {
        "Silver", "Crimson", "Black", "Lucky", "Velvet", "Howling", "Atomic", "Royal", "Painted", "Wandering",
        "Cosmic", "Rusty", "Northern", "Electric", "Golden", "Savage"};
    private static final String[] ARTIST_B = {
        "Foxes", "Owls", "Kings", "Rebels", "Tigers", "Ghosts", "Pilots", "Sisters", "Brothers", "Saints",
        "Wolves", "Lights", "Strangers", "Drifters", "Hearts", "Machines"};

    private SyntheticNames() {}

    static String title(int song) {
        return pair(song, TITLE_A, TITLE_B, "");
    }

    static String artist(int artist) {
        return pair(artist, ARTIST_A, ARTIST_B, "The ");
    }

    /** Both lists have power-of-two sizes, so multiplying by an odd number permutes the pairs. */
    private static String pair(int id, String[] first, String[] second, String prefix) {
        int combos = first.length * second.length;
        int k = (int) ((id * 0x9E3779B1L) & (combos - 1));
        int round = id / combos;
        String name = prefix + first[k / second.length] + " " + second[k % second.length];
        return round == 0 ? name : name + " " + (round + 1);
    }
}
