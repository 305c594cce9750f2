package io.nexttrack.model;

import io.nexttrack.data.Playlists;
import java.util.Arrays;

/**
 * How radio playlists replay songs, counted on the training playlists: for a song of the history last played
 * {@code age} songs ago ({@code age = 1}: the song just played) and played {@code plays} times so far, the share
 * of training positions where it was the next song,
 * <pre>
 *   g(age, plays) = (replays + m * prior) / (chances + m)
 * </pre>
 * with ages above {@link #MAX_AGE} pooled, plays above {@link #MAX_PLAYS} pooled, and each cell smoothed towards the
 * mean over all cells ({@code prior}) by {@code m = }{@value #SMOOTHING} pseudo-chances. The sum of {@code g} over
 * the songs of a history estimates the chance that the next song is a replay; {@link Hybrid} uses it as its repeat
 * component. Immutable.
 */
public final class RepeatProfile {
    /** Ages 1..MAX_AGE are told apart; older plays count as MAX_AGE. */
    public static final int MAX_AGE = 100;
    /** Songs played 1, 2, ..., MAX_PLAYS or more times are told apart. */
    public static final int MAX_PLAYS = 3;
    /** Pseudo-chances that pull a sparse cell towards the mean. */
    static final double SMOOTHING = 10;

    private final float[] table; // [age * MAX_PLAYS + plays - 1], age 1..MAX_AGE (row 0 unused)

    private RepeatProfile(float[] table) {
        if (table.length != (MAX_AGE + 1) * MAX_PLAYS) {
            throw new IllegalArgumentException("a repeat table has " + (MAX_AGE + 1) * MAX_PLAYS + " cells, got " + table.length);
        }
        for (float v : table) if (!(v >= 0 && v <= 1)) throw new IllegalArgumentException("repeat probability outside [0, 1]: " + v);
        this.table = table;
    }

    /** Counts the replays of every position of the training playlists. */
    public static RepeatProfile fit(Playlists train) {
        int cells = (MAX_AGE + 1) * MAX_PLAYS;
        long[] replays = new long[cells], chances = new long[cells];
        int[] lastPlayed = new int[train.songCount()], plays = new int[train.songCount()];
        Arrays.fill(lastPlayed, -1);
        int[] distinct = new int[16];
        for (int p = 0; p < train.size(); p++) {
            int n = train.length(p), count = 0;
            for (int i = 0; i + 1 < n; i++) {
                int song = train.song(p, i);
                if (lastPlayed[song] < 0) {
                    if (count == distinct.length) distinct = Arrays.copyOf(distinct, 2 * count);
                    distinct[count++] = song;
                }
                lastPlayed[song] = i;
                plays[song]++;
                int next = train.song(p, i + 1);
                for (int x = 0; x < count; x++) {
                    int s = distinct[x], cell = cell(i + 1 - lastPlayed[s], plays[s]);
                    chances[cell]++;
                    if (s == next) replays[cell]++;
                }
            }
            for (int x = 0; x < count; x++) {
                lastPlayed[distinct[x]] = -1;
                plays[distinct[x]] = 0;
            }
        }
        long allReplays = Arrays.stream(replays).sum(), allChances = Arrays.stream(chances).sum();
        double prior = allChances == 0 ? 0 : (double) allReplays / allChances;
        float[] table = new float[cells];
        for (int c = MAX_PLAYS; c < cells; c++) table[c] = (float) ((replays[c] + SMOOTHING * prior) / (chances[c] + SMOOTHING));
        return new RepeatProfile(table);
    }

    /** The profile stored in a model file (its cells, as {@link #table()} gives them). */
    public static RepeatProfile of(float[] table) { return new RepeatProfile(table.clone()); }

    /** The cells, row by age (row 0 unused), {@link #MAX_PLAYS} per row. */
    public float[] table() { return table.clone(); }

    /** g(age, plays) for a song of the history: {@code age >= 1} songs since its last play, {@code plays >= 1}. */
    public float probability(int age, int plays) {
        if (age < 1 || plays < 1) throw new IllegalArgumentException("age and plays must be >= 1, got " + age + " and " + plays);
        return table[cell(age, plays)];
    }

    private static int cell(int age, int plays) {
        return Math.min(age, MAX_AGE) * MAX_PLAYS + Math.min(plays, MAX_PLAYS) - 1;
    }
}
