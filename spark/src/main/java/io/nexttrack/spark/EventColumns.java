package io.nexttrack.spark;

import io.nexttrack.data.ListeningEvents;
import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The user, track and timestamp columns of a table of listening events, found by the names {@code nexttrack data
 * import} accepts in a header line ({@link ListeningEvents#role}, any case), and each row's values read as that reader
 * reads a line's: user and track non-empty text (spaces around trimmed), the timestamp an ISO-8601 text or seconds or
 * milliseconds since 1970 ({@link ListeningEvents#parseTime}, {@link ListeningEvents#epochMillis}) or a Spark timestamp.
 */
record EventColumns(String user, String track, String timestamp, TimeKind kind) implements Serializable {
    /** How the timestamp column holds its values. */
    enum TimeKind { TEXT, NUMBER, TIMESTAMP }

    /** Finds the three columns; a missing or doubly named one, or a timestamp of another type, is a {@link SparkInputException}. */
    static EventColumns of(StructType schema) {
        String[] found = new String[3];
        List<String> roles = List.of("user", "track", "timestamp");
        for (StructField f : schema.fields()) {
            String role = ListeningEvents.role(f.name());
            if (role == null) continue;
            int r = roles.indexOf(role);
            if (found[r] != null) {
                throw new SparkInputException("two columns name the " + role + ": '" + found[r] + "' and '" + f.name() + "'");
            }
            found[r] = f.name();
        }
        List<String> missing = new ArrayList<>();
        for (int r = 0; r < 3; r++) if (found[r] == null) missing.add(roles.get(r));
        if (!missing.isEmpty()) {
            throw new SparkInputException("the events have no " + String.join(" and no ", missing) + " column (columns: "
                    + String.join(", ", Arrays.asList(schema.fieldNames())) + "); listening events need user, track and "
                    + "timestamp columns, named as for nexttrack data import (e.g. user_id, track_id, timestamp)");
        }
        DataType t = schema.apply(found[2]).dataType();
        TimeKind kind;
        if (t.equals(DataTypes.StringType)) kind = TimeKind.TEXT;
        else if (t.equals(DataTypes.LongType) || t.equals(DataTypes.IntegerType) || t.equals(DataTypes.ShortType)) kind = TimeKind.NUMBER;
        else if (t.equals(DataTypes.TimestampType) || t.equals(DataTypes.TimestampNTZType)) kind = TimeKind.TIMESTAMP;
        else {
            throw new SparkInputException("column '" + found[2] + "' (the timestamp) has type " + t.simpleString()
                    + "; expected text (ISO-8601 or seconds/milliseconds since 1970), an integer or a timestamp");
        }
        return new EventColumns(found[0], found[1], found[2], kind);
    }

    /** Field 0 (user) or 1 (track) of a row of (user, track, timestamp): trimmed, not null or empty. */
    String text(Row row, int field) {
        String name = field == 0 ? user : track, role = field == 0 ? "user" : "track";
        Object v = row.get(field);
        if (v == null) throw new SparkInputException("column '" + name + "' (the " + role + ") is null in the row " + describe(row));
        String s = strip(v.toString());
        if (s.isEmpty()) throw new SparkInputException("column '" + name + "' (the " + role + ") is empty in the row " + describe(row));
        return s;
    }

    /** Field 2 of a row of (user, track, timestamp) in milliseconds since 1970 UTC. */
    long millis(Row row) {
        Object v = row.get(2);
        if (v == null) throw new SparkInputException("column '" + timestamp + "' (the timestamp) is null in the row " + describe(row));
        long t = switch (kind) {
            case TEXT -> ListeningEvents.parseTime(strip(quoted((String) v)));
            case NUMBER -> ((Number) v).longValue() >= 0 ? ListeningEvents.epochMillis(((Number) v).longValue()) : Long.MIN_VALUE;
            case TIMESTAMP -> switch (v) {
                case java.sql.Timestamp ts -> ts.getTime();
                case Instant i -> i.toEpochMilli();
                case LocalDateTime l -> l.toInstant(ZoneOffset.UTC).toEpochMilli();
                default -> throw new IllegalStateException("a timestamp of class " + v.getClass().getName());
            };
        };
        if (t == Long.MIN_VALUE) {
            throw new SparkInputException("column '" + timestamp + "' (the timestamp) holds '" + v + "' in the row " + describe(row)
                    + ": neither ISO-8601 (2024-05-01T12:34:56Z) nor a number of seconds or milliseconds since 1970");
        }
        return t;
    }

    /** The row as {@code (user=..., track=..., timestamp=...)}, each value cut to 80 characters. */
    String describe(Row row) {
        return "(" + user + "=" + show(row.get(0)) + ", " + track + "=" + show(row.get(1)) + ", " + timestamp + "=" + show(row.get(2)) + ")";
    }

    private static String show(Object v) {
        if (v == null) return "null";
        String s = v.toString();
        return "'" + (s.length() > 80 ? s.substring(0, 80) + "..." : s) + "'";
    }

    /** Spaces around trimmed, as the file reader trims them (tabs are separators there, and kept here). */
    private static String strip(String s) {
        int a = 0, b = s.length();
        while (a < b && s.charAt(a) == ' ') a++;
        while (b > a && s.charAt(b - 1) == ' ') b--;
        return s.substring(a, b);
    }

    /** A timestamp in quotes is read without them, as by the file reader. */
    private static String quoted(String s) {
        String t = strip(s);
        return t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1) : t;
    }
}
