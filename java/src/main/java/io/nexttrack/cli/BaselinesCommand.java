package io.nexttrack.cli;

import io.nexttrack.data.PlaylistReader;
import io.nexttrack.data.Playlists;
import io.nexttrack.data.Split;
import io.nexttrack.eval.EvaluationReport;
import io.nexttrack.eval.Evaluator;
import io.nexttrack.eval.NextSongModel;
import io.nexttrack.eval.baselines.Bigram;
import io.nexttrack.eval.baselines.ItemKnn;
import io.nexttrack.eval.baselines.Popularity;
import io.nexttrack.eval.baselines.SessionKnn;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code nexttrack baselines}: fits the baselines on the training split and scores them on another split. */
@Command(name = "baselines", mixinStandardHelpOptions = true,
        description = {"Fit the baselines (popularity, bigram, item-knn, session-knn) on the training split "
                + "(bigram tuned on validation) and evaluate them with full ranking and pessimistic ties."})
public final class BaselinesCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "A Yes-format folder (train.txt), or a playlist file.")
    Path data;

    @Option(names = "--split", defaultValue = "test", paramLabel = "SPLIT", description = "test or validation (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the 80/10/10 split (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--exclude-seen", description = "Remove songs already in the history from the ranking; positions whose target is in the history are skipped.")
    boolean excludeSeen;

    @Option(names = "--protocol", defaultValue = "next", paramLabel = "PROTOCOL",
            description = "next (every next-song position) or last (the last song of each playlist) (default: ${DEFAULT-VALUE}).")
    String protocol;

    @Option(names = "--json", description = "Print a JSON object keyed by baseline name instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Split.Part part = parsePart(split);
        Evaluator evaluator = new Evaluator(parseProtocol(protocol), excludeSeen);
        Split parts = Split.of(PlaylistReader.read(data).playlists(), seed);
        if (parts.train().size() == 0) throw new Main.UserError("no training playlists in " + data);
        Playlists evaluated = parts.part(part);
        String splitName = part.name().toLowerCase(Locale.ROOT) + " (seed " + seed + ")";

        List<EvaluationReport> reports = new ArrayList<>();
        for (NextSongModel model : fitAll(parts)) reports.add(evaluator.evaluate(model, evaluated, splitName));
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? EvaluationReport.json(reports) : EvaluationReport.table(reports));
        out.flush();
        return 0;
    }

    /** Every baseline, fitted on train; the bigram's weight is tuned on validation when there is any. */
    static List<NextSongModel> fitAll(Split parts) {
        Bigram bigram = new Bigram().fit(parts.train());
        if (parts.validation().transitions() > 0) bigram.tune(parts.validation());
        return List.of(new Popularity().fit(parts.train()), bigram,
                new ItemKnn().fit(parts.train()), new SessionKnn().fit(parts.train()));
    }

    private static Split.Part parsePart(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "test" -> Split.Part.TEST;
            case "validation" -> Split.Part.VALIDATION;
            default -> throw new Main.UserError("--split must be test or validation, not '" + s + "'");
        };
    }

    private static Evaluator.Protocol parseProtocol(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "next" -> Evaluator.Protocol.NEXT;
            case "last" -> Evaluator.Protocol.LAST;
            default -> throw new Main.UserError("--protocol must be next or last, not '" + s + "'");
        };
    }
}
