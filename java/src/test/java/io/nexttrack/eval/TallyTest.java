package io.nexttrack.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.nexttrack.data.Playlists;
import io.nexttrack.data.SyntheticPlaylists;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Tallies of parts of the playlists, merged (after a trip through serialization), report exactly what one tally does. */
class TallyTest {
    /** Log-probabilities that depend on the position (a seeded random softmax per playlist and position). */
    static final class RandomModel implements NextSongModel {
        @Override public String name() { return "random"; }

        @Override public boolean givesProbabilities() { return true; }

        @Override
        public void score(Playlists playlists, PositionSink sink) {
            int v = playlists.songCount();
            float[] row = new float[v];
            for (int p = 0; p < playlists.size(); p++) {
                int[] songs = playlists.playlist(p);
                for (int i = 0; i + 1 < songs.length; i++) {
                    SplittableRandom r = new SplittableRandom(31L * Arrays.hashCode(Arrays.copyOf(songs, i + 1)));
                    double sum = 0;
                    for (int s = 0; s < v; s++) sum += Math.exp(row[s] = (float) (3 * r.nextDouble()));
                    float log = (float) Math.log(sum);
                    for (int s = 0; s < v; s++) row[s] -= log;
                    sink.accept(p, i, row, 0);
                }
            }
        }
    }

    @Test
    void mergedPartsReportWhatTheWholeDoes() throws Exception {
        Playlists all = SyntheticPlaylists.generate(200, 400, 3).playlists();
        int[] counts = SyntheticPlaylists.generate(200, 300, 4).playlists().songCounts();
        for (boolean exclude : new boolean[] {false, true}) {
            Evaluator e = new Evaluator(Evaluator.Protocol.NEXT, exclude, counts);
            String whole = e.evaluate(new RandomModel(), all, "t").toJson();
            List<Evaluator.Tally> parts = new ArrayList<>();
            int[] cuts = {0, 37, 250, all.size()};
            for (int c = 0; c + 1 < cuts.length; c++) {
                int[] idx = java.util.stream.IntStream.range(cuts[c], cuts[c + 1]).toArray();
                parts.add(roundTrip(e.tally(new RandomModel(), all.select(idx))));
            }
            Collections.reverse(parts); // another order than the playlists'
            Evaluator.Tally merged = e.emptyTally(true, all.songCount());
            for (Evaluator.Tally t : parts) merged.merge(t);
            assertEquals(whole, e.report("random", merged, "t", 0).toJson());
        }
    }

    private static Evaluator.Tally roundTrip(Evaluator.Tally t) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(b)) {
            o.writeObject(t);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(b.toByteArray()))) {
            return (Evaluator.Tally) in.readObject();
        }
    }

    @Test
    void theFloatSumIsExactInAnyOrder() {
        SplittableRandom r = new SplittableRandom(9);
        List<Float> xs = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) xs.add((float) (Math.pow(10, r.nextDouble(-8, 3)) * (r.nextBoolean() ? 1 : -1)));
        xs.add(Float.MIN_VALUE); // a subnormal
        BigDecimal exact = BigDecimal.ZERO;
        double naive = 0;
        for (float x : xs) {
            exact = exact.add(new BigDecimal(x));
            naive += x;
        }
        ExactFloatSum forward = new ExactFloatSum();
        for (float x : xs) forward.add(x);
        Collections.shuffle(xs, new java.util.Random(1));
        ExactFloatSum a = new ExactFloatSum(), b = new ExactFloatSum();
        for (int i = 0; i < xs.size(); i++) (i % 3 == 0 ? a : b).add(xs.get(i));
        b.merge(a);
        assertEquals(exact.doubleValue(), forward.value());
        assertEquals(Double.doubleToRawLongBits(forward.value()), Double.doubleToRawLongBits(b.value()));
        assertNotEquals(exact, new BigDecimal(naive), "the data should be such that naive summation rounds");
        forward.add(Float.POSITIVE_INFINITY);
        assertEquals(Double.POSITIVE_INFINITY, forward.value());
    }
}
