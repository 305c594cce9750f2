package io.nexttrack.eval;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * The exact sum of floats, whatever the order they come in: every float is {@code m * 2^(e - 150)} with an integer
 * mantissa {@code m} below 2^24, so the mantissas are summed per exponent as longs and the total is rounded to a
 * double once, when read. Two sums {@link #merge merged} therefore give the same bits as one sum over all the values,
 * in any order and any split (a metric computed per partition and combined equals the single-process one).
 */
final class ExactFloatSum implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Adds a bin takes before it could overflow (|m| < 2^24, so 2^39 fit): then the bins spill into {@link #spill}. */
    private static final long SPILL_EVERY = 1L << 38;
    private static final BigDecimal SCALE = new BigDecimal(BigInteger.ONE.shiftLeft(150));

    private final long[] bins = new long[256];
    private long adds;
    private BigInteger spill = BigInteger.ZERO;
    private long positiveInfinities, negativeInfinities, nans;

    void add(float x) {
        if (x != x) {
            nans++;
            return;
        }
        if (x == Float.POSITIVE_INFINITY) { positiveInfinities++; return; }
        if (x == Float.NEGATIVE_INFINITY) { negativeInfinities++; return; }
        int bits = Float.floatToRawIntBits(x);
        int e = (bits >>> 23) & 0xFF;
        long m = bits & 0x7FFFFF;
        if (e == 0) e = 1; // subnormal: the same scale as the smallest normal exponent, without the hidden bit
        else m |= 0x800000;
        bins[e] += bits < 0 ? -m : m;
        if (++adds == SPILL_EVERY) spill();
    }

    void merge(ExactFloatSum other) {
        for (int e = 0; e < bins.length; e++) bins[e] += other.bins[e];
        adds += other.adds;
        spill = spill.add(other.spill);
        positiveInfinities += other.positiveInfinities;
        negativeInfinities += other.negativeInfinities;
        nans += other.nans;
        if (adds >= SPILL_EVERY) spill(); // each side held fewer than SPILL_EVERY per bin: no overflow yet
    }

    private void spill() {
        spill = spill.add(exact());
        java.util.Arrays.fill(bins, 0);
        adds = 0;
    }

    private BigInteger exact() {
        BigInteger total = BigInteger.ZERO;
        for (int e = 0; e < bins.length; e++) if (bins[e] != 0) total = total.add(BigInteger.valueOf(bins[e]).shiftLeft(e));
        return total;
    }

    /** The sum, rounded to the nearest double once; NaN with a NaN or with both infinities, else an infinity if one was added. */
    double value() {
        if (nans > 0 || positiveInfinities > 0 && negativeInfinities > 0) return Double.NaN;
        if (positiveInfinities > 0) return Double.POSITIVE_INFINITY;
        if (negativeInfinities > 0) return Double.NEGATIVE_INFINITY;
        return new BigDecimal(spill.add(exact())).divide(SCALE).doubleValue();
    }
}
