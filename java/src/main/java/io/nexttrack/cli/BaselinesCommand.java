package io.nexttrack.cli;

import io.nexttrack.data.Split;
import io.nexttrack.eval.EvaluationReport;
import io.nexttrack.eval.Evaluator;
import io.nexttrack.eval.NextSongModel;
import io.nexttrack.eval.baselines.Baselines;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code nexttrack baselines}: fits the baselines on the training split and scores them on another split. */
@Command(name = "baselines", mixinStandardHelpOptions = true,
        description = {"Fit the baselines (popularity, bigram, item-knn, session-knn) on the training split "
                + "(bigram tuned on validation) and evaluate them with full ranking and pessimistic ties."})
public final class BaselinesCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin DataOptions data;
    @Mixin SplitOptions splitting;
    @Mixin EvalOptions eval;
    @Mixin ConfigOption config;

    @Override
    public Integer call() throws Exception {
        Split parts = splitting.split(data.read());
        if (parts.train().size() == 0) throw new Main.UserError("no training playlists in " + data.data);
        Evaluator evaluator = eval.evaluator(parts);
        List<EvaluationReport> reports = new ArrayList<>();
        PrintWriter err = spec.commandLine().getErr();
        for (NextSongModel model : fitAll(parts)) {
            EvaluationReport r = evaluator.evaluate(model, parts.part(eval.split), eval.splitName(splitting.splitSeed));
            reports.add(r);
            if (!eval.json) err.printf(Locale.ROOT, "%s: evaluated in %.2f s%n", model.name(), r.seconds());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(eval.json ? EvaluationReport.json(reports) : EvaluationReport.table(reports));
        out.flush();
        return 0;
    }

    /** Every baseline, fitted on train; the bigram's weight is tuned on validation when there is any. */
    static List<NextSongModel> fitAll(Split parts) {
        return Baselines.fit(parts.train(), parts.validation());
    }
}
