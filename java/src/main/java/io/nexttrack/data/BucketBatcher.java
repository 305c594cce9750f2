package io.nexttrack.data;

import java.util.Arrays;

/**
 * The {@code buckets} layout: one playlist per lane, and all lanes of a batch hold playlists with the
 * same number of transitions, so every chunk has equal lengths across its lanes (cuDNN's persistent
 * LSTM algorithm refuses unequal ones, and cuDNN cannot reset a state mid-sequence). A playlist longer
 * than T continues in the next chunk; the first chunk of a batch resets every lane. A bucket with fewer
 * than B playlists leaves the remaining lanes empty (length 0, nothing scored). Batches are visited in
 * a seeded random order.
 */
public final class BucketBatcher extends Batcher {
    public BucketBatcher(Playlists playlists, int lanes, int steps) {
        super(playlists, lanes, steps);
    }

    @Override
    public Epoch epoch(long seed, int epoch) {
        int[] order = shuffledTrainable(playlists, seed, epoch);
        // Sorting packed (transitions, rank) keys keeps the shuffled order inside each length bucket.
        long[] keyed = new long[order.length];
        for (int i = 0; i < order.length; i++) keyed[i] = ((long) (playlists.length(order[i]) - 1) << 32) | i;
        Arrays.sort(keyed);
        // Group into batches: consecutive playlists of equal length, at most `lanes` per batch.
        IntList batchStarts = new IntList(1024);
        int[] sorted = new int[order.length];
        for (int i = 0; i < keyed.length; i++) {
            sorted[i] = order[(int) keyed[i]];
            boolean newLength = i == 0 || (keyed[i] >>> 32) != (keyed[i - 1] >>> 32);
            if (newLength || i - batchStarts.get(batchStarts.size() - 1) == lanes) batchStarts.add(i);
        }
        batchStarts.add(sorted.length);
        int batches = batchStarts.size() - 1;
        int[] batchOrder = shuffle(java.util.stream.IntStream.range(0, batches).toArray(),
                seed == NO_SHUFFLE ? NO_SHUFFLE : seed + 1, epoch);
        int chunks = 0;
        for (int k = 0; k < batches; k++) {
            int len = playlists.length(sorted[batchStarts.get(k)]) - 1;
            chunks += (len + steps - 1) / steps;
        }
        return new BucketEpoch(sorted, batchStarts, batchOrder, chunks);
    }

    private final class BucketEpoch implements Epoch {
        private final int[] sorted;
        private final IntList batchStarts;
        private final int[] batchOrder;
        private final int chunks;
        private int batch = -1;   // index into batchOrder
        private int offset;       // first transition of the current chunk within the playlists
        private int length;       // transitions per playlist in the current batch

        BucketEpoch(int[] sorted, IntList batchStarts, int[] batchOrder, int chunks) {
            this.sorted = sorted;
            this.batchStarts = batchStarts;
            this.batchOrder = batchOrder;
            this.chunks = chunks;
        }

        @Override public int chunks() { return chunks; }

        @Override
        public boolean next(Batch out) {
            if (batch < 0 || offset >= length) {
                if (++batch == batchOrder.length) return false;
                offset = 0;
                length = playlists.length(sorted[batchStarts.get(batchOrder[batch])]) - 1;
            }
            out.clear();
            int k = batchOrder[batch];
            int from = batchStarts.get(k), to = batchStarts.get(k + 1);
            int n = Math.min(steps, length - offset);
            for (int b = 0; b < to - from; b++) {
                int p = sorted[from + b];
                for (int t = 0; t < n; t++) {
                    int i = offset + t;
                    out.put(t, b, playlists.song(p, i), playlists.song(p, i + 1), i == 0);
                }
            }
            offset += n;
            return true;
        }
    }
}
