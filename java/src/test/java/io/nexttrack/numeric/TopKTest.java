package io.nexttrack.numeric;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexttrack.eval.RankingMetrics;
import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TopKTest {

    /** The reference: sort all indices by descending score (NaN last), ties by index. */
    private static int[] argsort(float[] s, int offset, int length) {
        Comparator<Integer> byScore = (a, b) -> {
            float x = s[offset + a], y = s[offset + b];
            if (Float.isNaN(x) || Float.isNaN(y)) return Boolean.compare(Float.isNaN(x), Float.isNaN(y));
            return x > y ? -1 : x < y ? 1 : 0;
        };
        return IntStream.range(0, length).boxed().sorted(byScore.thenComparing(Comparator.naturalOrder()))
                .mapToInt(Integer::intValue).toArray();
    }

    @Test
    void equalsThePrefixOfTheFullArgsort() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int trial = 0; trial < 300; trial++) {
            int length = rnd.nextInt(60), offset = rnd.nextInt(4);
            float[] s = new float[offset + length + rnd.nextInt(3)];
            boolean ties = trial % 2 == 0;
            for (int j = 0; j < s.length; j++) {
                s[j] = rnd.nextInt(15) == 0 ? Float.NaN : ties ? rnd.nextInt(6) : (float) rnd.nextGaussian();
            }
            int[] full = argsort(s, offset, length);
            for (int k : new int[] {0, 1, 2, 5, length, length + 3}) {
                int[] expected = Arrays.copyOf(full, Math.min(k, length));
                assertArrayEquals(expected, TopK.of(s, offset, length, k), "trial " + trial + ", k " + k);
            }
        }
    }

    @Test
    void handExample() {
        float[] s = {0.5f, 2f, Float.NaN, 2f, -1f, 3f};
        assertArrayEquals(new int[] {5, 1, 3}, TopK.of(s, 0, s.length, 3));
        assertArrayEquals(new int[] {5, 1, 3, 0, 4, 2}, TopK.of(s, 0, s.length, 10));
        assertArrayEquals(new int[] {0, 2}, TopK.of(s, 1, 3, 2), "indices are relative to the offset");
    }

    @Test
    void orderIsConsistentWithPessimisticRanks() {
        SplittableRandom rnd = new SplittableRandom(11);
        float[] distinct = new float[200], tied = new float[200];
        for (int j = 0; j < 200; j++) {
            distinct[j] = (float) rnd.nextGaussian();
            tied[j] = rnd.nextInt(20);
        }
        int[] top = TopK.of(distinct, 0, 200, 50);
        for (int j = 0; j < top.length; j++) {
            assertEquals(j + 1, RankingMetrics.rank(distinct, 0, 200, top[j], null, 0), "distinct scores: rank = position");
        }
        int[] topTied = TopK.of(tied, 0, 200, 50);
        int previous = 0;
        for (int j = 0; j < topTied.length; j++) {
            int rank = RankingMetrics.rank(tied, 0, 200, topTied[j], null, 0);
            assertTrue(rank >= j + 1 && rank >= previous, "pessimistic ranks never improve down the list");
            previous = rank;
        }
    }
}
