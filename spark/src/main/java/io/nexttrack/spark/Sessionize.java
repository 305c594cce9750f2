package io.nexttrack.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.monotonically_increasing_id;

import io.nexttrack.data.DataFormatException;
import io.nexttrack.data.PlaylistStore;
import io.nexttrack.data.Sessionizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Listening events cut into sessions on Spark, by the one definition of a session ({@link Sessionizer}, the rule of
 * {@code nexttrack data import}): the events are shuffled by user, sorted by time within each user (equal times in
 * the order of the input, as the file reader keeps them), and every user's events go through {@link Sessionizer}
 * inside the partition. Sessions come out as rows of {@link #SCHEMA}; {@link #writePlaylists} writes them as plain
 * playlist files (partitioned: every task writes its own part), {@link #writeStore} as the binary playlist store that
 * training reads (one file, written on the driver).
 *
 * <pre>{@code
 * Dataset<Row> events = spark.read().option("header", true).csv("events.csv");
 * Dataset<Row> sessions = Sessionize.sessions(events, Duration.ofMinutes(30), false);
 * Sessionize.writePlaylists(sessions, "hdfs:///playlists");
 * }</pre>
 */
public final class Sessionize {
    /**
     * A session: its user, the position of the user's first event in the input (users in the order they first appear,
     * as {@code data import} writes them), its number among the user's sessions (0, 1, ..., in time order) and its
     * tracks in order.
     */
    public static final StructType SCHEMA = new StructType()
            .add("user", DataTypes.StringType, false)
            .add("first_event", DataTypes.LongType, false)
            .add("session", DataTypes.IntegerType, false)
            .add("tracks", DataTypes.createArrayType(DataTypes.StringType, false), false);

    private static final StructType EVENTS = new StructType()
            .add("user", DataTypes.StringType, false)
            .add("track", DataTypes.StringType, false)
            .add("millis", DataTypes.LongType, false)
            .add("seq", DataTypes.LongType, false);

    private Sessionize() {}

    /**
     * The sessions of {@code events} (columns named as {@code data import} takes them: {@link EventColumns}); lazy, as
     * Spark's datasets are: a missing column fails here, a bad row when the sessions are computed (then as a
     * {@link SparkInputException} naming the column and the row, when run through {@link #writePlaylists} or
     * {@link #writeStore}).
     *
     * @param gap          a pause longer than this starts a new session ({@link Sessionizer#DEFAULT_GAP}: 30 minutes)
     * @param dropRepeats  drop a track played again right after itself in a session
     */
    public static Dataset<Row> sessions(Dataset<Row> events, Duration gap, boolean dropRepeats) {
        EventColumns columns = EventColumns.of(events.schema());
        long gapMillis = gap.toMillis();
        if (gapMillis < 0) throw new IllegalArgumentException("the session gap must not be negative, got " + gap);
        Dataset<Row> picked = events.select(col(Columns.quoted(columns.user())), col(Columns.quoted(columns.track())), col(Columns.quoted(columns.timestamp())),
                monotonically_increasing_id()); // increasing in input order: the tie-break of equal times
        Dataset<Row> parsed = picked.map((org.apache.spark.api.java.function.MapFunction<Row, Row>) row ->
                RowFactory.create(columns.text(row, 0), columns.text(row, 1), columns.millis(row), row.getLong(3)), Encoders.row(EVENTS));
        return parsed.repartition(col("user"))
                .sortWithinPartitions("user", "millis", "seq")
                .mapPartitions(new Cut(gapMillis, dropRepeats), Encoders.row(SCHEMA));
    }

    /** Cuts a partition's events (sorted by user, time, input order) into sessions, one user at a time. */
    private record Cut(long gapMillis, boolean dropRepeats) implements MapPartitionsFunction<Row, Row> {
        @Override
        public Iterator<Row> call(Iterator<Row> events) {
            return new Iterator<>() {
                private final ArrayDeque<Row> ready = new ArrayDeque<>();
                private Row next = events.hasNext() ? events.next() : null; // the first event of the next user
                private long[] times = new long[64];
                private int[] tracks = new int[64];

                @Override
                public boolean hasNext() {
                    while (ready.isEmpty() && next != null) cutUser();
                    return !ready.isEmpty();
                }

                @Override
                public Row next() {
                    if (!hasNext()) throw new NoSuchElementException();
                    return ready.poll();
                }

                private void cutUser() {
                    String user = next.getString(0);
                    long first = Long.MAX_VALUE;
                    Map<String, Integer> ids = new HashMap<>();
                    List<String> names = new ArrayList<>();
                    int n = 0;
                    while (next != null && next.getString(0).equals(user)) {
                        if (n == times.length) {
                            times = Arrays.copyOf(times, 2 * n);
                            tracks = Arrays.copyOf(tracks, 2 * n);
                        }
                        String track = next.getString(1);
                        Integer id = ids.get(track);
                        if (id == null) {
                            ids.put(track, id = names.size());
                            names.add(track);
                        }
                        times[n] = next.getLong(2);
                        tracks[n++] = id;
                        first = Math.min(first, next.getLong(3));
                        next = events.hasNext() ? events.next() : null;
                    }
                    Sessionizer.Result r = Sessionizer.sessions(times, tracks, 0, n, gapMillis, dropRepeats);
                    int number = 0;
                    for (int[] s : r.sessions()) {
                        String[] named = new String[s.length];
                        for (int i = 0; i < s.length; i++) named[i] = names.get(s[i]);
                        ready.add(RowFactory.create(user, first, number++, named));
                    }
                }
            };
        }
    }

    /** The sessions in the order {@code data import} writes them: users by their first event, then each user's in time order. */
    public static Dataset<Row> inImportOrder(Dataset<Row> sessions) {
        return sessions.orderBy("first_event", "session");
    }

    /**
     * Writes the sessions as plain playlist files, one session per line, tracks separated by spaces, in import order
     * ({@link #inImportOrder}): folder {@code out} with Spark's part files ({@code part-00000...txt}), which
     * {@code cat out/part-* > playlists.txt; nexttrack data import --data playlists.txt --format plain --out data.nts}
     * turns into the store {@code data import} makes of the events. Written into a temporary folder beside {@code out}
     * and renamed when complete: a failing job leaves no {@code out}. A track that the plain format cannot hold (one
     * with a space, comma or tab in it, or a session's first track starting with '#', which would make the line a
     * comment) is an error: use {@link #writeStore} for those.
     */
    public static void writePlaylists(Dataset<Row> sessions, String out) {
        SparkSession spark = sessions.sparkSession();
        Dataset<String> lines = inImportOrder(sessions).map((org.apache.spark.api.java.function.MapFunction<Row, String>) Sessionize::line,
                Encoders.STRING());
        Jobs.commit(spark, out, tmp -> lines.write().text(tmp));
    }

    static String line(Row session) {
        List<String> tracks = session.getList(3);
        StringBuilder b = new StringBuilder();
        for (String t : tracks) {
            for (int i = 0; i < t.length(); i++) {
                char c = t.charAt(i);
                if (c == ' ' || c == ',' || c == '\t' || c == '\r' || c == '\n' || b.isEmpty() && i == 0 && c == '#') {
                    throw new SparkInputException("track '" + t + "' (of user '" + session.getString(0) + "') cannot be written as a "
                            + "plain playlist (tracks are separated by spaces, commas or tabs, and a line starting with '#' is a "
                            + "comment): write the playlist store instead (Sessionize.writeStore)");
                }
            }
            if (!b.isEmpty()) b.append(' ');
            b.append(t);
        }
        return b.toString();
    }

    /** What {@link #writeStore} wrote. */
    public record Summary(long sessions, long plays, int songs) {}

    /**
     * Writes the sessions as one playlist store ({@link PlaylistStore}), byte for byte the store that
     * {@code nexttrack data import} makes of the same events: sessions in import order, songs numbered in the order
     * they are first written, external ids the track names. The store is one file, written on the driver from the
     * sessions streamed to it a partition at a time ({@code toLocalIterator}); atomically (a failure leaves no file).
     */
    public static Summary writeStore(Dataset<Row> sessions, java.nio.file.Path file) {
        Summary[] done = new Summary[1];
        Jobs.run(() -> {
            try {
                PlaylistStore.write(file, w -> {
                    Map<String, Integer> songs = new HashMap<>();
                    List<String> names = new ArrayList<>();
                    long n = 0;
                    for (Iterator<Row> it = inImportOrder(sessions).toLocalIterator(); it.hasNext(); ) {
                        List<String> tracks = it.next().getList(3);
                        for (String t : tracks) {
                            Integer id = songs.get(t);
                            if (id == null) {
                                songs.put(t, id = names.size());
                                names.add(t);
                            }
                            w.add(id);
                        }
                        w.endPlaylist();
                        n++;
                    }
                    if (n == 0) {
                        throw new DataFormatException(file, "no listening session of two tracks or more: is the session gap too short?");
                    }
                    w.finish(names.size(), names::get, s -> null, s -> null);
                    done[0] = new Summary(n, w.plays(), names.size());
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return null;
        });
        return done[0];
    }
}
