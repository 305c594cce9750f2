package io.nexttrack.serve;

import static org.junit.jupiter.api.Assertions.*;

import io.nexttrack.data.SongLookup;
import io.nexttrack.json.Json;
import io.nexttrack.model.TrainedModel;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page at / in a real headless Chromium: search, add songs with mouse clicks, and check that the next
 * songs shown change and are exactly the server's answer. Skips where no Chromium is installed. Writes a
 * screenshot to target/serve-page.png (or NEXTTRACK_SCREENSHOT); NEXTTRACK_SERVE_MODEL serves another
 * model file (the picture in docs/service.md uses the yes_small model).
 */
class ServePageBrowserTest {
    @TempDir Path dir;

    /** One row of the "Next songs" list as the page shows it. */
    record Shown(int id, String title, String percent) {}

    @Test
    void searchAddSongsAndSeeTheNextSongsChange() throws Exception {
        Optional<Path> chromium = HeadlessChromium.find();
        Assumptions.assumeTrue(chromium.isPresent(),
                "no Chromium found (apt-get install chromium, or set NEXTTRACK_CHROMIUM): the browser test is skipped");
        String other = System.getenv("NEXTTRACK_SERVE_MODEL");
        Path file = other != null && !other.isBlank() ? Path.of(other) : dir.resolve("model.nt");
        if (other == null || other.isBlank()) ServeModels.trained().save(file);
        TrainedModel model = TrainedModel.load(file);
        int[] songs = uniquelyTitled(model, 2);

        try (RecommendServer server = RecommendServer.start(file, RecommendServer.Options.defaults(), line -> {});
             HeadlessChromium browser = new HeadlessChromium(chromium.get(), dir.resolve("profile"), 1200, 680)) {
            browser.navigate(server.url());
            browser.waitFor("document.querySelector('#model').textContent.startsWith((" + model.config().songs()
                    + ").toLocaleString('en') + ' songs')", "the model line from /health");

            addBySearch(browser, model, songs[0], 1);
            List<Shown> one = shownAfter(browser, songs[0]);
            assertEquals(serverAnswer(server, songs[0]), one);

            addBySearch(browser, model, songs[1], 2);
            List<Shown> two = shownAfter(browser, songs[0], songs[1]);
            assertEquals(serverAnswer(server, songs[0], songs[1]), two);
            assertNotEquals(one, two, "the next songs change as the playlist grows");

            browser.click("#next li"); // the top recommendation joins the playlist
            int third = two.getFirst().id();
            List<Shown> three = shownAfter(browser, songs[0], songs[1], third);
            assertEquals(serverAnswer(server, songs[0], songs[1], third), three);
            assertNotEquals(two, three);
            assertTrue(three.stream().noneMatch(s -> s.id() == third), "songs already played are skipped (the box is ticked)");
            assertEquals(List.of((double) songs[0], (double) songs[1], (double) third),
                    browser.eval("[...document.querySelectorAll('#playlist li')].map(li => Number(li.dataset.id))"));

            // Leave search results on screen for the picture.
            search(browser, model.catalog().artist(songs[0]).split(" ")[0]);
            assertTrue((Double) browser.eval("document.querySelectorAll('#results li[data-id]').length") > 1);
            byte[] png = browser.screenshot();
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png, 4));
            String target = System.getenv("NEXTTRACK_SCREENSHOT");
            Path out = target != null && !target.isBlank() ? Path.of(target) : Path.of("target", "serve-page.png");
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.write(out, png);
        }
    }

    /** Types a song's title into the search box and clicks its "add" button in the results. */
    private static void addBySearch(HeadlessChromium browser, TrainedModel model, int song, int playlistLength) throws Exception {
        search(browser, model.catalog().title(song));
        String button = "#results li[data-id=\"" + song + "\"] button.add";
        browser.waitFor("document.querySelector('" + button + "')", "song " + song + " in the search results");
        browser.click(button);
        browser.waitFor("document.querySelectorAll('#playlist li').length === " + playlistLength, "the playlist to grow");
    }

    /** Types into the search box and waits for the results of exactly this text. */
    private static void search(HeadlessChromium browser, String text) throws Exception {
        browser.type("#search", text);
        browser.waitFor("document.querySelector('#results').dataset.query === " + Json.string(text), "results for '" + text + "'");
    }

    /** Waits until the page shows the next songs for exactly this history, and reads them. */
    private static List<Shown> shownAfter(HeadlessChromium browser, int... history) throws Exception {
        String ids = String.join(",", Arrays.stream(history).mapToObj(Integer::toString).toList());
        browser.waitFor("document.querySelector('#next').dataset.history === '" + ids + "'", "the next songs after " + ids);
        List<Shown> shown = new ArrayList<>();
        for (Object row : (List<?>) browser.eval("[...document.querySelectorAll('#next li')].map(li => "
                + "[Number(li.dataset.id), li.querySelector('.title').textContent, li.querySelector('.p').textContent])")) {
            List<?> r = (List<?>) row;
            shown.add(new Shown(((Double) r.get(0)).intValue(), (String) r.get(1), (String) r.get(2)));
        }
        return shown;
    }

    /** What the page should show: the server's answer for the page's settings (10 songs, played songs skipped). */
    private static List<Shown> serverAnswer(RecommendServer server, int... history) throws Exception {
        String body = "{\"history\": " + Arrays.toString(history) + ", \"k\": 10, \"exclude_seen\": true}";
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.url().resolve("recommend"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        List<Shown> out = new ArrayList<>();
        for (Object o : (List<?>) ((Map<?, ?>) Json.parse(r.body())).get("recommendations")) {
            Map<?, ?> s = (Map<?, ?>) o;
            out.add(new Shown(((Double) s.get("id")).intValue(), (String) s.get("title"),
                    String.format(Locale.ROOT, "%.1f%%", 100 * (Double) s.get("probability"))));
        }
        assertEquals(10, out.size());
        return out;
    }

    /** The first songs whose title names only them, so that searching the title finds exactly one. */
    private static int[] uniquelyTitled(TrainedModel model, int n) {
        SongLookup lookup = new SongLookup(model.vocabulary(), model.catalog());
        int[] out = new int[n];
        int found = 0;
        for (int s = 0; s < model.config().songs() && found < n; s++) {
            String title = model.catalog().title(s);
            if (title.isBlank()) continue;
            try {
                if (lookup.resolve(title, SongLookup.Ids.EXTERNAL).id() == s) out[found++] = s;
            } catch (SongLookup.NotFound ambiguous) {
                // shared title: not a good pick
            }
        }
        assertEquals(n, found, "the model has too few uniquely titled songs");
        return out;
    }

}
