package io.nexttrack.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.nexttrack.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The recommender over HTTP on the JDK's built-in server (no framework): {@code POST /recommend},
 * {@code GET /songs?search=}, {@code GET /health}, and a page to try it at {@code /}. Each request works on
 * the model snapshot current when it arrived ({@link LiveModel}: the file may be replaced while serving);
 * recommendations go through a {@link BatchQueue}. Bad requests get 400 with {"error": ...}, bodies over
 * {@link #MAX_BODY} bytes 413; an unexpected failure answers 500 and the server goes on.
 */
public final class RecommendServer implements AutoCloseable {
    /** Request bodies above this many bytes are refused (413): a history of 500 titles fits easily. */
    public static final int MAX_BODY = 64 * 1024;
    /**
     * Most requests per batched model call. Larger batches read the weights fewer times, but the Recommender
     * allocates buffers for every position of every history in a call, and whatever is in flight when the
     * garbage collector runs is copied: on yes_small 8 and 16 gave the best throughput and tail at 64
     * clients, 64 the worst (benchmarks/README.md).
     */
    public static final int DEFAULT_MAX_BATCH = 16;
    private static final String JSON = "application/json; charset=utf-8";

    /**
     * @param host     address to listen on (127.0.0.1: this machine only)
     * @param port     0 picks a free port
     * @param threads  compute threads for recommendations
     * @param maxBatch most requests answered by one batched model call (1 = one by one)
     * @param poll     how often the model file is checked for a new version
     */
    public record Options(String host, int port, int threads, int maxBatch, Duration poll) {
        public static Options defaults() {
            return new Options("127.0.0.1", 0, Runtime.getRuntime().availableProcessors(), DEFAULT_MAX_BATCH, Duration.ofSeconds(1));
        }

        public Options withPort(int p) { return new Options(host, p, threads, maxBatch, poll); }

        public Options withHost(String h) { return new Options(h, port, threads, maxBatch, poll); }

        public Options withThreads(int t) { return new Options(host, port, t, maxBatch, poll); }

        public Options withMaxBatch(int b) { return new Options(host, port, threads, b, poll); }

        public Options withPoll(Duration d) { return new Options(host, port, threads, maxBatch, d); }
    }

    static {
        // Responses go out as headers then body: without TCP_NODELAY, Nagle's algorithm and delayed ACKs can hold
        // the second write back ~40 ms on a kept-alive connection. Read once, when the JDK server is first used.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final LiveModel model;
    private final BatchQueue queue;
    private final HttpServer http;
    private final ExecutorService handlers;
    private final Consumer<String> log;
    private final byte[] page;

    private RecommendServer(LiveModel model, Options o, Consumer<String> log) throws IOException {
        this.model = model;
        this.log = log;
        this.page = page();
        this.queue = new BatchQueue(o.threads(), o.maxBatch());
        this.handlers = Executors.newVirtualThreadPerTaskExecutor(); // handlers mostly wait for the queue
        try {
            this.http = HttpServer.create(new InetSocketAddress(o.host(), o.port()), 256);
        } catch (IOException | RuntimeException e) { // e.g. the port is taken: the compute threads must not outlive the start
            queue.close();
            throw e;
        }
        http.createContext("/", ex -> respond(ex, this::route, log));
        http.setExecutor(handlers);
        http.start();
    }

    /** Loads the model and starts listening; {@code log} hears model reloads and unexpected failures. */
    public static RecommendServer start(Path modelFile, Options options, Consumer<String> log) throws IOException {
        LiveModel model = LiveModel.open(modelFile, options.poll(), log);
        try {
            return new RecommendServer(model, options, log);
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** Where it listens, e.g. {@code http://127.0.0.1:43817/}. */
    public URI url() {
        InetSocketAddress a = http.getAddress();
        String host = a.getAddress().getHostAddress();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort() + "/");
    }

    public LiveModel model() { return model; }

    /** What answers one exchange; its failures become error statuses in {@link #respond}. */
    @FunctionalInterface
    interface Route {
        void answer(HttpExchange ex) throws IOException, InterruptedException;
    }

    /**
     * Answers one exchange with {@code route}, or with the status for what it threw, then closes the exchange: only
     * after the error answer, since closing an exchange whose headers were not sent drops the connection.
     */
    static void respond(HttpExchange ex, Route route, Consumer<String> log) {
        try {
            try {
                route.answer(ex);
            } catch (Api.BadRequest e) {
                send(ex, 400, Api.error(e.getMessage(), e.candidates));
            } catch (TooLarge e) {
                ex.getResponseHeaders().set("Connection", "close");
                send(ex, 413, Api.error("the request body is over " + MAX_BODY + " bytes", List.of()));
            } catch (IllegalArgumentException e) { // malformed JSON or query, unknown song
                send(ex, 400, Api.error(e.getMessage(), List.of()));
            } catch (BatchQueue.Unavailable e) {
                send(ex, 503, Api.error(e.getMessage(), List.of()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                send(ex, 503, Api.error("the server is stopping", List.of()));
            }
        } catch (IOException | UncheckedIOException e) {
            // the client went away mid-exchange: nothing to answer
        } catch (Throwable t) {
            log.accept("internal error on " + ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath() + ": " + t);
            if (System.getenv("NEXTTRACK_DEBUG") != null) t.printStackTrace();
            try {
                send(ex, 500, Api.error("internal error: " + t.getClass().getSimpleName(), List.of()));
            } catch (IOException | RuntimeException ignored) {
                // headers were already sent, or the client is gone
            }
        } finally {
            ex.close();
        }
    }

    private void route(HttpExchange ex) throws IOException, InterruptedException {
        String path = ex.getRequestURI().getRawPath();
        String method = ex.getRequestMethod();
        switch (path) {
            case "/recommend" -> {
                if (allowed(ex, "POST")) send(ex, 200, Api.recommend(model.current(), queue, body(ex)));
            }
            case "/songs" -> {
                if (allowed(ex, "GET")) send(ex, 200, Api.songs(model.current(), query(ex.getRequestURI().getRawQuery())));
            }
            case "/health" -> {
                if (allowed(ex, "GET")) send(ex, 200, Api.health(model, queue));
            }
            case "/", "/index.html" -> {
                if (allowed(ex, "GET")) send(ex, 200, "text/html; charset=utf-8", page);
            }
            default -> send(ex, 404, Api.error("no such endpoint: " + method + " " + path
                    + " (there are POST /recommend, GET /songs, GET /health and the page at /)", List.of()));
        }
    }

    private static boolean allowed(HttpExchange ex, String method) throws IOException {
        if (ex.getRequestMethod().equals(method)) return true;
        ex.getResponseHeaders().set("Allow", method);
        send(ex, 405, Api.error(ex.getRequestURI().getRawPath() + " takes " + method + ", not " + ex.getRequestMethod(), List.of()));
        return false;
    }

    private static final class TooLarge extends RuntimeException {
        TooLarge() { super(null, null, false, false); }
    }

    /** The request body as UTF-8 text, refusing more than {@link #MAX_BODY} bytes before reading them. */
    private static String body(HttpExchange ex) throws IOException {
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.strip()) > MAX_BODY) throw new TooLarge();
            } catch (NumberFormatException e) {
                throw new Api.BadRequest("bad Content-Length");
            }
        }
        byte[] bytes;
        try (InputStream in = ex.getRequestBody()) {
            bytes = in.readNBytes(MAX_BODY + 1);
        }
        if (bytes.length > MAX_BODY) throw new TooLarge();
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new Api.BadRequest("the body is not UTF-8 text");
        }
    }

    /** The query string's parameters; a repeated one is a bad request. */
    static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) return out;
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (out.put(key, value) != null) throw new Api.BadRequest("parameter '" + key + "' given twice");
        }
        return out;
    }

    private static void send(HttpExchange ex, int status, Map<String, Object> json) throws IOException {
        send(ex, status, JSON, Json.write(json).getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        ex.getResponseBody().write(body);
    }

    private static byte[] page() throws IOException {
        try (InputStream in = RecommendServer.class.getResourceAsStream("index.html")) {
            if (in == null) throw new IOException("the page resource io/nexttrack/serve/index.html is missing from the build");
            return in.readAllBytes();
        }
    }

    /** Stops listening (waiting up to a second for exchanges in progress), the compute threads and the file watcher. */
    @Override
    public void close() {
        http.stop(1);
        queue.close();
        handlers.close();
        model.close();
    }
}
