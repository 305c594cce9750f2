package io.nexttrack.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexttrack.data.Playlists;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class EvaluatorTest {
    /** Scores song j with j, whatever the history: song V-1 is always first. */
    static final class IndexModel implements NextSongModel {
        final boolean probabilities;
        int calls;

        IndexModel(boolean probabilities) { this.probabilities = probabilities; }

        @Override public String name() { return "index"; }

        @Override public boolean givesProbabilities() { return probabilities; }

        @Override
        public void score(Playlists playlists, PositionSink sink) {
            float[] buffer = new float[playlists.songCount() + 2];
            for (int j = 0; j < playlists.songCount(); j++) buffer[j + 2] = probabilities ? (float) -Math.log(playlists.songCount()) : j;
            for (int p = 0; p < playlists.size(); p++) {
                for (int i = 0; i + 1 < playlists.length(p); i++) {
                    calls++;
                    sink.accept(p, i, buffer, 2);
                }
            }
        }
    }

    private static final Playlists FOUR_SONGS = Playlists.of(4, new int[] {3, 1}, new int[] {0, 1, 0}, new int[] {2, 3, 1, 3});

    @Test
    void nextScoresEveryTransition() {
        EvaluationReport r = new Evaluator(Evaluator.Protocol.NEXT, false).evaluate(new IndexModel(false), FOUR_SONGS, "toy");
        assertEquals(6, r.positions());
        // Targets 1, 1, 0, 3, 1, 3 have ranks 3, 3, 4, 1, 3, 1.
        assertEquals(2 / 6.0, r.hit(1), 1e-12);
        assertEquals(1.0, r.hit(5), 1e-12);
        assertEquals((1 + 1 + 3 * (1 / 3.0) + 1 / 4.0) / 6, r.mrr(5), 1e-12);
        assertTrue(r.nll().isEmpty() && r.perplexity().isEmpty());
        assertEquals(0, r.scoring().skippedRepeats());
    }

    @Test
    void exclusionRemovesTheHistoryAndSkipsRepeatedTargets() {
        EvaluationReport r = new Evaluator(Evaluator.Protocol.NEXT, true).evaluate(new IndexModel(false), FOUR_SONGS, "toy");
        // Skipped: {0,1,0} position 1 (target 0 seen) and {2,3,1,3} position 2 (target 3 seen).
        assertEquals(2, r.scoring().skippedRepeats());
        assertEquals(4, r.positions());
        // {3,1}: 3 excluded -> 1 ranks 2. {0,1,0} pos 0: 0 excluded -> 1 ranks 3 (3, 2 ahead).
        // {2,3,1,3} pos 0: 2 excluded -> 3 ranks 1; pos 1: 2, 3 excluded -> 1 ranks 1.
        assertEquals(0.5, r.hit(1), 1e-12);
        assertEquals((1 / 2.0 + 1 / 3.0 + 1 + 1) / 4, r.mrr(5), 1e-12);
        assertTrue(r.scoring().describe().contains("2 positions whose target was in the history skipped"));
    }

    @Test
    void repeatAndNonRepeatTargetsAreReportedApart() {
        EvaluationReport r = new Evaluator(Evaluator.Protocol.NEXT, false).evaluate(new IndexModel(false), FOUR_SONGS, "toy");
        // Targets 1, 1, 0, 3, 1, 3 with ranks 3, 3, 4, 1, 3, 1; repeats: {0,1,0} position 1 (0) and {2,3,1,3} position 2 (3).
        assertEquals(2, r.repeats().positions());
        assertEquals(4, r.nonRepeats().positions());
        assertEquals(0.5, r.repeats().hit(1), 1e-12);
        assertEquals((1 / 4.0 + 1) / 2, r.repeats().mrr(5), 1e-12);
        assertEquals(0.25, r.nonRepeats().hit(1), 1e-12);
        assertEquals(0.0, r.nonRepeats().hit(1) * 4 + r.repeats().hit(1) * 2 - r.hit(1) * 6, 1e-12, "the parts add up to the whole");
        assertTrue(r.repeats().nll().isEmpty());
        String json = r.toJson();
        assertTrue(json.contains("\"repeat\": {\"positions\": 2, \"nll\": null, \"hit@1\": 0.5, "), json);
        assertTrue(json.contains("\"non_repeat\": {\"positions\": 4, \"nll\": null, \"hit@1\": 0.25, "), json);
        EvaluationReport uniform = new Evaluator(Evaluator.Protocol.NEXT, false).evaluate(new IndexModel(true), FOUR_SONGS, "toy");
        assertEquals(Math.log(4), uniform.repeats().nll().getAsDouble(), 1e-6);
        assertEquals(Math.log(4), uniform.nonRepeats().nll().getAsDouble(), 1e-6);
        String table = EvaluationReport.table(List.of(r));
        assertTrue(table.lines().anyMatch(l -> l.startsWith("  repeat ") && l.contains(" 2 ") && l.contains("0.5000")), table);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("  non-repeat ") && l.contains(" 4 ") && l.contains("0.2500")), table);
        assertTrue(r.toString().contains("repeat targets: 2 positions, hit@1 0.5000"), r.toString());

        EvaluationReport excluded = new Evaluator(Evaluator.Protocol.NEXT, true).evaluate(new IndexModel(false), FOUR_SONGS, "toy");
        assertEquals(0, excluded.repeats().positions());
        assertTrue(Double.isNaN(excluded.repeats().hit(1)));
        assertEquals(excluded.positions(), excluded.nonRepeats().positions());
        assertEquals(excluded.hit(1), excluded.nonRepeats().hit(1), 1e-12);
        assertTrue(excluded.toJson().contains("\"repeat\": {\"positions\": 0, \"nll\": null, \"hit@1\": null"), excluded.toJson());
        assertFalse(EvaluationReport.table(List.of(excluded)).contains("  repeat"), "under exclusion there are no repeat rows");
    }

    @Test
    void lastScoresOnlyTheLastSongAndReportsAccuracy() {
        EvaluationReport r = new Evaluator(Evaluator.Protocol.LAST, false).evaluate(new IndexModel(false), FOUR_SONGS, "toy");
        assertEquals(3, r.positions());
        assertEquals(1 / 3.0, r.hit(1), 1e-12); // targets 1, 0, 3
        assertEquals(1.0, r.accuracy(50));
        assertTrue(r.toJson().contains("\"accuracy@500\": 1"));
        EvaluationReport next = new Evaluator(Evaluator.Protocol.NEXT, false).evaluate(new IndexModel(false), FOUR_SONGS, "toy");
        assertThrows(IllegalStateException.class, () -> next.accuracy(50));
        assertFalse(next.toJson().contains("accuracy"));
    }

    @Test
    void probabilitiesGiveNllAndPerplexity() {
        EvaluationReport r = new Evaluator(Evaluator.Protocol.NEXT, false).evaluate(new IndexModel(true), FOUR_SONGS, "toy");
        assertEquals(Math.log(4), r.nll().getAsDouble(), 1e-6);
        assertEquals(4, r.perplexity().getAsDouble(), 1e-5);
    }

    @Test
    void aModelThatSkipsPositionsIsCaught() {
        NextSongModel lazy = new NextSongModel() {
            @Override public String name() { return "lazy"; }

            @Override public boolean givesProbabilities() { return false; }

            @Override public void score(Playlists playlists, PositionSink sink) { sink.accept(0, 0, new float[4], 0); }
        };
        var e = assertThrows(IllegalStateException.class,
                () -> new Evaluator(Evaluator.Protocol.NEXT, false).evaluate(lazy, FOUR_SONGS, "toy"));
        assertTrue(e.getMessage().contains("scored 1 positions, expected 6"));
    }

    /** The keys of the outermost JSON object, in order. */
    static List<String> topLevelKeys(String json) {
        List<String> keys = new ArrayList<>();
        int depth = 0;
        boolean inString = false;
        StringBuilder current = null;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                if (c == '\\') {
                    if (current != null) current.append(json.charAt(i + 1));
                    i++;
                } else if (c == '"') {
                    inString = false;
                    int next = i + 1;
                    while (next < json.length() && json.charAt(next) == ' ') next++;
                    if (current != null && next < json.length() && json.charAt(next) == ':') keys.add(current.toString());
                    current = null;
                } else if (current != null) {
                    current.append(c);
                }
            } else if (c == '"') {
                inString = true;
                current = depth == 1 ? new StringBuilder() : null;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
            }
        }
        return keys;
    }

    static List<String> expectedKeys(boolean last) {
        List<String> keys = new ArrayList<>(List.of("nll", "perplexity"));
        for (String metric : List.of("hit", "mrr", "ndcg")) for (int k : RankingMetrics.CUTOFFS) keys.add(metric + "@" + k);
        if (last) for (int k : EvaluationReport.ACCURACY_CUTOFFS) keys.add("accuracy@" + k);
        keys.addAll(List.of("coverage@20", "popularity_percentile@20", "novelty@20"));
        keys.add("positions");
        keys.add("repeat");
        keys.add("non_repeat");
        keys.add("scoring");
        return keys;
    }

    @Test
    void jsonHasExactlyTheListedKeys() {
        EvaluationReport plain = new Evaluator(Evaluator.Protocol.NEXT, true).evaluate(new IndexModel(false), FOUR_SONGS, "te\"st\\");
        assertEquals(expectedKeys(false), topLevelKeys(plain.toJson()));
        assertTrue(plain.toJson().startsWith("{\"nll\": null, \"perplexity\": null, \"hit@1\": 0.5,"));
        assertTrue(plain.toJson().contains("\"split\": \"te\\\"st\\\\\""), "strings are escaped");
        assertTrue(plain.toJson().contains("\"exclude_seen\": true, \"skipped_repeats\": 2"));

        EvaluationReport last = new Evaluator(Evaluator.Protocol.LAST, false).evaluate(new IndexModel(true), FOUR_SONGS, "test");
        assertEquals(expectedKeys(true), topLevelKeys(last.toJson()));
        Matcher nll = Pattern.compile("\"nll\": ([0-9.E-]+)").matcher(last.toJson());
        assertTrue(nll.find());
        assertEquals(Math.log(4), Double.parseDouble(nll.group(1)), 1e-6);

        String both = EvaluationReport.json(List.of(plain, last));
        assertEquals(List.of("index", "index"), topLevelKeys(both));
    }

    @Test
    void tablesNameModelAndScoring() {
        EvaluationReport r = new Evaluator(Evaluator.Protocol.NEXT, false).evaluate(new IndexModel(true), FOUR_SONGS, "test");
        String table = EvaluationReport.table(List.of(r));
        assertTrue(table.startsWith("scoring: split=test; protocol=next"));
        assertTrue(table.contains("full ranking over all 4 songs; ties pessimistic"));
        assertTrue(table.lines().anyMatch(l -> l.startsWith("index ") && l.contains("1.3863") && l.contains("4.0")));
        assertTrue(r.toString().contains("perplexity 4.0"));
    }
}
