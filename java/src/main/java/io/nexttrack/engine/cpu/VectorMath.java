package io.nexttrack.engine.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * exp, sigmoid and tanh built only from IEEE-exact vector operations (add, mul, fma, shuffles).
 * The Vector API's own EXP/TANH give different bits before and after JIT
 * compilation, which would make training irreproducible; these give the same bits in every tier.
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
    static FloatVector exp(FloatVector x) {
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

    static FloatVector sigmoid(FloatVector x) {
        return ONE.div(exp(x.neg()).add(1f));
    }

    static FloatVector tanh(FloatVector x) {
        // 1 - 2 / (e^(2x) + 1): exact limits at +-1, absolute error ~1e-7 near 0.
        FloatVector twoOver = TWO.div(exp(x.add(x)).add(1f));
        return twoOver.neg().add(1f);
    }
}
