package io.nexttrack.cli;

import io.nexttrack.data.Dataset;
import io.nexttrack.data.PlaylistReader;
import io.nexttrack.data.Playlists;
import io.nexttrack.data.Split;
import io.nexttrack.data.SyntheticPlaylists;
import io.nexttrack.engine.EngineFactory;
import io.nexttrack.eval.EvaluationReport;
import io.nexttrack.eval.Evaluator;
import io.nexttrack.eval.HybridModel;
import io.nexttrack.eval.NextSongModel;
import io.nexttrack.eval.baselines.Baselines;
import io.nexttrack.model.TrainedModel;
import io.nexttrack.recommend.Recommendation;
import io.nexttrack.recommend.Recommender;
import io.nexttrack.train.ProgressBar;
import io.nexttrack.train.RunFiles;
import io.nexttrack.train.TrainingRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code nexttrack demo}: the whole job in one command. A {@link TrainingRun} with the defaults on {@code --data}, or
 * on the synthetic default, that replaces the demo's last run; then test perplexity and ranking against the baselines,
 * and a few recommendations.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train on --data (or on generated playlists), report test perplexity against the baselines, "
                + "and show recommendations."})
final class DemoCommand implements Callable<Integer> {
    static final int SYNTHETIC_SONGS = 2_000;
    static final int SYNTHETIC_PLAYLISTS = 30_000;

    @Option(names = "--data", paramLabel = "DIR", description = DataOptions.DATA + " Without it: synthetic playlists ("
            + SYNTHETIC_SONGS + " songs, " + SYNTHETIC_PLAYLISTS + " playlists).")
    Path data;

    @Option(names = "--format", paramLabel = "FORMAT", description = DataOptions.FORMAT)
    PlaylistReader.Format format = PlaylistReader.Format.AUTO;

    @Mixin SplitOptions splitting;
    @Mixin ModelOptions options;
    @Mixin ThreadsOption threads;
    @Mixin ScheduleOptions schedule;
    @Mixin HybridOption hybrid;
    @Mixin DeviceOption device;

    @Option(names = "--out", paramLabel = "MODEL", description = "Where to write the model (default: ${DEFAULT-VALUE}); the "
            + "demo replaces the run it finds there (its model, resume file, metrics log and plot), but never an input or a "
            + "file that is not a model.")
    Path out = Path.of("runs/demo/model.nt");

    @Mixin ConfigOption config;

    @Override
    public Integer call() throws Exception {
        Map<Path, String> inputs = config.inputs(data);
        new RunFiles(out).check(TrainingRun.Start.OVERWRITE, inputs); // before the data is read: refused at once
        Dataset d;
        if (data == null) {
            System.out.printf("no --data: using synthetic playlists (%,d songs, %,d playlists, seed 1; "
                    + "`nexttrack data synth` writes them to disk)%n", SYNTHETIC_SONGS, SYNTHETIC_PLAYLISTS);
            d = SyntheticPlaylists.generate(SYNTHETIC_SONGS, SYNTHETIC_PLAYLISTS, 1);
        } else {
            d = PlaylistReader.read(data, format);
        }
        Split split = splitting.trainingSplit(d, data == null ? "the synthetic playlists" : data.toString());
        System.out.println(split.summary(d.songCount()));
        EngineFactory engines = device.engines(threads.count(), System.out);
        TrainingRun.Builder run = TrainingRun.fresh(d, split, options.model(d.songCount()), options.training(schedule))
                .writingTo(out).overwrite().split(splitting.settings()).engines(engines).hybrid(hybrid.enabled)
                .hooks(ProgressBar.onStdout()).log(System.out);
        inputs.forEach(run::input);
        TrainedModel model;
        try (TrainingRun r = run.open(); Interruption ignored = Interruption.ofDemo(r)) {
            model = r.train();
        }
        if (split.test().transitions() == 0 || split.validation().transitions() == 0) {
            System.out.println("too few playlists for a validation and a test split: nothing to compare on");
            return 0;
        }
        compare(model, split, engines);
        showRecommendations(model, split.test(), engines);
        return 0;
    }

    /** The model (and, for a hybrid, its LSTM alone) against every baseline on the test split. */
    private void compare(TrainedModel model, Split split, EngineFactory engines) {
        List<NextSongModel> models = new ArrayList<>(HybridModel.withItsLstm(model, engines));
        models.addAll(Baselines.fitAll(split));
        Evaluator evaluator = new Evaluator(Evaluator.Protocol.NEXT, false, split.train().songCounts());
        List<EvaluationReport> reports = new ArrayList<>();
        for (NextSongModel m : models) reports.add(evaluator.evaluate(m, split.test(), "test (split seed " + splitting.splitSeed + ")"));
        System.out.println();
        System.out.print(EvaluationReport.table(reports));
        EvaluationReport ours = reports.getFirst(), bigram = reports.stream().filter(r -> r.model().equals("bigram")).findFirst().orElseThrow();
        double mine = ours.perplexity().orElseThrow(), bi = bigram.perplexity().orElseThrow();
        System.out.printf(Locale.ROOT, "%ntest perplexity: %s %.1f, bigram %.1f (%s)%n", ours.model(), mine, bi,
                mine < bi ? String.format(Locale.ROOT, "%.1fx lower", bi / mine) : "the model does NOT beat the bigram");
    }

    private static void showRecommendations(TrainedModel model, Playlists test, EngineFactory engines) {
        Recommender r = new Recommender(model, engines);
        System.out.println("\nrecommendations for the first test playlists (history -> top 5; * = the song that followed):");
        int shown = 0;
        for (int p = 0; p < test.size() && shown < 3; p++) {
            if (test.length(p) < 4) continue;
            int[] history = Arrays.copyOf(test.playlist(p), 3);
            int actual = test.song(p, 3);
            System.out.println("  after " + describe(model, history));
            for (Recommendation x : r.recommend(history, 5)) {
                System.out.printf(Locale.ROOT, "    %s %d. %s  (p=%.3f)%n", x.song() == actual ? "*" : " ", x.rank(),
                        describe(model, new int[] {x.song()}), Math.exp(x.score()));
            }
            shown++;
        }
    }

    private static String describe(TrainedModel m, int[] songs) {
        StringBuilder s = new StringBuilder();
        for (int song : songs) {
            if (!s.isEmpty()) s.append(" | ");
            String title = m.catalog().title(song);
            s.append(title.isEmpty() ? "song " + m.vocabulary().externalId(song) : title + " - " + m.catalog().artist(song));
        }
        return s.toString();
    }
}
