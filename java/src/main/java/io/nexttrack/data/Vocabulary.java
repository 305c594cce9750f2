package io.nexttrack.data;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/** Maps internal song ids {@code 0..size-1} to the external ids (tokens) the data used, and back; ids are unique. */
public final class Vocabulary {
    private final String[] external;
    private final Map<String, Integer> index;

    public Vocabulary(List<String> externalIds) {
        this.external = externalIds.toArray(String[]::new);
        this.index = HashMap.newHashMap(external.length);
        for (int i = 0; i < external.length; i++) {
            Integer first = index.putIfAbsent(external[i], i);
            if (first != null) {
                throw new IllegalArgumentException("song id " + io.nexttrack.io.Excerpt.of(external[i]) + " is listed twice (songs "
                        + first + " and " + i + ")");
            }
        }
    }

    /** A vocabulary whose external ids are the internal ones ("0", "1", ...). */
    public static Vocabulary identity(int size) {
        return new Vocabulary(java.util.stream.IntStream.range(0, size).mapToObj(Integer::toString).toList());
    }

    public int size() { return external.length; }

    public String externalId(int song) { return external[song]; }

    public OptionalInt lookup(String externalId) {
        Integer i = index.get(externalId);
        return i == null ? OptionalInt.empty() : OptionalInt.of(i);
    }

    public List<String> externalIds() { return List.of(external); }
}
