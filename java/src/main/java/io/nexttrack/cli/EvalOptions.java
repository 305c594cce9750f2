package io.nexttrack.cli;

import io.nexttrack.data.Split;
import io.nexttrack.eval.Evaluator;
import picocli.CommandLine.Option;

/** How a model is scored: which split, which protocol, whether seen songs are excluded, output format. */
final class EvalOptions {
    @Option(names = "--split", paramLabel = "PART", description = "Which part to score: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Split.Part split = Split.Part.TEST;

    @Option(names = "--protocol", paramLabel = "P", description = "NEXT: every next-song position; LAST: the last song of each playlist "
            + "from all earlier ones (default: ${DEFAULT-VALUE}).")
    Evaluator.Protocol protocol = Evaluator.Protocol.NEXT;

    @Option(names = "--exclude-seen", description = "Remove songs already in the history from the ranking "
            + "(positions whose target is in the history are skipped and counted).")
    boolean excludeSeen;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    /** Scores with the list metrics, popularity taken from the split's training part. */
    Evaluator evaluator(Split parts) {
        return new Evaluator(protocol, excludeSeen, parts.train().songCounts());
    }

    String splitName(long seed) {
        return split.name().toLowerCase(java.util.Locale.ROOT) + " (split seed " + seed + ")";
    }
}
