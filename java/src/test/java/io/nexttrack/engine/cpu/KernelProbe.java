package io.nexttrack.engine.cpu;

import io.nexttrack.data.Batch;
import io.nexttrack.data.SongCatalog;
import io.nexttrack.data.Vocabulary;
import io.nexttrack.model.Parameters;
import io.nexttrack.model.TrainedModel;
import io.nexttrack.numeric.InnerLoops;
import io.nexttrack.optim.Adam;
import io.nexttrack.recommend.Recommendation;
import io.nexttrack.recommend.Recommender;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Runs the CPU engine's whole training step (forward, backward, clipping, Adam) on random chunks, then
 * recommendations from the trained parameters, with whatever kernels this JVM chose; ScalarPathTest runs it in its
 * own JVM and in JVMs without the Vector API, and compares. Odd sizes, so that every tile and tail runs.
 */
public final class KernelProbe {
    static final int SONGS = 301, EMBEDDING = 12, HIDDEN = 20, LAYERS = 2, LANES = 5, STEPS = 7, TRAINING_STEPS = 3;

    /** What one run computed. */
    record Result(String kernels, double[] losses, double[] norms, float[] firstGradient, float[] parameters, int[][] songs,
                  float[][] scores) implements Serializable {}

    public static void main(String[] args) throws Exception {
        try (ObjectOutputStream out = new ObjectOutputStream(Files.newOutputStream(Path.of(args[0])))) {
            out.writeObject(run());
        }
    }

    static Result run() {
        Parameters params = TestData.parameters(SONGS, EMBEDDING, HIDDEN, LAYERS, 11);
        Adam adam = new Adam(params.size(), 1e-2f, 0.9f, 0.999f, 1e-8f);
        double[] losses = new double[TRAINING_STEPS], norms = new double[TRAINING_STEPS];
        float[] firstGradient = new float[params.size()];
        try (CpuModel probe = new CpuModel(params, LANES, STEPS, 2)) {
            probe.forwardBackward(TestData.batch(LANES, STEPS, SONGS, 100), firstGradient);
        }
        // A low clipping threshold, so that clipping scales the gradient.
        try (CpuTrainingEngine engine = new CpuTrainingEngine(params, adam, 0.5, LANES, STEPS, 2, 1)) {
            for (int s = 0; s < TRAINING_STEPS; s++) {
                Batch batch = TestData.batch(LANES, STEPS, SONGS, 100 + s);
                engine.submit(batch);
                losses[s] = engine.trained(0).loss();
                norms[s] = engine.trained(0).gradientNorm();
            }
        }
        Recommender recommender = new Recommender(new TrainedModel(params, Vocabulary.identity(SONGS), SongCatalog.empty(SONGS)));
        SplittableRandom rnd = new SplittableRandom(5);
        int[][] histories = new int[4][];
        for (int i = 0; i < histories.length; i++) histories[i] = rnd.ints(1 + rnd.nextInt(30), 0, SONGS).toArray();
        histories[3] = rnd.ints(150, 0, SONGS).toArray(); // longer than one chunk: the state carries over
        List<List<Recommendation>> lists = recommender.recommend(histories, 10, true);
        int[][] songs = new int[histories.length][];
        float[][] scores = new float[histories.length][];
        for (int i = 0; i < histories.length; i++) {
            songs[i] = lists.get(i).stream().mapToInt(Recommendation::song).toArray();
            scores[i] = new float[songs[i].length];
            for (int r = 0; r < songs[i].length; r++) scores[i][r] = lists.get(i).get(r).score();
        }
        return new Result(InnerLoops.CHOSEN.describe(), losses, norms, firstGradient, params.values().clone(), songs, scores);
    }
}
