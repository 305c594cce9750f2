package example;

import io.nexttrack.NextTrack;
import io.nexttrack.data.Dataset;
import io.nexttrack.data.Song;
import io.nexttrack.data.Split;
import io.nexttrack.data.SyntheticPlaylists;
import io.nexttrack.engine.Device;
import io.nexttrack.engine.EngineFactory;
import io.nexttrack.engine.Lstm;
import io.nexttrack.eval.EvaluationReport;
import io.nexttrack.eval.Evaluator;
import io.nexttrack.model.ModelConfig;
import io.nexttrack.model.TrainedModel;
import io.nexttrack.recommend.ListeningSession;
import io.nexttrack.recommend.Recommendation;
import io.nexttrack.recommend.Recommender;
import io.nexttrack.train.ProgressBar;
import io.nexttrack.train.TrainingConfig;
import java.nio.file.Path;
import java.util.List;

/**
 * nexttrack from a user's project: trains a small model on generated playlists, evaluates it, saves and loads
 * it, and recommends, by song name and in a listening session. Each step checks its result; a failed check
 * ends the program with exit code 1, which fails the build that runs it.
 */
public final class Quickstart {
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args.length > 0 ? args[0] : "quickstart-model.nt");

        // 300 songs, 4,000 playlists of stations and rotations, generated in memory; split 80/10/10 by playlist.
        Dataset data = SyntheticPlaylists.generate(300, 4000, 7);
        Split split = Split.of(data.playlists(), 42);
        ModelConfig shape = ModelConfig.seed(data.songCount()).withEmbedding(32).withHidden(32).withLayers(1);
        TrainingConfig training = TrainingConfig.defaults().withEpochs(15).withLearningRate(1e-2);
        EngineFactory twoThreads = EngineFactory.of(Device.AUTO, Lstm.FUSED, 2); // the GPU if one works, else 2 CPU threads
        TrainedModel model = NextTrack.train(data, split, shape, training, twoThreads, ProgressBar.onStdout());

        EvaluationReport all = NextTrack.evaluate(model, split.test());
        EvaluationReport last = NextTrack.evaluate(model, split.test(), Evaluator.Protocol.LAST, true);
        System.out.printf("test: perplexity %.1f, hit@10 %.3f (every position); hit@10 %.3f (last songs, played ones excluded)%n",
                all.perplexity().orElseThrow(), all.hit(10), last.hit(10));
        check(all.perplexity().orElseThrow() < data.songCount() / 5.0, "the model learnt: perplexity below a fifth of a uniform guess's (" + data.songCount() + ")");
        check(all.hit(10) > 0.4, "hit@10 above 0.4 (a uniform guess: " + 10.0 / data.songCount() + ")");

        model.save(file);
        Recommender recommender = NextTrack.recommender(TrainedModel.load(file));
        Recommender inMemory = NextTrack.recommender(model);

        // Songs by name: the first three songs of the first test playlist that has them, by title and artist.
        int p = 0;
        while (split.test().length(p) < 3) p++;
        int[] playlist = split.test().playlist(p);
        String[] names = new String[3];
        for (int i = 0; i < 3; i++) names[i] = recommender.songs().song(playlist[i]).label();
        int[] history = recommender.songs().ids(names);
        System.out.println("after " + String.join(" | ", names) + ":");
        List<Recommendation> next = recommender.recommend(history, 5, true);
        for (Recommendation r : next) {
            System.out.printf("  %d. %s - %s  (p=%.3f)%n", r.rank(), r.title(), r.artist(), Math.exp(r.score()));
        }
        check(next.size() == 5, "five recommendations");
        check(next.equals(inMemory.recommend(history, 5, true)), "the saved and loaded model recommends as the trained one");

        try (ListeningSession session = recommender.session()) {
            for (int song : history) session.play(song);
            check(songs(session.next(5, true)).equals(songs(next)), "a listening session agrees with the recommender");
        }
        // The library brings nothing else: picocli (the command line's) and JavaCPP (the GPU engine's) are optional, and
        // its jar's manifest names no class path, even where the jar sits next to the command line's lib/ folder.
        check(missing("picocli.CommandLine") && missing("org.bytedeco.javacpp.Loader"), "the class path holds nexttrack alone");
        Song top = recommender.songs().song(next.getFirst().song());
        System.out.println("quickstart: all checks passed (top pick: " + top + ")");
    }

    private static List<Integer> songs(List<Recommendation> list) {
        return list.stream().map(Recommendation::song).toList();
    }

    private static boolean missing(String className) {
        try {
            Class.forName(className, false, Quickstart.class.getClassLoader());
            return false;
        } catch (ClassNotFoundException e) {
            return true;
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            System.err.println("quickstart: check failed: " + what);
            System.exit(1);
        }
    }
}
