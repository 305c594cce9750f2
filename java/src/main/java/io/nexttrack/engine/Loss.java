package io.nexttrack.engine;

import java.util.Locale;

/**
 * The loss that training optimises at the output layer (the command line's {@code --loss}, {@code --samples} and
 * {@code --sample-alpha}). Evaluation, validation loss and recommendations always use the full softmax over every
 * song, whatever this says.
 *
 * <ul>
 *   <li>{@link Kind#FULL}: cross-entropy of the softmax over all V songs, dense Adam: exact, and what every result
 *       before this option was trained with; each position costs O(V).</li>
 *   <li>{@link Kind#SAMPLED}: sampled softmax cross-entropy over a per-chunk candidate set (the chunk's own targets
 *       plus {@code samples} songs drawn with probability proportional to (plays + 1)^{@code alpha}; logits corrected by
 *       the log of each candidate's probability of being in the set; see {@link Candidates}), with lazy Adam on the
 *       embedding and output layer ({@code optim.Adam#update(float[], optim.SparseGradient)}): each position costs
 *       O(candidates), independent of V.</li>
 *   <li>{@link Kind#AUTO} (the default): full below {@link #AUTO_THRESHOLD} songs, sampled from there on.</li>
 * </ul>
 *
 * @param kind    full, sampled or auto
 * @param samples extra negatives drawn per chunk (N); default {@link #DEFAULT_SAMPLES}, at least 0
 * @param alpha   popularity exponent of the draw: 0 uniform, 1 proportional to plays; default {@link #DEFAULT_ALPHA},
 *                in [0, 1]
 */
public record Loss(Kind kind, int samples, double alpha) {
    public enum Kind { FULL, SAMPLED, AUTO }

    public static final int DEFAULT_SAMPLES = 2048;
    public static final double DEFAULT_ALPHA = 0.5;
    /**
     * Catalogues from this many songs on train with the sampled loss under {@link Kind#AUTO}. Chosen from measurements
     * on the 2-core development machine (benchmarks/README.md, "Sampled softmax: speed"; docs/results.md, "Sampled
     * softmax quality"): the sampled step is faster at every size, but the full softmax is exact, and on yes_small the
     * sampled loss needed about 1.4x its epochs for the same ranking metrics and a slightly higher NLL. The full step
     * costs 1.7x the sampled one at 3,168 songs, 2.5x at 9,775, 5x at 20,000, 13x at 75,262 (it grows with V, the
     * sampled one hardly): from about 10,000 songs on, the full softmax takes about twice the sampled loss's time to
     * train, and more with every song.
     */
    public static final int AUTO_THRESHOLD = 10_000;

    public Loss {
        if (kind == null) throw new IllegalArgumentException("the loss is missing (--loss full, sampled or auto)");
        if (samples < 0) throw new IllegalArgumentException("the number of sampled negatives must be >= 0 (--samples " + samples + ")");
        if (!(alpha >= 0 && alpha <= 1)) throw new IllegalArgumentException("the sampling exponent must be in [0, 1] (--sample-alpha " + alpha + ")");
    }

    /** {@link Kind#AUTO} with the default samples and exponent. */
    public static Loss auto() { return new Loss(Kind.AUTO, DEFAULT_SAMPLES, DEFAULT_ALPHA); }

    /** The full softmax (the samples and exponent are kept for a later change of kind). */
    public static Loss full() { return new Loss(Kind.FULL, DEFAULT_SAMPLES, DEFAULT_ALPHA); }

    /** The sampled softmax with {@code samples} extra negatives and the default exponent. */
    public static Loss sampled(int samples) { return new Loss(Kind.SAMPLED, samples, DEFAULT_ALPHA); }

    public Loss withKind(Kind kind) { return new Loss(kind, samples, alpha); }

    public Loss withSamples(int samples) { return new Loss(kind, samples, alpha); }

    public Loss withAlpha(double alpha) { return new Loss(kind, samples, alpha); }

    /** Whether a catalogue of {@code songs} trains with the sampled loss. */
    public boolean sampledAt(int songs) {
        return kind == Kind.SAMPLED || kind == Kind.AUTO && songs >= AUTO_THRESHOLD;
    }

    /** The option's spelling: "full", "sampled" or "auto". */
    public String option() { return kind.name().toLowerCase(Locale.ROOT); }

    /** Parses "full", "sampled" or "auto" (any case). */
    public static Kind kind(String s) {
        try {
            return Kind.valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--loss must be full, sampled or auto, not '" + s + "'");
        }
    }

    /**
     * One line for people, said once at start-up: which loss trains a catalogue of {@code songs}, why, and how to
     * change it, e.g. "loss: full softmax (auto: 3,168 songs is below 10,000; --loss sampled to sample)".
     */
    public String describe(int songs) {
        String sampled = String.format(Locale.ROOT, "sampled softmax (in-batch targets + %,d negatives drawn by plays^%s, "
                + "logQ-corrected; lazy Adam)", samples, alpha);
        return switch (kind) {
            case FULL -> "loss: full softmax (--loss full)";
            case SAMPLED -> "loss: " + sampled + " (--loss sampled; --loss full for the exact softmax)";
            case AUTO -> sampledAt(songs)
                    ? String.format(Locale.ROOT, "loss: %s (auto: %,d songs is at least %,d; --loss full for the exact softmax)",
                            sampled, songs, AUTO_THRESHOLD)
                    : String.format(Locale.ROOT, "loss: full softmax (auto: %,d songs is below %,d; --loss sampled to sample)", songs,
                            AUTO_THRESHOLD);
        };
    }
}
