package io.nexttrack.cli;

import io.nexttrack.data.Dataset;
import io.nexttrack.data.Split;
import io.nexttrack.engine.EngineFactory;
import io.nexttrack.eval.EvaluationReport;
import io.nexttrack.eval.LstmModel;
import io.nexttrack.model.TrainedModel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code nexttrack evaluate}: NLL, perplexity and full-ranking metrics of a trained model on a split. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Score a trained model on a split: NLL, perplexity, HitRate/MRR/NDCG@k over a full ranking "
                + "of all songs (pessimistic ties).")
final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "A model file written by train.")
    Path modelFile;

    @Mixin DataOptions data;
    @Mixin EvalOptions eval;
    @Mixin DeviceOption device;

    @Option(names = "--threads", description = "CPU worker threads (default: all cores).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Override
    public Integer call() throws Exception {
        TrainedModel model = TrainedModel.load(modelFile);
        Dataset d = data.read();
        requireSameSongs(model, d, modelFile);
        Split split = data.split(d);
        EngineFactory engines = device.engines(ModelOptions.capThreads(threads), eval.json ? System.err : System.out);
        EvaluationReport r = eval.evaluator().evaluate(new LstmModel(model, 100, 20, engines), split.part(eval.split),
                eval.splitName(data.splitSeed));
        System.out.print(eval.json ? r.toJson() + "\n" : EvaluationReport.table(List.of(r)));
        return 0;
    }

    static void requireSameSongs(TrainedModel model, Dataset d, Path modelFile) {
        if (!model.vocabulary().externalIds().equals(d.vocabulary().externalIds())) {
            throw new Main.UserError(modelFile + " was trained on a different song list (" + model.config().songs()
                    + " songs) than this data (" + d.songCount() + " songs)");
        }
    }
}
