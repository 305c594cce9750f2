package io.nexttrack.engine;

import io.nexttrack.data.Batch;
import java.util.Arrays;

/**
 * One chunk's candidate set for the sampled softmax, made on the host for both engines (so that they train on the
 * same sets), and the rows that the chunk touches.
 *
 * <p><b>The set.</b> C = the distinct songs among the chunk's targets at real positions (in-batch negatives: every
 * position's target is a negative for every other position) and the N draws of {@link NegativeSampler} for the
 * step, ascending. Every real position is scored against all of C with one softmax; its target is always in C.
 * A draw that equals a position's target (an accidental hit), or a song that is the target of several positions,
 * is one column of C: the target's own column, never an extra negative beside it. Padding contributes nothing.
 *
 * <p><b>logQ correction.</b> Column c's logit is {@code h . W[:, c] + b[c] - log pi(c)}, where pi(c) is the
 * probability that c is in C: {@code pi(c) = 1 - exp(-R p(c)) (1 - q(c))^N}, with R the chunk's real positions,
 * p(c) the share of c among the training targets (R in-batch targets ~ R draws from p, Poisson), and q(c) the draw
 * probability of {@link NegativeSampler}. This is the inclusion probability of a deduplicated set (TensorFlow's
 * {@code expected_count} for unique sampling), not the expected count {@code R p + N q}: each candidate is in C once,
 * so {@code sum over C of e^z / pi} is an unbiased estimate of the full softmax's partition function, where the
 * expected count would undercount popular songs (in C once, corrected as if many times). The same correction
 * applies to every column, the target's included (as TensorFlow's sampled_softmax_loss and GRU4Rec's logq do); it is
 * a constant per column, folded into the bias. With every song in C and pi = 1 the loss is the full softmax's.
 *
 * <p><b>Touched rows.</b> The embedding rows of the chunk's distinct input songs (ascending, the order of the GPU's
 * {@code PositionsBySong}), and C for the output weights and bias.
 */
public final class Candidates {
    /**
     * Floor of pi: reached only by a song with p = q = 0 in C, which chunks of the training playlists cannot hold (q > 0
     * whenever N > 0, and their targets have p > 0); elsewhere (chunks of other playlists with N = 0) it keeps the
     * correction finite.
     */
    static final double MIN_PI = 1e-30;

    private final NegativeSampler sampler;
    private final double[] logTargetShare;
    private final int songs, positions;
    private final int[] keys;
    /** C, ascending: the first {@link #count()} entries. */
    private final int[] columns;
    /** -log pi(c) for each column; added to the bias. */
    private final float[] correction;
    /** Per position of the chunk: the column of its target in C (real positions only; padding holds -1). */
    private final int[] targetColumn;
    /** The distinct input songs of real positions, ascending. */
    private final int[] inputs;
    /** Per position: the row of its input in {@link #inputs} (real positions only). */
    private final int[] inputRow;
    private int count, inputCount;

    /** For chunks of up to {@code positions} positions (lanes x steps). */
    public Candidates(Sampling sampling, long seed, int positions) {
        this.sampler = new NegativeSampler(sampling, seed);
        this.songs = sampling.songs();
        this.positions = positions;
        long total = 0;
        for (int c : sampling.targetCounts()) total += c;
        this.logTargetShare = new double[songs];
        for (int s = 0; s < songs; s++) {
            logTargetShare[s] = total == 0 ? Double.NEGATIVE_INFINITY : Math.log(sampling.targetCounts()[s] / (double) total);
        }
        int max = sampling.maxCandidates(positions);
        this.keys = new int[positions + sampling.samples()];
        this.columns = new int[max];
        this.correction = new float[max];
        this.targetColumn = new int[positions];
        this.inputs = new int[positions];
        this.inputRow = new int[positions];
    }

    /** Heap bytes of the candidates for chunks of {@code positions} positions (the memory estimate). */
    public static long bytes(int songs, int samples, int positions) {
        long max = Sampling.maxCandidates(songs, samples, positions);
        return NegativeSampler.bytes(songs, samples) + 8L * songs + 4L * (positions + samples) + 8 * max + 4L * positions * 3;
    }

    /**
     * Makes the set of {@code batch} (whose real positions have targets in range: {@link Batch#checkSongs}) for
     * training step {@code step} (Adam's count of steps taken), and its touched rows.
     */
    public Candidates prepare(Batch batch, long step) {
        int p = batch.lanes * batch.steps;
        if (p > positions) throw new IllegalArgumentException("chunk of " + p + " positions, candidates for " + positions);
        int n = 0, r = 0;
        for (int pos = 0; pos < p; pos++) {
            if (real(batch, pos)) {
                keys[n++] = batch.targets[pos];
                inputs[r++] = batch.inputs[pos];
            }
        }
        sampler.draw(step, keys, n);
        count = distinct(keys, n + sampler.samples(), columns);
        inputCount = distinct(inputs, r, inputs);
        int real = r;
        for (int j = 0; j < count; j++) {
            int c = columns[j];
            // log(1 - pi) = -R p(c) + N log(1 - q(c)); pi = -expm1(that)
            double logMiss = -real * Math.exp(logTargetShare[c]) + sampler.samples() * Math.log1p(-sampler.probability(c));
            double pi = -Math.expm1(logMiss);
            correction[j] = (float) (0.0 - Math.log(Math.max(pi, MIN_PI))); // +0 where pi = 1
        }
        for (int pos = 0; pos < p; pos++) {
            if (real(batch, pos)) {
                targetColumn[pos] = Arrays.binarySearch(columns, 0, count, batch.targets[pos]);
                inputRow[pos] = Arrays.binarySearch(inputs, 0, inputCount, batch.inputs[pos]);
            } else {
                targetColumn[pos] = -1;
                inputRow[pos] = -1;
            }
        }
        return this;
    }

    private static boolean real(Batch batch, int pos) { return pos / batch.lanes < batch.lengths[pos % batch.lanes]; }

    /** Sorts a[0, n) and writes its distinct values to out (which may be a); returns how many. */
    private static int distinct(int[] a, int n, int[] out) {
        Arrays.sort(a, 0, n);
        int k = 0;
        for (int i = 0; i < n; i++) if (k == 0 || a[i] != out[k - 1]) out[k++] = a[i];
        return k;
    }

    /** |C|. */
    public int count() { return count; }

    /** C ascending (the first {@link #count()} entries; the array is reused). */
    public int[] columns() { return columns; }

    /** -log pi(c) per column, to add to the column's bias. */
    public float[] correction() { return correction; }

    /** Per position: its target's column in C (real positions; -1 at padding). */
    public int[] targetColumn() { return targetColumn; }

    /** Distinct input songs of the real positions, ascending (the first {@link #inputCount()} entries). */
    public int[] inputs() { return inputs; }

    public int inputCount() { return inputCount; }

    /** Per position: the row of its input song in {@link #inputs()} (real positions; -1 at padding). */
    public int[] inputRow() { return inputRow; }

    /** The draws of the step (for tests): N songs. */
    public NegativeSampler sampler() { return sampler; }
}
