package io.nexttrack.data;

/**
 * The {@code lanes} layout: each lane plays whole playlists back to back, so every chunk is full
 * except at the very end of an epoch. A playlist's first input carries a reset flag. Playlists go to
 * the lane with the fewest steps so far, which keeps lanes within one playlist of each other.
 */
public final class LaneBatcher extends Batcher {
    public LaneBatcher(Playlists playlists, int lanes, int steps) {
        super(playlists, lanes, steps);
    }

    @Override
    public Epoch epoch(long seed, int epoch) {
        int[] order = shuffledTrainable(playlists, seed, epoch);
        // Assign playlists to lanes greedily (least loaded first); keep each lane's list in order.
        long[] load = new long[lanes];
        int[] laneOf = new int[order.length];
        int[] laneCount = new int[lanes];
        for (int i = 0; i < order.length; i++) {
            int best = 0;
            for (int b = 1; b < lanes; b++) if (load[b] < load[best]) best = b;
            laneOf[i] = best;
            laneCount[best]++;
            load[best] += playlists.length(order[i]) - 1;
        }
        int[][] lanePlaylists = new int[lanes][];
        for (int b = 0; b < lanes; b++) lanePlaylists[b] = new int[laneCount[b]];
        int[] fill = new int[lanes];
        for (int i = 0; i < order.length; i++) lanePlaylists[laneOf[i]][fill[laneOf[i]]++] = order[i];
        long longest = 0;
        for (long l : load) longest = Math.max(longest, l);
        int chunks = (int) ((longest + steps - 1) / steps);
        return new LaneEpoch(lanePlaylists, chunks);
    }

    private final class LaneEpoch implements Epoch {
        private final int[][] lanePlaylists;
        private final int chunks;
        private final int[] nextPlaylist = new int[lanes]; // index into lanePlaylists[b]
        private final int[] position = new int[lanes];     // next input position within that playlist
        private int emitted;

        LaneEpoch(int[][] lanePlaylists, int chunks) {
            this.lanePlaylists = lanePlaylists;
            this.chunks = chunks;
        }

        @Override public int chunks() { return chunks; }

        @Override
        public boolean next(Batch batch) {
            if (emitted == chunks) return false;
            batch.clear();
            for (int b = 0; b < lanes; b++) {
                for (int t = 0; t < steps && nextPlaylist[b] < lanePlaylists[b].length; t++) {
                    int p = lanePlaylists[b][nextPlaylist[b]];
                    int i = position[b];
                    batch.put(t, b, playlists.song(p, i), playlists.song(p, i + 1), i == 0);
                    if (++position[b] == playlists.length(p) - 1) {
                        position[b] = 0;
                        nextPlaylist[b]++;
                    }
                }
            }
            emitted++;
            return true;
        }
    }
}
