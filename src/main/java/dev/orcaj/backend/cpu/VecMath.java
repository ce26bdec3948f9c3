package dev.orcaj.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * exp(x) for float vectors and scalars built only from IEEE add/mul/fma and bit manipulation, so that it returns
 * the same bits interpreted, C1- or C2-compiled, vector or scalar, on every platform. The Vector API's EXP does
 * not: its C2 intrinsic (SVML) and its Java fallback differ in the last bit, which made results depend on JIT
 * warm-up.
 *
 * <p>Method (Cephes expf, S. Moshier): n = round(x / ln 2) via the 1.5 * 2^23 shifter, r = x - n ln2 with ln 2
 * split in two for exactness (FMA), e^r by a degree-7 Taylor-like minimax polynomial on |r| <= ln2/2, then
 * scaled by 2^n through the exponent bits. Relative error <= 2 ulp in the normal range (checked against
 * Math.exp in the tests). Inputs below -87.33 (result below the smallest normal float, including -inf) give 0;
 * above 88.376 (where 2^n would overflow; true results there are 2.4e38 to 3.4e38) and +inf give +inf; NaN
 * gives NaN.
 */
public final class VecMath {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
    private static final float SHIFTER = 12582912f; // 1.5 * 2^23: adding it rounds to an integer in the low bits
    private static final int SHIFTER_BITS = Float.floatToRawIntBits(SHIFTER);
    private static final float MIN_ARG = -87.33654f, MAX_ARG = 88.37626f;
    private static final float P0 = 1.9875691500e-4f, P1 = 1.3981999507e-3f, P2 = 8.3334519073e-3f,
            P3 = 4.1665795894e-2f, P4 = 1.6666665459e-1f, P5 = 5.0000001201e-1f;

    private VecMath() {}

    public static FloatVector exp(FloatVector x) {
        FloatVector c = x.max(MIN_ARG).min(MAX_ARG);
        FloatVector shifted = c.fma(FloatVector.broadcast(S, LOG2E), FloatVector.broadcast(S, SHIFTER));
        FloatVector n = shifted.sub(SHIFTER);
        FloatVector r = n.fma(FloatVector.broadcast(S, -LN2_HI), c);
        r = n.fma(FloatVector.broadcast(S, -LN2_LO), r);
        FloatVector p = r.mul(P0).add(P1);
        p = p.fma(r, FloatVector.broadcast(S, P2));
        p = p.fma(r, FloatVector.broadcast(S, P3));
        p = p.fma(r, FloatVector.broadcast(S, P4));
        p = p.fma(r, FloatVector.broadcast(S, P5));
        p = p.fma(r.mul(r), r).add(1f);
        IntVector bits = shifted.reinterpretAsInts().sub(SHIFTER_BITS).add(127).lanewise(VectorOperators.LSHL, 23);
        FloatVector result = p.mul(bits.reinterpretAsFloats());
        result = result.blend(0f, x.compare(VectorOperators.LT, MIN_ARG));
        // NaN needs no blend: max/min propagate it and every later operation keeps it. (A test(IS_NAN) blend
        // here is not intrinsified by C2 and made the whole function ~6x slower.)
        return result.blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GT, MAX_ARG));
    }

    public static float exp(float x) {
        if (Float.isNaN(x)) return x;
        if (x < MIN_ARG) return 0f;
        if (x > MAX_ARG) return Float.POSITIVE_INFINITY;
        float shifted = Math.fma(x, LOG2E, SHIFTER);
        float n = shifted - SHIFTER;
        float r = Math.fma(n, -LN2_HI, x);
        r = Math.fma(n, -LN2_LO, r);
        float p = r * P0 + P1;
        p = Math.fma(p, r, P2);
        p = Math.fma(p, r, P3);
        p = Math.fma(p, r, P4);
        p = Math.fma(p, r, P5);
        p = Math.fma(p, r * r, r) + 1f;
        return p * Float.intBitsToFloat(((Float.floatToRawIntBits(shifted) - SHIFTER_BITS) + 127) << 23);
    }
}
