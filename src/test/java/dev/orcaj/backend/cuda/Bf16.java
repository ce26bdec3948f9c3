package dev.orcaj.backend.cuda;

/** bf16 helpers for the GEMM test and benchmark (no JUnit dependency: the benchmark runs outside the test runner). */
final class Bf16 {
    private Bf16() {}

    /** Rounds to the nearest bf16 (ties to even), returned as float. */
    static float[] round(float[] x) {
        float[] o = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            int bits = Float.floatToRawIntBits(x[i]);
            bits += 0x7FFF + ((bits >>> 16) & 1);
            o[i] = Float.intBitsToFloat(bits & 0xFFFF0000);
        }
        return o;
    }

    /** bf16 values (already rounded) packed two per int, element 2i in the low half (little-endian memory order). */
    static int[] pack(float[] x) {
        int[] p = new int[(x.length + 1) / 2];
        for (int i = 0; i < x.length; i++) {
            int h = Float.floatToRawIntBits(x[i]) >>> 16;
            p[i / 2] |= (i % 2 == 0) ? h : h << 16;
        }
        return p;
    }
}
