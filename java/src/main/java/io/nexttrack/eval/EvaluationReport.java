package io.nexttrack.eval;

import io.nexttrack.json.Json;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * What {@link Evaluator} measured for one model: immutable, printable as a table ({@link #toString()},
 * {@link #table(List)}) or as JSON ({@link #toJson()}) with the keys {@code nll, perplexity, hit@k, mrr@k,
 * ndcg@k} for k in {@link RankingMetrics#CUTOFFS}, {@code accuracy@k} (LAST protocol only), the list metrics
 * {@code coverage@20, popularity_percentile@20, novelty@20} ({@link BeyondAccuracy}; null when the evaluator had
 * no training counts), {@code positions}, the same accuracy metrics on the positions whose target repeats a song of
 * the history and on the others ({@code repeat} and {@code non_repeat}, each an object with {@code positions, nll,
 * hit@k, mrr@k, ndcg@k}; see {@link Slice}) and {@code scoring}. NLL and perplexity are null when the model gives no
 * probabilities.
 */
public final class EvaluationReport {
    /** Cut-offs of accuracy@k under the LAST protocol. */
    public static final int[] ACCURACY_CUTOFFS = {50, 100, 200, 300, 400, 500};

    /** How the positions were scored. {@code skippedRepeats}: positions left out because the target was in the history. */
    public record Scoring(String split, Evaluator.Protocol protocol, boolean excludeSeen, int songCount, long skippedRepeats) {

        public String describe() {
            return "split=" + split
                    + "; protocol=" + (protocol == Evaluator.Protocol.LAST
                            ? "last (the last song of each playlist, from all earlier songs)"
                            : "next (every next-song position)")
                    + "; full ranking over all " + songCount + " songs"
                    + "; ties pessimistic (rank = 1 + #higher + #other equal)"
                    + "; " + (excludeSeen
                            ? "songs already in the history excluded from the ranking; " + skippedRepeats
                                    + " positions whose target was in the history skipped"
                            : "no exclusion (songs in the history are ranked too)");
        }

        String toJson() {
            return "{\"split\": " + Json.string(split)
                    + ", \"protocol\": " + Json.string(protocol.name().toLowerCase(Locale.ROOT))
                    + ", \"ranking\": \"full\", \"songs\": " + songCount
                    + ", \"ties\": \"pessimistic\", \"exclude_seen\": " + excludeSeen
                    + ", \"skipped_repeats\": " + skippedRepeats
                    + ", \"description\": " + Json.string(describe()) + "}";
        }
    }

    /**
     * The metrics on part of the positions: those whose target is a song already in the history (a repeat), or the
     * others. Under {@code --exclude-seen} repeats are skipped, so that part is empty and the other is the whole.
     * Metrics of an empty part are NaN (null in JSON).
     */
    public static final class Slice {
        private final boolean probabilities;
        private final long positions;
        private final double nll;
        private final double[] hit = new double[RankingMetrics.CUTOFFS.length];
        private final double[] mrr = new double[RankingMetrics.CUTOFFS.length];
        private final double[] ndcg = new double[RankingMetrics.CUTOFFS.length];

        Slice(RankingMetrics m) {
            probabilities = m.probabilities();
            positions = m.positions();
            nll = m.nll();
            for (int c = 0; c < RankingMetrics.CUTOFFS.length; c++) {
                int k = RankingMetrics.CUTOFFS[c];
                hit[c] = m.hitRate(k);
                mrr[c] = m.mrr(k);
                ndcg[c] = m.ndcg(k);
            }
        }

        public long positions() { return positions; }

        /** Mean NLL of these positions; empty without probabilities, NaN without positions. */
        public OptionalDouble nll() { return probabilities ? OptionalDouble.of(nll) : OptionalDouble.empty(); }

        public double hit(int k) { return hit[cutoff(RankingMetrics.CUTOFFS, k)]; }

        public double mrr(int k) { return mrr[cutoff(RankingMetrics.CUTOFFS, k)]; }

        public double ndcg(int k) { return ndcg[cutoff(RankingMetrics.CUTOFFS, k)]; }

        String toJson() {
            StringBuilder b = new StringBuilder("{\"positions\": ").append(positions);
            b.append(", \"nll\": ").append(probabilities ? Json.number(nll) : "null");
            return appendRanking(b).append('}').toString();
        }

        /** {@code , "hit@k": v} and the same for mrr and ndcg, at every cut-off. */
        private StringBuilder appendRanking(StringBuilder b) {
            appendAll(b, "hit", RankingMetrics.CUTOFFS, hit);
            appendAll(b, "mrr", RankingMetrics.CUTOFFS, mrr);
            appendAll(b, "ndcg", RankingMetrics.CUTOFFS, ndcg);
            return b;
        }

        /** The row's first columns in {@link #table}: label, positions, nll, ppl, hit@k, mrr@20, ndcg@20 (no newline). */
        private StringBuilder appendRow(StringBuilder b, String label) {
            boolean known = probabilities && positions > 0;
            b.append(String.format(Locale.ROOT, "%-12s %9d %8s %9s", label, positions,
                    known ? String.format(Locale.ROOT, "%.4f", nll) : "-", known ? String.format(Locale.ROOT, "%.1f", Math.exp(nll)) : "-"));
            for (double v : hit) b.append(String.format(Locale.ROOT, " %7.4f", v));
            return b.append(String.format(Locale.ROOT, " %7.4f %7.4f", mrr(20), ndcg(20)));
        }
    }

    private final String model;
    private final Scoring scoring;
    private final Slice all; // every position scored
    private final double[] accuracy; // empty unless LAST
    private final double coverage, popularityPercentile, novelty; // NaN without list metrics
    private final double seconds;
    private final Slice repeats, nonRepeats;

    EvaluationReport(String model, Scoring scoring, RankingMetrics m, RankingMetrics repeats, RankingMetrics nonRepeats,
                     BeyondAccuracy lists, double seconds) {
        this.repeats = new Slice(repeats);
        this.nonRepeats = new Slice(nonRepeats);
        this.model = model;
        this.scoring = scoring;
        this.all = new Slice(m);
        boolean last = scoring.protocol() == Evaluator.Protocol.LAST;
        accuracy = new double[last ? ACCURACY_CUTOFFS.length : 0];
        for (int c = 0; c < accuracy.length; c++) accuracy[c] = m.hitRate(ACCURACY_CUTOFFS[c]);
        coverage = lists == null ? Double.NaN : lists.coverage();
        popularityPercentile = lists == null ? Double.NaN : lists.popularityPercentile();
        novelty = lists == null ? Double.NaN : lists.novelty();
        this.seconds = seconds;
    }

    public String model() { return model; }

    public Scoring scoring() { return scoring; }

    public long positions() { return all.positions; }

    /** Wall-clock seconds of scoring and ranking (not of fitting). */
    public double seconds() { return seconds; }

    public OptionalDouble nll() { return all.nll(); }

    public OptionalDouble perplexity() { return all.probabilities ? OptionalDouble.of(Math.exp(all.nll)) : OptionalDouble.empty(); }

    public double hit(int k) { return all.hit(k); }

    public double mrr(int k) { return all.mrr(k); }

    public double ndcg(int k) { return all.ndcg(k); }

    /** The metrics on the positions whose target is already in the history (none under {@code --exclude-seen}). */
    public Slice repeats() { return repeats; }

    /** The metrics on the positions whose target is not in the history (all of them under {@code --exclude-seen}). */
    public Slice nonRepeats() { return nonRepeats; }

    /** Share of the catalogue in at least one top-20 list ({@link BeyondAccuracy}); NaN without list metrics. */
    public double coverage() { return coverage; }

    /** Mean popularity percentile of the recommended songs ({@link BeyondAccuracy}); NaN without list metrics. */
    public double popularityPercentile() { return popularityPercentile; }

    /** Mean self-information of the recommended songs, in bits ({@link BeyondAccuracy}); NaN without list metrics. */
    public double novelty() { return novelty; }

    /** Accuracy@k of the LAST protocol. */
    public double accuracy(int k) {
        if (accuracy.length == 0) throw new IllegalStateException("accuracy@k is reported under the LAST protocol only");
        return accuracy[cutoff(ACCURACY_CUTOFFS, k)];
    }

    private static int cutoff(int[] cutoffs, int k) {
        for (int c = 0; c < cutoffs.length; c++) if (cutoffs[c] == k) return c;
        throw new IllegalArgumentException("k=" + k + " is not reported; choose one of " + java.util.Arrays.toString(cutoffs));
    }

    /** The metrics as one JSON object (keys in a fixed order, "scoring" last). */
    public String toJson() {
        StringBuilder b = new StringBuilder("{");
        b.append("\"nll\": ").append(all.probabilities ? Json.number(all.nll) : "null");
        b.append(", \"perplexity\": ").append(all.probabilities ? Json.number(Math.exp(all.nll)) : "null");
        all.appendRanking(b);
        if (accuracy.length > 0) appendAll(b, "accuracy", ACCURACY_CUTOFFS, accuracy);
        int n = BeyondAccuracy.LIST_LENGTH;
        b.append(", \"coverage@").append(n).append("\": ").append(Json.number(coverage));
        b.append(", \"popularity_percentile@").append(n).append("\": ").append(Json.number(popularityPercentile));
        b.append(", \"novelty@").append(n).append("\": ").append(Json.number(novelty));
        b.append(", \"positions\": ").append(all.positions);
        b.append(", \"repeat\": ").append(repeats.toJson());
        b.append(", \"non_repeat\": ").append(nonRepeats.toJson());
        b.append(", \"scoring\": ").append(scoring.toJson());
        return b.append('}').toString();
    }

    private static void appendAll(StringBuilder b, String key, int[] cutoffs, double[] values) {
        for (int c = 0; c < cutoffs.length; c++) {
            b.append(", ").append(Json.string(key + "@" + cutoffs[c])).append(": ").append(Json.number(values[c]));
        }
    }

    /** Several reports (of the same scoring) as one JSON object keyed by model name. */
    public static String json(List<EvaluationReport> reports) {
        StringBuilder b = new StringBuilder("{\n");
        for (int r = 0; r < reports.size(); r++) {
            EvaluationReport e = reports.get(r);
            b.append("  ").append(Json.string(e.model)).append(": ").append(e.toJson());
            b.append(r + 1 < reports.size() ? ",\n" : "\n");
        }
        return b.append("}\n").toString();
    }

    /** A readable table for one report: a row per cut-off. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        b.append(model).append(": ").append(all.positions).append(" positions");
        if (all.probabilities) b.append(String.format(Locale.ROOT, ", nll %.4f, perplexity %.1f", all.nll, Math.exp(all.nll)));
        b.append('\n').append("scoring: ").append(scoring.describe()).append('\n');
        b.append(String.format(Locale.ROOT, "%6s %8s %8s %8s%n", "k", "hit", "mrr", "ndcg"));
        for (int c = 0; c < RankingMetrics.CUTOFFS.length; c++) {
            b.append(String.format(Locale.ROOT, "%6d %8.4f %8.4f %8.4f%n", RankingMetrics.CUTOFFS[c], all.hit[c], all.mrr[c], all.ndcg[c]));
        }
        for (int c = 0; c < accuracy.length; c++) {
            b.append(String.format(Locale.ROOT, "accuracy@%d %.4f%n", ACCURACY_CUTOFFS[c], accuracy[c]));
        }
        if (!scoring.excludeSeen()) {
            for (Slice part : new Slice[] {repeats, nonRepeats}) {
                b.append(String.format(Locale.ROOT, "%s targets: %d positions, hit@1 %.4f, hit@10 %.4f, hit@20 %.4f, hit@100 %.4f, "
                                + "mrr@20 %.4f, ndcg@20 %.4f%n", part == repeats ? "repeat" : "non-repeat", part.positions, part.hit(1),
                        part.hit(10), part.hit(20), part.hit(100), part.mrr(20), part.ndcg(20)));
            }
        }
        if (!Double.isNaN(coverage)) {
            b.append(String.format(Locale.ROOT, "top-%d lists: coverage %.4f, popularity percentile %.1f, novelty %.2f bits%n",
                    BeyondAccuracy.LIST_LENGTH, coverage, popularityPercentile, novelty));
        }
        return b.toString();
    }

    /**
     * Several reports as one table, a row per model; the scoring line is taken from the first report. The list
     * metrics (cov@20: coverage, pop%: popularity percentile, novelty: bits) are shown when any report has them.
     * Without exclusion, each model's row is followed by two rows, {@code  repeat} and {@code  non-repeat}: its metrics
     * on the positions whose target is already in the history and on the others (under {@code --exclude-seen} the
     * repeats are skipped, and the row is all non-repeats).
     */
    public static String table(List<EvaluationReport> reports) {
        if (reports.isEmpty()) return "";
        boolean last = reports.getFirst().accuracy.length > 0;
        StringBuilder b = new StringBuilder("scoring: ").append(reports.getFirst().scoring.describe()).append('\n');
        StringBuilder h = new StringBuilder(String.format(Locale.ROOT, "%-12s %9s %8s %9s", "model", "positions", "nll", "ppl"));
        for (int k : RankingMetrics.CUTOFFS) h.append(String.format(Locale.ROOT, " %7s", "hit@" + k));
        h.append(String.format(Locale.ROOT, " %7s %7s", "mrr@20", "ndcg@20"));
        if (last) for (int k : ACCURACY_CUTOFFS) h.append(String.format(Locale.ROOT, " %7s", "acc@" + k));
        boolean lists = reports.stream().anyMatch(e -> !Double.isNaN(e.coverage));
        if (lists) h.append(String.format(Locale.ROOT, " %7s %7s %7s", "cov@20", "pop%", "novelty"));
        b.append(h).append(String.format(Locale.ROOT, " %7s%n", "sec"));
        for (EvaluationReport e : reports) {
            e.all.appendRow(b, e.model);
            for (double v : e.accuracy) b.append(String.format(Locale.ROOT, " %7.4f", v));
            if (lists) b.append(String.format(Locale.ROOT, " %7.4f %7.1f %7.2f", e.coverage, e.popularityPercentile, e.novelty));
            b.append(String.format(Locale.ROOT, " %7.2f%n", e.seconds));
            if (!e.scoring.excludeSeen()) {
                e.repeats.appendRow(b, "  repeat").append(System.lineSeparator());
                e.nonRepeats.appendRow(b, "  non-repeat").append(System.lineSeparator());
            }
        }
        return b.toString();
    }
}
