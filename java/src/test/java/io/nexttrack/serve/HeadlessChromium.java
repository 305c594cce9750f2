package io.nexttrack.serve;

import io.nexttrack.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * A real headless Chromium driven over the Chrome DevTools Protocol (a WebSocket, java.net.http): no
 * test dependency. It types with {@code Input.insertText}, clicks with mouse events at an element's
 * centre, reads the page with {@code Runtime.evaluate} and takes PNG screenshots.
 */
final class HeadlessChromium implements AutoCloseable {
    private static final Duration START = Duration.ofSeconds(60), CALL = Duration.ofSeconds(30);

    private final Process process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<Map<?, ?>>> pending = new ConcurrentHashMap<>();

    /** The browser binary: NEXTTRACK_CHROMIUM, else chromium, chromium-browser or google-chrome on the PATH. */
    static Optional<Path> find() {
        String env = System.getenv("NEXTTRACK_CHROMIUM");
        if (env != null && !env.isBlank()) return Optional.of(Path.of(env)).filter(Files::isExecutable);
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            for (String name : new String[] {"chromium", "chromium-browser", "google-chrome"}) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Starts the browser with a fresh profile in {@code profile} and a window of the given size. */
    HeadlessChromium(Path binary, Path profile, int width, int height) throws Exception {
        process = new ProcessBuilder(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--hide-scrollbars", "--user-data-dir=" + profile, "--window-size=" + width + "," + height,
                "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "about:blank")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            URI browser = devToolsAddress();
            socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(pageSocket(browser), new Listener())
                    .get(CALL.toSeconds(), TimeUnit.SECONDS);
            call("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    /** Chromium prints "DevTools listening on ws://127.0.0.1:PORT/devtools/browser/..." on stderr; the rest is drained. */
    private URI devToolsAddress() throws Exception {
        CompletableFuture<URI> found = new CompletableFuture<>();
        List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread.ofPlatform().daemon().name("chromium-stderr").start(() -> {
            try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = err.readLine()) != null; ) {
                    int at = line.indexOf("ws://");
                    if (line.startsWith("DevTools listening on ") && at >= 0) found.complete(URI.create(line.substring(at).strip()));
                    else if (seen.size() < 50) seen.add(line);
                }
            } catch (IOException ignored) {
                // the browser exited
            }
            found.completeExceptionally(new IOException("chromium exited without a DevTools address; it said: " + seen));
        });
        return found.get(START.toSeconds(), TimeUnit.SECONDS);
    }

    /** The WebSocket of the open tab, from the DevTools HTTP endpoint's target list. */
    private static URI pageSocket(URI browser) throws Exception {
        URI list = URI.create("http://" + browser.getHost() + ":" + browser.getPort() + "/json/list");
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + START.toNanos();
        while (true) {
            String body = http.send(HttpRequest.newBuilder(list).build(), HttpResponse.BodyHandlers.ofString()).body();
            for (Object t : (List<?>) Json.parse(body)) {
                Map<?, ?> target = (Map<?, ?>) t;
                if ("page".equals(target.get("type"))) return URI.create((String) target.get("webSocketDebuggerUrl"));
            }
            if (System.nanoTime() > deadline) throw new IOException("chromium opened no page: " + body);
            Thread.sleep(50);
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder message = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            message.append(data);
            if (last) {
                Map<?, ?> m = (Map<?, ?>) Json.parse(message.toString());
                message.setLength(0);
                if (m.get("id") instanceof Double id) {
                    CompletableFuture<Map<?, ?>> f = pending.remove(id.intValue());
                    if (f != null) f.complete(m);
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            pending.values().forEach(f -> f.completeExceptionally(error));
        }
    }

    /** One DevTools command; its result, or an exception with the protocol's error. */
    Map<?, ?> call(String method, Map<String, Object> params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<Map<?, ?>> reply = new CompletableFuture<>();
        pending.put(id, reply);
        Map<String, Object> command = new LinkedHashMap<>();
        command.put("id", id);
        command.put("method", method);
        command.put("params", params);
        socket.sendText(Json.write(command), true).get(CALL.toSeconds(), TimeUnit.SECONDS);
        Map<?, ?> m = reply.get(CALL.toSeconds(), TimeUnit.SECONDS);
        if (m.get("error") != null) throw new IllegalStateException(method + ": " + m.get("error"));
        return (Map<?, ?>) m.get("result");
    }

    void navigate(URI url) throws Exception {
        call("Page.navigate", Map.of("url", url.toString()));
        waitFor("document.readyState === 'complete' && location.href === " + Json.string(url.toString()), "the page to load");
    }

    /** Evaluates a JavaScript expression (promises awaited) and returns its value as JSON values. */
    Object eval(String expression) throws Exception {
        Map<?, ?> r = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
        if (r.get("exceptionDetails") != null) throw new IllegalStateException("JavaScript failed: " + expression + ": " + r.get("exceptionDetails"));
        return ((Map<?, ?>) r.get("result")).get("value");
    }

    /** Waits until a JavaScript condition is true (polling), failing after 30 s with {@code what}. */
    void waitFor(String condition, String what) throws Exception {
        long deadline = System.nanoTime() + CALL.toNanos();
        while (!Boolean.TRUE.equals(eval("!!(" + condition + ")"))) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what + " (" + condition + ")");
            Thread.sleep(25);
        }
    }

    /** Focuses an input, clears it, and types text into it as keyboard input would. */
    void type(String selector, String text) throws Exception {
        eval("(() => { const e = document.querySelector(" + Json.string(selector) + "); e.focus(); e.select(); })()");
        call("Input.insertText", Map.of("text", text));
    }

    /** A left click with the mouse at the centre of the (first) element matching {@code selector}. */
    void click(String selector) throws Exception {
        List<?> xy = (List<?>) eval("(() => { const e = document.querySelector(" + Json.string(selector) + ");"
                + " e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
                + " return [r.left + r.width / 2, r.top + r.height / 2]; })()");
        for (String type : new String[] {"mousePressed", "mouseReleased"}) {
            call("Input.dispatchMouseEvent", Map.of("type", type, "x", xy.get(0), "y", xy.get(1), "button", "left", "clickCount", 1));
        }
    }

    /** A PNG of the viewport. */
    byte[] screenshot() throws Exception {
        return Base64.getDecoder().decode((String) call("Page.captureScreenshot", Map.of("format", "png")).get("data"));
    }

    @Override
    public void close() {
        if (socket != null) {
            try { // a browser asked to close removes its temporary files; a killed one leaves them in /tmp
                int id = ids.incrementAndGet();
                socket.sendText("{\"id\":" + id + ",\"method\":\"Browser.close\"}", true).get(5, TimeUnit.SECONDS);
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // it is killed below
            }
            socket.abort();
        }
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }
}
