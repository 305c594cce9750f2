package io.nexttrack.serve;

import static org.junit.jupiter.api.Assertions.*;

import io.nexttrack.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model file's life while serving, one look at a time (the watcher is set to an hour, so only check() looks). */
class LiveModelTest {
    @TempDir Path dir;

    @Test
    void swapsOnlyToFilesThatLoadAndSaysWhyNot() throws Exception {
        Path file = dir.resolve("model.nt");
        TestModels.random(20, 1).save(file);
        List<String> log = new ArrayList<>();
        try (LiveModel live = LiveModel.open(file, Duration.ofHours(1), log::add)) {
            LiveModel.Snapshot first = live.current();
            assertEquals(1, first.version());
            live.check();
            assertSame(first, live.current(), "an unchanged file is not reloaded");

            Files.delete(file);
            live.check();
            assertSame(first, live.current());
            assertEquals(file + ": no such file", live.reloadError().orElseThrow());

            TestModels.random(30, 2).save(file);
            live.check();
            assertEquals(2, live.current().version());
            assertEquals(30, live.current().songCount());
            assertTrue(live.reloadError().isEmpty());

            Files.writeString(file, "not a model");
            live.check();
            live.check();
            assertEquals(2, live.current().version(), "a file that does not load leaves the old model serving");
            assertTrue(live.reloadError().orElseThrow().contains("not a nexttrack model file"), live.reloadError().orElseThrow());
            assertEquals(file + ": not a nexttrack model file (it does not start with NXTRACK1)", live.reloadError().orElseThrow(),
                    "the file is named once");
            assertEquals(1, log.stream().filter(l -> l.startsWith("model reload failed")).count(), "a bad file is tried once: " + log);

            TestModels.random(20, 3).save(file);
            live.check();
            assertEquals(3, live.current().version());
            assertEquals(20, first.songCount(), "a snapshot taken earlier is unchanged");
            assertEquals(4, log.size(), log.toString());
            assertEquals("model file unreadable, still serving version 1: " + file + ": no such file", log.get(0));
            assertEquals("model reloaded: " + file + " (version 2, 30 songs)", log.get(1));
            assertTrue(log.get(2).startsWith("model reload failed, still serving version 2: " + file + ": "), log.get(2));
            assertEquals("model reloaded: " + file + " (version 3, 20 songs)", log.get(3));
        }
    }
}
