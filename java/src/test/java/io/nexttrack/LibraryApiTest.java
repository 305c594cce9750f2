package io.nexttrack;

import static org.junit.jupiter.api.Assertions.*;

import io.nexttrack.data.Batcher;
import io.nexttrack.data.Dataset;
import io.nexttrack.data.Playlists;
import io.nexttrack.data.SongLookup;
import io.nexttrack.data.Split;
import io.nexttrack.data.SyntheticPlaylists;
import io.nexttrack.engine.EngineFactory;
import io.nexttrack.eval.EvaluationReport;
import io.nexttrack.eval.Evaluator;
import io.nexttrack.eval.HybridModel;
import io.nexttrack.model.ModelConfig;
import io.nexttrack.model.Parameters;
import io.nexttrack.model.TrainedModel;
import io.nexttrack.recommend.ListeningSession;
import io.nexttrack.recommend.Recommendation;
import io.nexttrack.recommend.Recommender;
import io.nexttrack.train.Hook;
import io.nexttrack.train.ProgressBar;
import io.nexttrack.train.Trainer;
import io.nexttrack.train.TrainingConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The library's surface as a user meets it: the NextTrack facade, the settings' {@code with...} methods, sessions. */
class LibraryApiTest {
    static final Dataset DATA = SyntheticPlaylists.generate(120, 900, 3);
    static final Split SPLIT = Split.of(DATA.playlists(), 42);

    static TrainingConfig quick(int epochs) {
        return TrainingConfig.defaults().withEpochs(epochs).withBatch(16).withUnroll(8).withLearningRate(1e-2);
    }

    static ModelConfig small() {
        return ModelConfig.seed(DATA.songCount()).withEmbedding(16).withHidden(24).withLayers(1);
    }

    /** A different valid value for each setting. */
    static final Map<String, Object> TRAINING_VALUES = Map.ofEntries(Map.entry("epochs", 7), Map.entry("batch", 33),
            Map.entry("unroll", 9), Map.entry("layout", Batcher.Layout.BUCKETS), Map.entry("learningRate", 0.02),
            Map.entry("learningRateDecay", 0.5), Map.entry("beta1", 0.8), Map.entry("beta2", 0.99), Map.entry("epsilon", 1e-6),
            Map.entry("clipNorm", 2.5), Map.entry("seed", 99L), Map.entry("patience", 9), Map.entry("checkpointMinutes", 3.5),
            Map.entry("loss", io.nexttrack.engine.Loss.sampled(512)));

    @Test
    void everyTrainingSettingHasAWithMethodThatChangesOnlyIt() throws Exception {
        assertEquals(TRAINING_VALUES.keySet().size(), TrainingConfig.class.getRecordComponents().length, "a value for every setting");
        assertWithersChangeOneComponent(TrainingConfig.defaults(), TRAINING_VALUES);
        var e = assertThrows(IllegalArgumentException.class, () -> TrainingConfig.defaults().withBeta2(1.0));
        assertTrue(e.getMessage().contains("betas"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TrainingConfig.defaults().withEpsilon(0));
        assertThrows(IllegalArgumentException.class, () -> TrainingConfig.defaults().withLearningRate(2));
        assertThrows(IllegalArgumentException.class, () -> TrainingConfig.defaults().withLayout(null));
    }

    @Test
    void everyModelSettingBesidesTheSongsHasAWithMethod() throws Exception {
        assertWithersChangeOneComponent(ModelConfig.seed(50), Map.of("embedding", 7, "hidden", 9, "layers", 3, "initScale", 0.3f,
                "xavier", true, "dropout", 0.25f));
        assertThrows(IllegalArgumentException.class, () -> ModelConfig.seed(50).withDropout(1f));
    }

    /** The command line's train defaults are the seed's shape and settings with dropout and a higher rate, nothing else. */
    @Test
    void theDefaultsAreTheSeedsWithDropoutAndItsRate() {
        assertEquals(ModelConfig.seed(50).withDropout(ModelConfig.DEFAULT_DROPOUT), ModelConfig.defaults(50));
        assertEquals(0f, ModelConfig.seed(50).dropout());
        assertEquals(TrainingConfig.seedReport().withLearningRate(TrainingConfig.DEFAULT_LEARNING_RATE), TrainingConfig.defaults());
        assertEquals(1e-3, TrainingConfig.seedReport().learningRate());
    }

    private static <R extends Record> void assertWithersChangeOneComponent(R base, Map<String, Object> values) throws Exception {
        RecordComponent[] components = base.getClass().getRecordComponents();
        for (var entry : values.entrySet()) {
            String name = entry.getKey();
            RecordComponent changed = java.util.Arrays.stream(components).filter(c -> c.getName().equals(name)).findFirst().orElseThrow();
            Method with = base.getClass().getMethod("with" + Character.toUpperCase(name.charAt(0)) + name.substring(1), changed.getType());
            Object result = with.invoke(base, entry.getValue());
            for (RecordComponent c : components) {
                Object expected = c == changed ? entry.getValue() : c.getAccessor().invoke(base);
                assertEquals(expected, c.getAccessor().invoke(result), "with" + name + " and " + c.getName());
            }
        }
    }

    /** The protocols and exclusion through the facade give the evaluator's own reports. */
    @Test
    void evaluateTakesAProtocolAndExclusion() {
        TrainedModel model = new TrainedModel(new Parameters(small()).initialise(4), DATA.vocabulary(), DATA.catalog());
        EngineFactory cpu = EngineFactory.cpu(1);
        Playlists test = SPLIT.test();
        for (Evaluator.Protocol protocol : Evaluator.Protocol.values()) {
            for (boolean exclude : new boolean[] {false, true}) {
                EvaluationReport viaFacade = NextTrack.evaluate(model, test, protocol, exclude, cpu);
                EvaluationReport direct = new Evaluator(protocol, exclude).evaluate(HybridModel.of(model, 100, 20, cpu), test, "t");
                assertEquals(protocol, viaFacade.scoring().protocol());
                assertEquals(exclude, viaFacade.scoring().excludeSeen());
                assertEquals(direct.positions(), viaFacade.positions());
                assertEquals(direct.nll().orElseThrow(), viaFacade.nll().orElseThrow(), 0.0);
                assertEquals(direct.hit(10), viaFacade.hit(10), 0.0);
            }
        }
        long lastPositions = java.util.stream.IntStream.range(0, test.size()).filter(p -> test.length(p) >= 2).count();
        assertEquals(lastPositions, NextTrack.evaluate(model, test, Evaluator.Protocol.LAST, false, cpu).positions());
        assertEquals(test.transitions(), NextTrack.evaluate(model, test, cpu).positions());
    }

    /** NextTrack.train with the progress hook prints epoch lines; the learning-rate decay of the settings is applied. */
    @Test
    void trainingShowsProgressAndDecaysTheLearningRate() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<Double> rates = new ArrayList<>();
        List<Boolean> best = new ArrayList<>();
        Hook rate = new Hook() {
            @Override public void onEpoch(Trainer t, Epoch e) {
                rates.add(t.learningRate());
                best.add(e.best());
            }
        };
        TrainingConfig config = quick(12).withLearningRate(0.1).withLearningRateDecay(0.5).withPatience(0);
        TrainedModel model = NextTrack.train(DATA, SPLIT, small(), config, EngineFactory.cpu(1),
                new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), false), rate);
        assertNotNull(model.hybrid(), "the default model: with its hybrid");
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertTrue(lines.stream().anyMatch(l -> l.matches("epoch 1/12 {2}\\d+/\\d+ chunks {2}loss .*, run at most .*")),
                "progress within an epoch, and of the run:\n" + lines);
        for (int e = 1; e <= 12; e++) {
            int epoch = e;
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("epoch " + epoch + "  train loss ")), "epoch line " + e + ":\n" + lines);
        }
        // After every epoch that was not the best, the rate halves (the decay hook runs before the user's hooks).
        double expected = 0.1;
        for (int e = 0; e < rates.size(); e++) {
            if (!best.get(e)) expected /= 2;
            assertEquals(expected, rates.get(e), 1e-6 * expected, "after epoch " + (e + 1)); // Adam keeps it as a float
        }
        assertTrue(best.contains(false), "the test needs an epoch that is not the best: " + best);
    }

    @Test
    void songsAreFoundByNameThroughTheRecommender() {
        Recommender r = NextTrack.recommender(TestModels.random(DATA.songCount(), 3).withHybrid(null));
        TrainedModel named = new TrainedModel(r.model().parameters(), DATA.vocabulary(), DATA.catalog());
        Recommender recommender = NextTrack.recommender(named);
        String title = DATA.catalog().title(17);
        int id = recommender.songs().resolve(title.toUpperCase(java.util.Locale.ROOT), SongLookup.Ids.INTERNAL).id();
        assertEquals(title, DATA.catalog().title(id));
        assertArrayEquals(new int[] {id, 3}, recommender.songs().ids(title, "3"));
        assertSame(recommender.songs(), recommender.songs(), "built once");
        var missing = assertThrows(SongLookup.NotFound.class, () -> recommender.songs().ids("no such song at all"));
        assertEquals(SongLookup.Reason.UNKNOWN, missing.reason());
    }

    @Test
    void aClosedSessionSaysSoAndNextDefaultsToNoExclusion() {
        Recommender r = new Recommender(TestModels.random(60, 2));
        ListeningSession session = r.session();
        session.play(4);
        session.play(9);
        assertEquals(session.next(5, false), session.next(5));
        assertEquals(r.recommend(new int[] {4, 9}, 5).stream().map(Recommendation::song).toList(),
                session.next(5).stream().map(Recommendation::song).toList());
        session.close();
        session.close(); // harmless
        var e = assertThrows(IllegalStateException.class, () -> session.play(1));
        assertEquals("this listening session was closed: start a new one with Recommender.session()", e.getMessage());
        assertThrows(IllegalStateException.class, () -> session.next(3));
        assertThrows(IllegalArgumentException.class, () -> r.session().next(0));
    }

    @Test
    void aClosedTrainerSaysSo() {
        TrainedModel fresh = new TrainedModel(new Parameters(small()).initialise(1), DATA.vocabulary(), DATA.catalog());
        Trainer t = NextTrack.trainer(fresh, quick(1), SPLIT, List.of(), EngineFactory.cpu(1));
        t.close();
        t.close();
        var e = assertThrows(IllegalStateException.class, t::train);
        assertTrue(e.getMessage().startsWith("this trainer was closed"), e.getMessage());
        assertThrows(IllegalStateException.class, t::bestModel);
    }
}
