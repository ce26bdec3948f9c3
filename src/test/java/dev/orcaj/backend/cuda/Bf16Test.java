package dev.orcaj.backend.cuda;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The host-side bf16 rounding and packing the GEMM test relies on (runs without a GPU). */
class Bf16Test {
    @Test
    void roundsToNearestEvenAndPacksLowHalfFirst() {
        float oneUlp = Float.intBitsToFloat(0x3F810000); // 1 + 2^-7, the bf16 successor of 1
        float tieDown = Float.intBitsToFloat(0x3F808000); // exactly between 1 and oneUlp: ties to even (1)
        float tieUp = Float.intBitsToFloat(0x3F818000); // between oneUlp (odd) and the next: rounds up
        float[] r = Bf16.round(new float[] {1f, tieDown, tieUp, -2.5f, Float.intBitsToFloat(0x3F808001)});
        assertArrayEquals(new float[] {1f, 1f, Float.intBitsToFloat(0x3F820000), -2.5f, oneUlp}, r);
        int[] p = Bf16.pack(new float[] {1f, -2f, 0.5f});
        assertEquals(0xC0003F80, p[0]);
        assertEquals(0x00003F00, p[1]);
    }
}
