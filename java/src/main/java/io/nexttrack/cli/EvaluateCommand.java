package io.nexttrack.cli;

import io.nexttrack.data.Dataset;
import io.nexttrack.data.Split;
import io.nexttrack.engine.EngineFactory;
import io.nexttrack.eval.EvaluationReport;
import io.nexttrack.eval.HybridModel;
import io.nexttrack.eval.NextSongModel;
import io.nexttrack.model.TrainedModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code nexttrack evaluate}: NLL, perplexity and full-ranking metrics of a trained model on a split. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Score a trained model on a split: NLL, perplexity, HitRate/MRR/NDCG@k over a full ranking "
                + "of all songs (pessimistic ties); a hybrid model is scored as such and as its LSTM alone.")
final class EvaluateCommand implements Callable<Integer> {
    @Mixin ModelFileOption modelFile;

    @Mixin DataOptions data;
    @Mixin SplitOptions splitting;
    @Mixin EvalOptions eval;
    @Mixin DeviceOption device;

    @Mixin ThreadsOption threads;

    @Mixin ConfigOption config;

    @Override
    public Integer call() throws Exception {
        TrainedModel model = modelFile.load();
        Dataset d = data.read();
        requireSameSongs(model, d, modelFile.file);
        Split split = splitting.split(d);
        EngineFactory engines = device.engines(threads.count(), eval.json ? System.err : System.out);
        List<EvaluationReport> reports = new ArrayList<>();
        for (NextSongModel m : HybridModel.withItsLstm(model, engines)) {
            reports.add(eval.evaluator(split).evaluate(m, split.part(eval.split), eval.splitName(splitting.splitSeed)));
        }
        System.out.print(eval.json ? EvaluationReport.json(reports) : EvaluationReport.table(reports));
        return 0;
    }

    private static void requireSameSongs(TrainedModel model, Dataset d, Path modelFile) {
        if (!model.vocabulary().externalIds().equals(d.vocabulary().externalIds())) {
            throw new Main.UserError(modelFile + " was trained on a different song list (" + model.config().songs()
                    + " songs) than this data (" + d.songCount() + " songs)");
        }
    }
}
