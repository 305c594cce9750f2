package io.nexttrack.serve;

import io.nexttrack.data.Song;
import io.nexttrack.data.SongLookup;
import io.nexttrack.json.Json;
import io.nexttrack.recommend.Recommendation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What the endpoints answer, apart from HTTP: requests as parsed JSON in, JSON-ready maps out. */
final class Api {
    static final int MAX_HISTORY = 500;
    static final int MAX_K = 500;
    static final int MAX_LIST = 200;
    private static final Set<String> RECOMMEND_FIELDS = Set.of("history", "k", "exclude_seen");

    private Api() {}

    /** A request the client got wrong: answered 400 with the message (and, for song names, the candidates). */
    static final class BadRequest extends IllegalArgumentException {
        final List<Song> candidates;

        BadRequest(String message) { this(message, List.of()); }

        BadRequest(String message, List<Song> candidates) {
            super(message);
            this.candidates = candidates;
        }
    }

    /**
     * {@code POST /recommend}: {"history": [ids, "external ids" or "titles"], "k": 10, "exclude_seen": false}
     * -> the history as understood and the k most likely next songs with their probabilities.
     */
    static Map<String, Object> recommend(LiveModel.Snapshot model, BatchQueue queue, String body) throws InterruptedException {
        if (!(Json.parse(body) instanceof Map<?, ?> request)) throw new BadRequest("the body must be a JSON object");
        for (Object key : request.keySet()) {
            if (!RECOMMEND_FIELDS.contains(key)) throw new BadRequest("unknown field \"" + key + "\" (expected history, k, exclude_seen)");
        }
        if (!(request.get("history") instanceof List<?> names)) throw new BadRequest("\"history\" must be a list of songs");
        if (names.isEmpty()) throw new BadRequest("\"history\" needs at least one song");
        if (names.size() > MAX_HISTORY) throw new BadRequest("\"history\" has " + names.size() + " songs; at most " + MAX_HISTORY);
        int maxK = Math.min(MAX_K, model.songCount());
        int k = request.containsKey("k") ? integer(request.get("k"), "\"k\"") : Math.min(10, maxK);
        if (k < 1 || k > maxK) throw new BadRequest("\"k\" must be between 1 and " + maxK);
        Object exclude = request.containsKey("exclude_seen") ? request.get("exclude_seen") : Boolean.FALSE;
        if (!(exclude instanceof Boolean excludeSeen)) throw new BadRequest("\"exclude_seen\" must be true or false");

        List<Song> history = new ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i++) history.add(song(model.songs(), names.get(i), "history[" + i + "]"));
        int[] ids = history.stream().mapToInt(Song::id).toArray();
        List<Recommendation> next = queue.recommend(model.recommender(), ids, k, excludeSeen);

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model_version", model.version());
        out.put("history", history.stream().map(Api::song).toList());
        List<Object> recommendations = new ArrayList<>(next.size());
        for (Recommendation r : next) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rank", r.rank());
            m.putAll(song(new Song(r.song(), r.externalId(), r.title(), r.artist())));
            m.put("probability", Math.exp(r.score()));
            m.put("log_probability", (double) r.score());
            recommendations.add(m);
        }
        out.put("recommendations", recommendations);
        return out;
    }

    /** A history entry: a number is an internal id; a string an external id, a title or "title - artist". */
    private static Song song(SongLookup songs, Object name, String where) {
        try {
            if (name instanceof Double d) {
                if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) throw new BadRequest(where + ": " + d + " is not a song id");
                return songs.song(d.intValue());
            }
            if (name instanceof String s) return songs.resolve(s, SongLookup.Ids.EXTERNAL);
        } catch (SongLookup.NotFound e) {
            String hint = switch (e.reason()) {
                case EXTERNAL_ID -> "; send external ids as strings";
                case INTERNAL_ID -> "; send internal ids as numbers";
                default -> "";
            };
            throw new BadRequest(where + ": " + e.getMessage() + hint, e.candidates());
        }
        throw new BadRequest(where + " must be a song id (number) or an external id or title (string)");
    }

    /** {@code GET /songs?search=TEXT&limit=N}: matching songs, best first; near misses when nothing matches. */
    static Map<String, Object> songs(LiveModel.Snapshot model, Map<String, String> query) {
        for (String key : query.keySet()) {
            if (!key.equals("search") && !key.equals("limit")) throw new BadRequest("unknown parameter '" + key + "' (expected search, limit)");
        }
        int limit = 20;
        if (query.containsKey("limit")) {
            try {
                limit = Integer.parseInt(query.get("limit"));
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIST) throw new BadRequest("limit must be between 1 and " + MAX_LIST);
        }
        String search = query.getOrDefault("search", "");
        List<Song> found = model.songs().search(search);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model_version", model.version());
        out.put("total", found.size());
        out.put("songs", found.stream().limit(limit).map(Api::song).toList());
        if (found.isEmpty()) out.put("suggestions", model.songs().suggestions(search).stream().map(Api::song).toList());
        return out;
    }

    /**
     * {@code GET /health}: the model serving, whether the newest file failed to load, and how many requests
     * were answered in how many batched model calls.
     */
    static Map<String, Object> health(LiveModel live, BatchQueue queue) {
        LiveModel.Snapshot m = live.current();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", "ok");
        out.put("model", live.file().toString());
        out.put("model_version", m.version());
        out.put("songs", m.songCount());
        out.put("loaded_at", m.loadedAt().toString());
        out.put("reload_error", live.reloadError().orElse(null));
        out.put("recommendations_served", queue.answered());
        out.put("model_calls", queue.calls());
        return out;
    }

    static Map<String, Object> error(String message, List<Song> candidates) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("error", message);
        if (!candidates.isEmpty()) out.put("candidates", candidates.stream().map(Api::song).toList());
        return out;
    }

    static Map<String, Object> song(Song s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("external_id", s.externalId());
        m.put("title", s.title());
        m.put("artist", s.artist());
        return m;
    }

    private static int integer(Object v, String what) {
        if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE) return d.intValue();
        throw new BadRequest(what + " must be a whole number");
    }
}
