package io.nexttrack.bench;

import io.nexttrack.data.Dataset;
import io.nexttrack.data.PlaylistReader;
import io.nexttrack.data.Playlists;
import io.nexttrack.data.Split;
import io.nexttrack.eval.EvaluationReport;
import io.nexttrack.eval.Evaluator;
import io.nexttrack.eval.HybridModel;
import io.nexttrack.eval.LstmModel;
import io.nexttrack.eval.NextSongModel;
import io.nexttrack.eval.baselines.Baselines;
import io.nexttrack.model.PlaylistNeighbours;
import io.nexttrack.model.TrainedModel;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reproduces the hybrid rows of docs/quality.md: for each neighbour setting (k:sample:decay:before), tunes the
 * hybrid's weights (against the baselines, as train does) on a split part with a trained model's LSTM, then scores it there with and without
 * excluding seen songs. Built with the benchmarks (so that it compiles in every build); run from the repository root
 * after {@code mvn -DskipTests package}:
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar io.nexttrack.bench.HybridSweep \
 *     ../shared/data/yes/yes_small runs/yes/model.nt 42 VALIDATION 100:1000:0.5:0.3
 * </pre>
 */
public class HybridSweep {
    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            System.err.println("usage: HybridSweep DATA MODEL SPLIT_SEED PART k:sample:decay:before...");
            System.exit(2);
        }
        Dataset d = PlaylistReader.read(Path.of(args[0]));
        Split split = Split.of(d.playlists(), Long.parseLong(args[2]));
        Playlists part = split.part(Split.Part.valueOf(args[3]));
        LstmModel lstm = new LstmModel(TrainedModel.load(Path.of(args[1])), 100, 20, Runtime.getRuntime().availableProcessors());
        System.out.println("model                  weights (lstm set sequence repeats) | NLL h@1 h@5 h@10 h@20 h@100 MRR@20 NDCG@20 | excl.: h@1 h@5 h@10 h@20 h@100 MRR@20 NDCG@20");
        print("lstm", "", lstm, part);
        for (int a = 4; a < args.length; a++) {
            String[] f = args[a].split(":");
            var settings = new PlaylistNeighbours.Settings(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Double.parseDouble(f[2]),
                    Double.parseDouble(f[3]));
            var tuning = HybridModel.tune(lstm, new PlaylistNeighbours(split.train(), settings), part,
                    Baselines.fitAll(split));
            var h = tuning.hybrid();
            print(args[a], String.format(Locale.ROOT, "%.1f %.1f %.1f %.2f", h.lstmWeight(), h.setWeight(), h.sequenceWeight(),
                    h.repeatWeight()), new HybridModel(lstm, h), part);
        }
    }

    private static void print(String name, String weights, NextSongModel model, Playlists part) {
        EvaluationReport all = new Evaluator(Evaluator.Protocol.NEXT, false).evaluate(model, part, "part");
        EvaluationReport unseen = new Evaluator(Evaluator.Protocol.NEXT, true).evaluate(model, part, "part");
        System.out.printf(Locale.ROOT, "%-22s %-27s | %.4f %.4f %.4f %.4f %.4f %.4f %.4f %.4f | %.4f %.4f %.4f %.4f %.4f %.4f %.4f%n",
                name, weights, all.nll().orElseThrow(), all.hit(1), all.hit(5), all.hit(10), all.hit(20), all.hit(100), all.mrr(20),
                all.ndcg(20), unseen.hit(1), unseen.hit(5), unseen.hit(10), unseen.hit(20), unseen.hit(100), unseen.mrr(20), unseen.ndcg(20));
    }
}
