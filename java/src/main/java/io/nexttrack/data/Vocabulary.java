package io.nexttrack.data;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Maps internal song ids {@code 0..size-1} to the external ids (tokens) the data used, and back; ids are unique.
 * A vocabulary read from a {@link PlaylistStore} decodes its ids when asked and builds the reverse index on the
 * first {@link #lookup}.
 */
public final class Vocabulary {
    private final String[] external;
    /** The store's ids (null unless read from a store; then external is null). */
    private final StringTable table;
    private volatile Map<String, Integer> index;

    public Vocabulary(List<String> externalIds) {
        this.external = externalIds.toArray(String[]::new);
        this.table = null;
        this.index = index(external.length, i -> external[i]);
    }

    Vocabulary(StringTable table) {
        this.external = null;
        this.table = table;
    }

    private static Map<String, Integer> index(int size, java.util.function.IntFunction<String> id) {
        Map<String, Integer> index = HashMap.newHashMap(size);
        for (int i = 0; i < size; i++) {
            Integer first = index.putIfAbsent(id.apply(i), i);
            if (first != null) {
                throw new IllegalArgumentException("song id " + io.nexttrack.io.Excerpt.of(id.apply(i)) + " is listed twice (songs "
                        + first + " and " + i + ")");
            }
        }
        return index;
    }

    /** A vocabulary whose external ids are the internal ones ("0", "1", ...). */
    public static Vocabulary identity(int size) {
        return new Vocabulary(java.util.stream.IntStream.range(0, size).mapToObj(Integer::toString).toList());
    }

    public int size() { return external != null ? external.length : table.size(); }

    public String externalId(int song) { return external != null ? external[song] : table.get(song); }

    public OptionalInt lookup(String externalId) {
        Map<String, Integer> m = index;
        if (m == null) {
            synchronized (this) {
                if (index == null) index = index(table.size(), table::get);
                m = index;
            }
        }
        Integer i = m.get(externalId);
        return i == null ? OptionalInt.empty() : OptionalInt.of(i);
    }

    public List<String> externalIds() {
        if (external != null) return List.of(external);
        return new java.util.AbstractList<>() {
            @Override public String get(int i) { return table.get(java.util.Objects.checkIndex(i, table.size())); }

            @Override public int size() { return table.size(); }
        };
    }
}
