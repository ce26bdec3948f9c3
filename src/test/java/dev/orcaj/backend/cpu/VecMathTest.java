package dev.orcaj.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

class VecMathTest {
    @Test
    void expIsWithinTwoUlpsOfMathExpAndVectorEqualsScalar() {
        int vl = FloatVector.SPECIES_PREFERRED.length();
        int n = 1_000_000 / vl * vl;
        float[] x = new float[n], y = new float[n];
        for (int i = 0; i < n; i++) x[i] = -87.3f + (88.3f + 87.3f) * i / (n - 1);
        for (int i = 0; i < n; i += vl) {
            VecMath.exp(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, x, i)).intoArray(y, i);
        }
        for (int i = 0; i < n; i++) {
            double want = Math.exp(x[i]);
            double err = Math.abs(y[i] - want);
            if (err > 2 * Math.ulp((float) want)) {
                throw new AssertionError("exp(" + x[i] + ") = " + y[i] + ", expected " + want + " (err " + err + ")");
            }
            assertEquals(Float.floatToRawIntBits(y[i]), Float.floatToRawIntBits(VecMath.exp(x[i])),
                    "vector and scalar exp differ at " + x[i]);
        }
    }

    @Test
    void expSpecialValues() {
        assertEquals(0f, VecMath.exp(Float.NEGATIVE_INFINITY));
        assertEquals(0f, VecMath.exp(-100f));
        assertEquals(1f, VecMath.exp(0f));
        assertEquals(Float.POSITIVE_INFINITY, VecMath.exp(Float.POSITIVE_INFINITY));
        assertEquals(Float.POSITIVE_INFINITY, VecMath.exp(100f));
        assertEquals(Float.NaN, VecMath.exp(Float.NaN));
        float[] special = new float[FloatVector.SPECIES_PREFERRED.length()]; // at least 4 lanes on x86/ARM
        special[0] = Float.NEGATIVE_INFINITY;
        special[1] = Float.NaN;
        special[2] = 100f;
        special[3] = Float.POSITIVE_INFINITY;
        float[] out = new float[special.length];
        VecMath.exp(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, special, 0)).intoArray(out, 0);
        assertEquals(0f, out[0]);
        assertEquals(Float.NaN, out[1]);
        assertEquals(Float.POSITIVE_INFINITY, out[2]);
        assertEquals(Float.POSITIVE_INFINITY, out[3]);
    }
}
