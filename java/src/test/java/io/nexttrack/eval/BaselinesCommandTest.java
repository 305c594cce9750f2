package io.nexttrack.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexttrack.cli.BaselinesCommand;
import io.nexttrack.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BaselinesCommandTest {
    @TempDir Path dir;

    /** 60 random playlists over 12 songs, in the plain format. */
    private Path data() throws Exception {
        SplittableRandom rnd = new SplittableRandom(5);
        StringBuilder b = new StringBuilder();
        for (int p = 0; p < 60; p++) {
            int n = 2 + rnd.nextInt(6);
            for (int i = 0; i < n; i++) b.append(i == 0 ? "" : " ").append("song").append(rnd.nextInt(12));
            b.append('\n');
        }
        return Files.writeString(dir.resolve("playlists.txt"), b);
    }

    /** Runs the command; what it throws is rethrown (picocli would otherwise only print it). */
    private String run(String... args) throws Exception {
        StringWriter out = new StringWriter();
        Exception[] thrown = {null};
        CommandLine cl = new CommandLine(new BaselinesCommand()).setCaseInsensitiveEnumValuesAllowed(true);
        cl.setOut(new PrintWriter(out)).setErr(new PrintWriter(new StringWriter()));
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            thrown[0] = ex;
            return 2;
        });
        int rc = cl.execute(args);
        if (thrown[0] != null) throw thrown[0];
        assertEquals(0, rc);
        return out.toString();
    }

    @Test
    void jsonIsKeyedByBaselineWithTheReportKeys() throws Exception {
        String json = run("--data", data().toString(), "--json", "--protocol", "last", "--exclude-seen");
        assertEquals(List.of("popularity", "bigram", "item-knn", "session-knn"), EvaluatorTest.topLevelKeys(json));
        String bigram = json.lines().filter(l -> l.contains("\"bigram\"")).findFirst().orElseThrow();
        String report = bigram.substring(bigram.indexOf('{'), bigram.lastIndexOf('}') + 1);
        assertEquals(EvaluatorTest.expectedKeys(true), EvaluatorTest.topLevelKeys(report));
        assertTrue(report.contains("\"protocol\": \"last\"") && report.contains("\"exclude_seen\": true"));
        assertTrue(json.contains("\"item-knn\": {\"nll\": null, \"perplexity\": null,"));
    }

    @Test
    void tableHasARowPerBaseline() throws Exception {
        String table = run("--data", data().toString(), "--split", "validation", "--split-seed", "7");
        assertTrue(table.startsWith("scoring: split=validation (split seed 7); protocol=next"), table);
        for (String name : List.of("popularity ", "bigram ", "item-knn ", "session-knn ")) {
            assertTrue(table.lines().anyMatch(l -> l.startsWith(name)), name);
        }
    }

    @Test
    void badOptionsAreOneLineErrorsWithExitCode2() throws Exception {
        String file = data().toString();
        for (String[] args : new String[][] {{"baselines", "--data", file, "--split", "bogus"},
                {"baselines", "--data", file, "--protocol", "first"}, {"baselines", "--data", dir.resolve("none").toString()}}) {
            assertEquals(2, Main.run(args), String.join(" ", args));
        }
    }
}
