package io.nexttrack.serve;

import static org.junit.jupiter.api.Assertions.*;

import io.nexttrack.data.SongCatalog;
import io.nexttrack.data.Vocabulary;
import io.nexttrack.json.Json;
import io.nexttrack.model.TrainedModel;
import io.nexttrack.recommend.Recommendation;
import io.nexttrack.recommend.Recommender;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP service end to end over real sockets: answers, errors, concurrency and replacing the model while serving. */
class RecommendServerTest {
    @TempDir static Path dir;
    static TrainedModel model;
    static Recommender direct;
    static RecommendServer server;
    static final HttpClient client = HttpClient.newHttpClient();

    record Reply(int status, Map<?, ?> json) {}

    @BeforeAll
    static void start() throws Exception {
        model = ServeModels.trained();
        direct = new Recommender(model);
        Path file = dir.resolve("model.nt");
        model.save(file);
        server = RecommendServer.start(file, RecommendServer.Options.defaults(), line -> {});
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Reply post(RecommendServer s, String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(s.url().resolve(path)).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    static Reply get(RecommendServer s, String path) throws Exception {
        return send(HttpRequest.newBuilder(s.url().resolve(path)).GET().build());
    }

    static Reply send(HttpRequest request) throws Exception {
        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals("application/json; charset=utf-8", r.headers().firstValue("Content-Type").orElse(null), r.body());
        return new Reply(r.statusCode(), (Map<?, ?>) Json.parse(r.body()));
    }

    static List<?> list(Reply r, String key) {
        return (List<?>) r.json().get(key);
    }

    /** The song ids of a list of songs in a reply. */
    static List<Integer> ids(List<?> songs) {
        return songs.stream().map(s -> ((Double) ((Map<?, ?>) s).get("id")).intValue()).toList();
    }

    /** The reply's recommendations equal the library's: same songs in order, probability = exp(log-probability). */
    static void assertSameAsLibrary(Recommender expected, int[] history, int k, boolean exclude, Reply reply) {
        assertEquals(200, reply.status(), reply.json().toString());
        List<Recommendation> want = expected.recommend(history, k, exclude);
        List<?> got = list(reply, "recommendations");
        assertEquals(want.stream().map(Recommendation::song).toList(), ids(got));
        for (int i = 0; i < want.size(); i++) {
            Map<?, ?> g = (Map<?, ?>) got.get(i);
            assertEquals(i + 1.0, g.get("rank"));
            assertEquals(want.get(i).title(), g.get("title"));
            assertEquals(want.get(i).artist(), g.get("artist"));
            assertEquals(want.get(i).externalId(), g.get("external_id"));
            assertEquals(Math.exp(want.get(i).score()), (Double) g.get("probability"), 1e-6 * Math.exp(want.get(i).score()));
        }
    }

    @Test
    void recommendTakesIdsExternalIdsAndTitles() throws Exception {
        String title = model.catalog().title(3), artist = model.catalog().artist(3);
        String body = "{\"history\": [7, \"" + model.vocabulary().externalId(12) + "\", \"" + title + " - " + artist + "\"], "
                + "\"k\": 5, \"exclude_seen\": true}";
        Reply r = post(server, "recommend", body);
        assertSameAsLibrary(direct, new int[] {7, 12, 3}, 5, true, r);
        assertEquals(List.of(7, 12, 3), ids(list(r, "history")));
        assertEquals(title, ((Map<?, ?>) list(r, "history").get(2)).get("title"));
        assertEquals(1.0, r.json().get("model_version"));
        Reply defaults = post(server, "recommend", "{\"history\": [7, 7]}");
        assertSameAsLibrary(direct, new int[] {7, 7}, 10, false, defaults);
    }

    @Test
    void songsSearchAndHealth() throws Exception {
        String title = model.catalog().title(5);
        Reply found = get(server, "songs?search=" + java.net.URLEncoder.encode(title.toUpperCase(), StandardCharsets.UTF_8));
        assertEquals(200, found.status());
        assertTrue(ids(list(found, "songs")).contains(5), found.json().toString());
        assertEquals(model.catalog().title(ids(list(found, "songs")).getFirst()), title, "an exact title comes first");
        Reply all = get(server, "songs?limit=7");
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6), ids(list(all, "songs")));
        assertEquals(150.0, all.json().get("total"));
        Reply typo = get(server, "songs?search=" + title.substring(0, title.length() - 1).replace(' ', '+') + "q");
        assertEquals(0.0, typo.json().get("total"));
        assertTrue(ids(list(typo, "suggestions")).contains(5), typo.json().toString());
        Reply health = get(server, "health");
        assertEquals("ok", health.json().get("status"));
        assertEquals(150.0, health.json().get("songs"));
        assertNull(health.json().get("reload_error"));
    }

    @Test
    void badRequestsGet400WithAMessageAndTheServerGoesOn() throws Exception {
        String[][] cases = {
            {"{\"history\": [1,", "malformed JSON at character 16: a value was expected, the text ended"},
            {"[1, 2]", "the body must be a JSON object"},
            {"{\"history\": [1], \"excludeSeen\": true}", "unknown field \"excludeSeen\""},
            {"{\"k\": 3}", "\"history\" must be a list of songs"},
            {"{\"history\": []}", "needs at least one song"},
            {"{\"history\": " + Arrays.toString(new int[Api.MAX_HISTORY + 1]) + "}", "at most " + Api.MAX_HISTORY},
            {"{\"history\": [1], \"k\": 0}", "\"k\" must be between 1 and 150"},
            {"{\"history\": [1], \"k\": 2.5}", "\"k\" must be a whole number"},
            {"{\"history\": [1], \"exclude_seen\": \"yes\"}", "\"exclude_seen\" must be true or false"},
            {"{\"history\": [1, true]}", "history[1] must be a song id (number) or an external id or title (string)"},
            {"{\"history\": [1.5]}", "history[0]: 1.5 is not a song id"},
            {"{\"history\": [150]}", "history[0]: unknown song id 150 (ids are 0..149)"},
            {"{\"history\": [-1]}", "history[0]: unknown song id -1"},
            {"{\"history\": [\"no such song at all\"]}", "history[0]: no song named 'no such song at all'"},
        };
        for (String[] c : cases) {
            Reply r = post(server, "recommend", c[0]);
            assertEquals(400, r.status(), c[0]);
            assertTrue(((String) r.json().get("error")).contains(c[1]), c[0] + " -> " + r.json());
        }
        Reply notUtf8 = send(HttpRequest.newBuilder(server.url().resolve("recommend"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {'{', (byte) 0xff, '}'})).build());
        assertEquals(400, notUtf8.status());
        assertEquals(405, get(server, "recommend").status());
        assertEquals(404, get(server, "nowhere").status());
        assertEquals(400, get(server, "songs?limit=0").status());
        assertEquals(400, get(server, "songs?serch=x").status());
        assertEquals(200, get(server, "health").status());
    }

    /** POST /recommend answered by {@link RecommendServer#respond} with {@code route}; {@code log} hears what the server logs. */
    static Reply respondedBy(RecommendServer.Route route, List<String> log) throws Exception {
        com.sun.net.httpserver.HttpServer http = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", ex -> RecommendServer.respond(ex, route, log::add));
        http.start();
        try {
            return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/recommend"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        } finally {
            http.stop(0);
        }
    }

    @Test
    void anUnexpectedFailureIsAnswered500AndLogged() throws Exception {
        List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
        Reply r = respondedBy(e -> { throw new IllegalStateException("a bug"); }, log);
        assertEquals(500, r.status(), r.json().toString());
        assertEquals("internal error: IllegalStateException", r.json().get("error"));
        assertEquals(List.of("internal error on POST /recommend: java.lang.IllegalStateException: a bug"), log);
    }

    @Test
    void aRequestWhileStoppingIsAnswered503NotAsAnInternalError() throws Exception {
        BatchQueue stopped = new BatchQueue(1, 1);
        stopped.close();
        List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
        Reply r = respondedBy(e -> stopped.recommend(direct, new int[] {1}, 3, false), log);
        assertEquals(503, r.status(), r.json().toString());
        assertEquals("the server is stopping", r.json().get("error"));
        assertEquals(List.of(), log, "nothing went wrong");
    }

    @Test
    void aStartThatCannotListenLeavesNoThreadsBehind() throws Exception {
        long before = computeThreads();
        RecommendServer.Options taken = RecommendServer.Options.defaults().withPort(server.url().getPort());
        assertThrows(java.net.BindException.class, () -> RecommendServer.start(dir.resolve("model.nt"), taken, line -> {}));
        assertEquals(before, computeThreads(), "the failed start's compute threads are stopped");
    }

    static long computeThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("recommend-")).count();
    }

    @Test
    void anAmbiguousTitleListsTheCandidates() throws Exception {
        // Two songs share a title here: the answer names both, with their ids, so the page or client can offer them.
        String[] titles = new String[4], artists = {"A", "B", "C", "D"};
        Arrays.fill(titles, "Same Song");
        titles[3] = "Other";
        Path file = dir.resolve("dupes.nt");
        TrainedModel small = io.nexttrack.TestModels.random(4, 3);
        new TrainedModel(small.parameters(), Vocabulary.identity(4), new SongCatalog(titles, artists)).save(file);
        try (RecommendServer s = RecommendServer.start(file, RecommendServer.Options.defaults(), line -> {})) {
            Reply r = post(s, "recommend", "{\"history\": [\"same song\"]}");
            assertEquals(400, r.status(), r.json().toString());
            assertNotNull(r.json().get("candidates"), r.json().toString());
            assertEquals(List.of(0, 1, 2), ids(list(r, "candidates")), r.json().toString());
            assertTrue(((String) r.json().get("error")).contains("fits 3 songs"), r.json().toString());
            assertEquals(200, post(s, "recommend", "{\"history\": [\"same song - b\"], \"k\": 2}").status());
        }
    }

    @Test
    void oversizedBodiesAreRefused() throws Exception {
        byte[] big = new byte[RecommendServer.MAX_BODY + 1];
        Arrays.fill(big, (byte) ' ');
        Reply declared = send(HttpRequest.newBuilder(server.url().resolve("recommend"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(big)).build());
        assertEquals(413, declared.status());
        Reply chunked = send(HttpRequest.newBuilder(server.url().resolve("recommend"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build());
        assertEquals(413, chunked.status(), "a body without a length is cut off too");
        assertEquals(200, get(server, "health").status());
    }

    @Test
    void concurrentRequestsGetTheirOwnAnswers() throws Exception {
        SplittableRandom random = new SplittableRandom(5);
        int clients = 64, each = 6;
        int[][] histories = new int[clients * each][];
        for (int i = 0; i < histories.length; i++) histories[i] = random.ints(1 + random.nextInt(30), 0, 150).toArray();
        try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                done.add(pool.submit(() -> {
                    for (int i = client * each; i < (client + 1) * each; i++) {
                        int k = 1 + i % 20;
                        boolean exclude = i % 3 == 0;
                        Reply r = post(server, "recommend", "{\"history\": " + Arrays.toString(histories[i]) + ", \"k\": " + k
                                + ", \"exclude_seen\": " + exclude + "}");
                        assertSameAsLibrary(direct, histories[i], k, exclude, r);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) f.get();
        }
        Map<?, ?> health = get(server, "health").json();
        assertTrue((Double) health.get("recommendations_served") >= clients * each);
        assertTrue((Double) health.get("model_calls") <= (Double) health.get("recommendations_served"));
    }

    @Test
    void replacingTheModelFileWhileServingFailsNoRequest() throws Exception {
        Path file = dir.resolve("live.nt");
        model.save(file);
        TrainedModel other = io.nexttrack.TestModels.random(90, 17); // another model, with fewer songs
        Recommender otherDirect = new Recommender(other);
        RecommendServer.Options fast = RecommendServer.Options.defaults().withPoll(Duration.ofMillis(10));
        List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
        try (RecommendServer s = RecommendServer.start(file, fast, log::add)) {
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger answered = new AtomicInteger();
            List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
                for (int c = 0; c < 8; c++) {
                    pool.submit(() -> {
                        while (!stop.get()) {
                            try {
                                Reply r = post(s, "recommend", "{\"history\": [3, 1, 4, 1, 5], \"k\": 3}");
                                if (r.status() != 200) failures.add(r.json().toString());
                                answered.incrementAndGet();
                            } catch (Exception e) {
                                failures.add(e.toString());
                            }
                        }
                    });
                }
                waitFor(() -> answered.get() > 50);
                other.save(file); // written beside and renamed over, as train does
                waitFor(() -> s.model().current().version() == 2);
                int at = answered.get();
                waitFor(() -> answered.get() > at + 50);
                // A half-written file (copied over in place) is not loaded; the old model goes on serving.
                byte[] bytes = Files.readAllBytes(file);
                Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
                waitFor(() -> s.model().reloadError().isPresent());
                int at2 = answered.get();
                waitFor(() -> answered.get() > at2 + 50);
                Files.write(file, bytes); // the copy completes
                waitFor(() -> s.model().current().version() == 3);
                stop.set(true);
            }
            assertEquals(List.of(), failures);
            assertTrue(s.model().reloadError().isEmpty());
            assertSameAsLibrary(otherDirect, new int[] {3, 1, 4, 1, 5}, 3, false, post(s, "recommend", "{\"history\": [3, 1, 4, 1, 5], \"k\": 3}"));
            assertEquals(3.0, get(s, "health").json().get("model_version"));
            assertTrue(log.stream().anyMatch(l -> l.startsWith("model reloaded: ") && l.contains("version 2, 90 songs")), log.toString());
            assertTrue(log.stream().anyMatch(l -> l.startsWith("model reload failed, still serving version 2")), log.toString());
        }
    }

    static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("condition not reached in 30 s");
            Thread.sleep(5);
        }
    }

    @Test
    void theQueryStringIsDecoded() {
        assertEquals(Map.of("search", "a b&c", "limit", "3"), RecommendServer.query("search=a+b%26c&limit=3"));
        assertThrows(IllegalArgumentException.class, () -> RecommendServer.query("search=a&search=b"));
        assertEquals(List.of(0, 1, 2), IntStream.range(0, 3).boxed().toList());
    }
}
