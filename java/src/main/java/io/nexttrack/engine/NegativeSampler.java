package io.nexttrack.engine;

import java.util.SplittableRandom;

/**
 * The sampled loss's extra negatives: songs drawn independently (with replacement) with probability
 * {@code q(s) = (plays(s) + 1)^alpha / sum over songs of the same}, where plays are the songs' target counts in the
 * training playlists. The +1 gives every song of the catalogue a chance, so that songs the training split never
 * plays are pushed down too (with q = 0 somewhere the sampled loss cannot estimate the full softmax there).
 *
 * <p>A <em>sample store</em>, as GRU4Rec's official implementation keeps one: {@link #STORE} draws made at once
 * (Walker's alias method, O(1) a draw), {@code STORE / N} chunks' worth, refilled when a step past them asks.
 * Unlike a stream, the store is a function of the seed and the step number alone: the draws of step t are
 * generation {@code t / K}'s draws {@code [(t mod K) N, (t mod K + 1) N)}, with {@code K = max(1, STORE / N)} and
 * generation g drawn from its own generator seeded by (seed, g). A resumed run (whose Adam step count is restored)
 * therefore draws exactly what the uninterrupted run drew, whichever steps came before.
 */
public final class NegativeSampler {
    /** Draws per refill: 4 Mi ints (16 MiB), 2,048 chunks at the default N = 2,048. */
    public static final int STORE = 1 << 22;
    /** Kept apart from the dropout masks' stream, which also starts from the training seed. */
    private static final long SALT = 0x5A3D_2F7B_91C4_E601L;

    private final int samples;
    private final long seed;
    private final double[] probability;
    private final int[] alias;
    /** The draw probability of each song, q(s). */
    private final double[] q;
    private final int stepsPerGeneration;
    private final int[] store;
    private long generation = -1;

    public NegativeSampler(Sampling sampling, long seed) {
        this.samples = sampling.samples();
        this.seed = seed;
        int v = sampling.songs();
        double[] w = new double[v];
        double total = 0;
        for (int s = 0; s < v; s++) total += w[s] = Math.pow(sampling.targetCounts()[s] + 1.0, sampling.alpha());
        this.q = new double[v];
        for (int s = 0; s < v; s++) q[s] = w[s] / total;
        this.probability = new double[v];
        this.alias = new int[v];
        buildAlias(w, total);
        this.stepsPerGeneration = samples == 0 ? 1 : Math.max(1, STORE / samples);
        this.store = new int[samples == 0 ? 0 : stepsPerGeneration * samples];
    }

    /**
     * Heap bytes a sampler for {@code songs} songs and {@code samples} draws per chunk allocates (the memory estimate):
     * its tables and store, and the construction's temporaries.
     */
    public static long bytes(int songs, int samples) {
        long store = samples == 0 ? 0 : (long) Math.max(1, STORE / samples) * samples;
        return (8L + 8 + 4) * songs + 4 * store + (8L + 8 + 4 + 4) * songs;
    }

    public int samples() { return samples; }

    /** The probability that one draw gives song {@code s}. */
    public double probability(int s) { return q[s]; }

    /** Chunks served by one refill of the store. */
    public int stepsPerGeneration() { return stepsPerGeneration; }

    /** Writes the N draws of training step {@code step} (0-based: Adam's count of steps taken before it) to {@code out[off..]}. */
    public void draw(long step, int[] out, int off) {
        if (samples == 0) return;
        if (step < 0) throw new IllegalArgumentException("step " + step);
        long g = step / stepsPerGeneration;
        if (g != generation) refill(g);
        System.arraycopy(store, (int) (step % stepsPerGeneration) * samples, out, off, samples);
    }

    private void refill(long g) {
        SplittableRandom r = new SplittableRandom(seed ^ SALT ^ (g * 0x9E37_79B9_7F4A_7C15L));
        int v = alias.length;
        for (int i = 0; i < store.length; i++) {
            int s = r.nextInt(v);
            store[i] = r.nextDouble() < probability[s] ? s : alias[s];
        }
        generation = g;
    }

    /** Vose's construction: each slot s keeps itself with probability[s], else gives alias[s]. */
    private void buildAlias(double[] w, double total) {
        int v = w.length;
        double[] scaled = new double[v];
        int[] small = new int[v], large = new int[v];
        int ns = 0, nl = 0;
        for (int s = 0; s < v; s++) {
            scaled[s] = w[s] * v / total;
            if (scaled[s] < 1) small[ns++] = s; else large[nl++] = s;
        }
        while (ns > 0 && nl > 0) {
            int l = small[--ns], g = large[--nl];
            probability[l] = scaled[l];
            alias[l] = g;
            scaled[g] += scaled[l] - 1;
            if (scaled[g] < 1) small[ns++] = g; else large[nl++] = g;
        }
        while (nl > 0) { int g = large[--nl]; probability[g] = 1; alias[g] = g; }
        while (ns > 0) { int l = small[--ns]; probability[l] = 1; alias[l] = l; }
    }
}
