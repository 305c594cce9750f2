package io.nexttrack.engine.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * exp, sigmoid and tanh over arrays, built only from IEEE-exact vector operations (add, mul, fma, div).
 * The Vector API's own EXP/TANH give different bits before and after JIT
 * compilation, which would make training irreproducible; these give the same bits in every tier.
 * They work on arrays, not vectors: a helper taking or returning vectors that the JIT declines to inline
 * boxes them, which is 100x slower.
 */
final class VectorMath {
    private static final VectorSpecies<Float> S = MatMul.SPECIES;
    private static final float LOG2E = 1.44269504088896341f;
    /** ln 2 split so that n * LN2_HI is exact for the n that occur. */
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** 1.5 * 2^23: adding it rounds to an integer held in the low mantissa bits. */
    private static final float ROUNDER = 12582912f;
    private static final int ROUNDER_BITS = 0x4B400000;
    private static final FloatVector P0 = FloatVector.broadcast(S, 1.9875691500e-4f);
    private static final FloatVector P1 = FloatVector.broadcast(S, 1.3981999507e-3f);
    private static final FloatVector P2 = FloatVector.broadcast(S, 8.3334519073e-3f);
    private static final FloatVector P3 = FloatVector.broadcast(S, 4.1665795894e-2f);
    private static final FloatVector P4 = FloatVector.broadcast(S, 1.6666665459e-1f);
    private static final FloatVector P5 = FloatVector.broadcast(S, 5.0000001201e-1f);
    private static final FloatVector ONE = FloatVector.broadcast(S, 1f);
    private static final FloatVector TWO = FloatVector.broadcast(S, 2f);
    private VectorMath() {}

    /** e^x with relative error ~2 ulp on [-87, 88]; arguments outside are clamped. */
    private static FloatVector exp(FloatVector x) {
        x = x.max(-87f).min(88f);
        FloatVector shifted = x.fma(LOG2E, ROUNDER);
        FloatVector n = shifted.sub(ROUNDER);
        FloatVector r = n.fma(-LN2_HI, 0f).add(x);
        r = n.fma(-LN2_LO, 0f).add(r);
        // Cephes expf polynomial on [-ln2/2, ln2/2].
        FloatVector p = r.fma(P0, P1).fma(r, P2).fma(r, P3).fma(r, P4).fma(r, P5);
        p = p.mul(r).fma(r, r).add(1f);
        IntVector bits = (IntVector) shifted.reinterpretAsInts();
        FloatVector scale = bits.sub(ROUNDER_BITS - 127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(scale);
    }

    /** a[off, off + n) = sigmoid(a) in place. */
    static void sigmoid(float[] a, int off, int n) {
        for (int j = 0; j < n; j += S.length()) {
            VectorMask<Float> m = S.indexInRange(j, n);
            FloatVector x = FloatVector.fromArray(S, a, off + j, m);
            ONE.div(exp(x.neg()).add(1f)).intoArray(a, off + j, m);
        }
    }

    /** dst[dstOff, dstOff + n) = tanh(src[srcOff, srcOff + n)) as 1 - 2 / (e^(2x) + 1): absolute error ~1e-7. */
    static void tanh(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        for (int j = 0; j < n; j += S.length()) {
            VectorMask<Float> m = S.indexInRange(j, n);
            FloatVector x = FloatVector.fromArray(S, src, srcOff + j, m);
            TWO.div(exp(x.add(x)).add(1f)).neg().add(1f).intoArray(dst, dstOff + j, m);
        }
    }

    /** z[off, off + n) = e^(z - shift) in place; returns their sum, added in a fixed order. */
    static double expShifted(float[] z, int off, int n, float shift) {
        FloatVector sum = FloatVector.zero(S);
        int j = 0;
        for (int bound = S.loopBound(n); j < bound; j += S.length()) {
            FloatVector e = exp(FloatVector.fromArray(S, z, off + j).sub(shift));
            e.intoArray(z, off + j);
            sum = sum.add(e);
        }
        double total = 0;
        for (int lane = 0; lane < S.length(); lane++) total += sum.lane(lane);
        for (; j < n; j++) {
            float e = (float) StrictMath.exp(z[off + j] - shift);
            z[off + j] = e;
            total += e;
        }
        return total;
    }
}
