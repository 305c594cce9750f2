import io.nexttrack.data.Dataset;
import io.nexttrack.data.PlaylistReader;
import io.nexttrack.data.Playlists;
import io.nexttrack.engine.EngineFactory;
import io.nexttrack.model.Hybrid;
import io.nexttrack.model.ModelConfig;
import io.nexttrack.model.Parameters;
import io.nexttrack.model.PlaylistNeighbours;
import io.nexttrack.model.TrainedModel;
import io.nexttrack.recommend.Recommender;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * "Recommending at scale" (benchmarks/README.md): exact top-10 over every song of STORE (a playlist store, e.g. the
 * MPD-sized synthetic one) from one history on the CPU, with a model of the seed's shape (E = H = 100, 2 layers,
 * random weights: the time does not depend on them), against a streaming read of as many bytes as the output layer's
 * weights; then the hybrid's session-kNN over all of STORE's playlists (memory to build it, time per query).
 *
 * <pre>java --add-modules jdk.incubator.vector -Xmx14g -cp nexttrack.jar:lib/*:classes RecommendAtScale STORE [ROUNDS]</pre>
 *
 * Histories: the first 20 songs of playlists drawn at random (seed 1), so that the neighbours overlap as real ones do.
 */
public class RecommendAtScale {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    public static void main(String[] a) throws Exception {
        int rounds = a.length > 1 ? Integer.parseInt(a[1]) : 3; // of the LSTM's part; the kNN's gets 2
        long t0 = System.nanoTime();
        Dataset d = PlaylistReader.read(Path.of(a[0]));
        Playlists p = d.playlists();
        int songs = d.songCount();
        say("read %s: %,d songs, %,d playlists, %,d plays in %.1f s", a[0], songs, p.size(), p.tokens(), secs(t0));
        SplittableRandom rnd = new SplittableRandom(1);
        int[][] histories = new int[64][];
        for (int i = 0; i < histories.length; i++) {
            int[] pl;
            do pl = p.playlist(rnd.nextInt(p.size())); while (pl.length < 21);
            histories[i] = Arrays.copyOf(pl, 20);
        }
        // The hybrid's session-kNN part over every playlist of the store (the default settings).
        long before = usedAfterGc();
        t0 = System.nanoTime();
        PlaylistNeighbours knn = new PlaylistNeighbours(p.onHeap(), PlaylistNeighbours.Settings.defaults());
        say("session-kNN index over %,d playlists built in %.1f s; heap +%.2f GB (the playlists copied onto the heap included)", p.size(),
                secs(t0), (usedAfterGc() - before) / 1e9);
        before = usedAfterGc();
        PlaylistNeighbours.Cursor cursor = knn.cursor();
        float[] votes = new float[songs];
        say("one cursor (per thread): heap +%.3f GB", (usedAfterGc() - before) / 1e9);
        before = usedAfterGc();
        t0 = System.nanoTime();
        TrainedModel lstm = new TrainedModel(new Parameters(ModelConfig.seed(songs)).initialise(1), d.vocabulary(), d.catalog());
        say("model: %,d parameters (%.2f GB) made in %.1f s; heap +%.2f GB", lstm.parameters().size(),
                lstm.parameters().size() * 4e-9, secs(t0), (usedAfterGc() - before) / 1e9);
        double outputBytes = 4.0 * (lstm.config().hidden() + 1) * songs; // W_out and the bias: what one history's scores read

        for (int round = 1; round <= rounds; round++) {
            say("-- round %d, load %s", round, load());
            bandwidth(lstm.parameters().values(), (int) (outputBytes / 4));
            for (int threads : new int[] {1, 2}) {
                Recommender r = new Recommender(lstm, EngineFactory.cpu(threads));
                time("lstm top-10, 1 history a call, " + threads + " thread(s)", r, histories, 1, 8, outputBytes);
                time("lstm top-10, 8 histories a call, " + threads + " thread(s)", r, histories, 8, 2, outputBytes);
                time("lstm top-10, 64 histories a call, " + threads + " thread(s)", r, histories, 64, 1, outputBytes);
            }
        }

        for (int round = 1; round <= 2; round++) {
            say("-- kNN round %d, load %s", round, load());
            long[] ns = new long[histories.length];
            double sink = 0;
            for (int i = 0; i < histories.length; i++) {
                long s = System.nanoTime();
                cursor.reset();
                for (int song : histories[i]) cursor.play(song);
                cursor.findNeighbours();
                sink += cursor.setVotes(votes, true) + cursor.sequenceVotes(votes, true);
                ns[i] = System.nanoTime() - s;
            }
            Arrays.sort(ns);
            say("session-kNN votes (reset, 20 plays, neighbours, set and sequence votes) per history: median %.1f ms, "
                    + "p90 %.1f ms, max %.1f ms (%s)", ns[ns.length / 2] / 1e6, ns[ns.length * 9 / 10] / 1e6, ns[ns.length - 1] / 1e6,
                    sink > 0 ? "ok" : "no votes");
            Recommender hybrid = new Recommender(lstm.withHybrid(new Hybrid(knn, 0.3, 0.2)), EngineFactory.cpu(1));
            time("lstm+sknn top-10, 1 history a call, 1 thread", hybrid, histories, 1, 8, outputBytes);
        }
    }

    /** Calls of {@code batch} histories, {@code calls} of them after one untimed call; ms per call and per history. */
    private static void time(String what, Recommender r, int[][] histories, int batch, int calls, double outputBytes) {
        int sink = r.recommend(Arrays.copyOfRange(histories, 0, batch), 10, true).size();
        long[] ns = new long[calls], cpu = new long[calls];
        for (int c = 0; c < calls; c++) {
            int from = (c * batch) % histories.length;
            int[][] call = Arrays.copyOfRange(histories, from, from + batch);
            long s = System.nanoTime(), sc = THREADS.getCurrentThreadCpuTime();
            sink += r.recommend(call, 10, true).getFirst().getFirst().song();
            ns[c] = System.nanoTime() - s;
            cpu[c] = THREADS.getCurrentThreadCpuTime() - sc;
        }
        Arrays.sort(ns);
        Arrays.sort(cpu);
        double ms = ns[calls / 2] / 1e6;
        say("%s: median %.1f ms a call (min %.1f, max %.1f; the calling thread's CPU time: median %.1f, min %.1f ms), %.1f ms a "
                + "history; output layer read at %.1f GB/s a history [%d]", what, ms, ns[0] / 1e6, ns[calls - 1] / 1e6,
                cpu[calls / 2] / 1e6, cpu[0] / 1e6, ms / batch, outputBytes * batch / (ms * 1e6), sink & 1);
    }

    /** Reads {@code n} floats of {@code v} (one thread, Vector API sum), 5 times; the best is the read bandwidth. */
    private static void bandwidth(float[] v, int n) {
        double best = 0, bestCpu = 0, sink = 0;
        for (int rep = 0; rep < 5; rep++) {
            long s = System.nanoTime(), sc = THREADS.getCurrentThreadCpuTime();
            FloatVector acc = FloatVector.zero(F);
            int i = 0;
            for (; i <= n - F.length(); i += F.length()) acc = acc.add(FloatVector.fromArray(F, v, i));
            sink += acc.reduceLanes(VectorOperators.ADD);
            best = Math.max(best, 4.0 * n / (System.nanoTime() - s));
            bestCpu = Math.max(bestCpu, 4.0 * n / (THREADS.getCurrentThreadCpuTime() - sc));
        }
        say("streaming read of %.2f GB (one thread, Vector API sum): best of 5 %.1f GB/s (%.1f GB/s of its CPU time) [%s]", 4e-9 * n,
                best, bestCpu, sink != 0);
    }

    private static long usedAfterGc() {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    private static double secs(long t0) { return (System.nanoTime() - t0) / 1e9; }

    private static String load() throws Exception {
        return String.join(" ", Arrays.copyOf(java.nio.file.Files.readString(Path.of("/proc/loadavg")).split(" "), 3));
    }

    private static void say(String format, Object... args) {
        System.out.println(String.format(java.util.Locale.ROOT, format, args));
    }
}
