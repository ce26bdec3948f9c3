package dev.orcaj.io;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.*;

class NdArrayTest {

    private static NdArray halfs(DType t, int... bits) {
        ByteBuffer b = ByteBuffer.allocate(2 * bits.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : bits) b.putShort((short) v);
        return NdArray.wrap(t, new long[]{bits.length}, b.flip());
    }

    @Test
    void f16BitPatternsDecodeToIeeeHalfValues() {
        // IEEE 754 binary16: 0x3C00 = 1, 0xC000 = -2, 0x7BFF = 65504 (max), 0x0001 = 2^-24 (min subnormal), 0x7C00 = +inf
        float[] f = halfs(DType.F16, 0x3C00, 0xC000, 0x7BFF, 0x0001, 0x7C00).toFloats();
        assertArrayEquals(new float[]{1f, -2f, 65504f, 0x1p-24f, Float.POSITIVE_INFINITY}, f);
    }

    @Test
    void bf16IsTheUpperHalfOfFloat32() {
        // 0x3F80 -> 0x3F800000 = 1.0; 0x4049 -> 0x40490000 = 3.140625; 0xC2F7 -> 0xC2F70000 = -123.5
        assertArrayEquals(new float[]{1f, 3.140625f, -123.5f}, halfs(DType.BF16, 0x3F80, 0x4049, 0xC2F7).toFloats());
    }

    @Test
    void floatToBf16RoundsToNearestEven() {
        // 1 + 2^-8 lies exactly halfway between bf16 1.0 and 1 + 2^-7: ties go to the even mantissa (1.0)
        assertEquals(1f, NdArray.bf16ToFloat(NdArray.floatToBf16(1f + 0x1p-8f)));
        // 1 + 3*2^-8 is halfway between 1+2^-7 (odd) and 1+2^-6 (even): rounds up to 1 + 2^-6
        assertEquals(1f + 0x1p-6f, NdArray.bf16ToFloat(NdArray.floatToBf16(1f + 3 * 0x1p-8f)));
        // just above the tie rounds up
        assertEquals(1f + 0x1p-7f, NdArray.bf16ToFloat(NdArray.floatToBf16(1f + 0x1p-8f + 0x1p-20f)));
        assertTrue(Float.isNaN(NdArray.bf16ToFloat(NdArray.floatToBf16(Float.NaN))));
    }

    @Test
    void convertersCastBetweenTypes() {
        NdArray longs = NdArray.ofLongs(new long[]{-3, 0, 7, 1L << 40}, 2, 2);
        assertArrayEquals(new float[]{-3, 0, 7, 0x1p40f}, longs.toFloats());
        assertArrayEquals(new double[]{-3, 0, 7, 0x1p40}, longs.toDoubles());
        ArithmeticException e = assertThrows(ArithmeticException.class, longs::toInts);
        assertTrue(e.getMessage().contains("element 3"), e.getMessage());

        NdArray d = NdArray.ofDoubles(new double[]{1.5, -2.75, 0.1}, 3);
        assertArrayEquals(new float[]{1.5f, -2.75f, 0.1f}, d.toFloats());
        assertArrayEquals(new long[]{1, -2, 0}, d.toLongs());

        assertArrayEquals(new int[]{255, 0, 128}, NdArray.ofUnsignedBytes(new byte[]{(byte) 255, 0, (byte) 128}, 3).toInts());
        assertArrayEquals(new float[]{1, 0, 1}, NdArray.ofBooleans(new boolean[]{true, false, true}, 3).toFloats());
        assertArrayEquals(new long[]{4, -5}, NdArray.ofInts(new int[]{4, -5}, 2).toLongs());
    }

    @Test
    void castToF16AndBackIsExactForRepresentableValues() {
        float[] v = {0.5f, -1.25f, 1024f, 0x1p-14f};
        NdArray h = NdArray.ofFloats(v, 4).castTo(DType.F16);
        assertEquals(DType.F16, h.dtype());
        assertEquals(8, h.byteSize());
        assertArrayEquals(v, h.toFloats());
        assertArrayEquals(v, NdArray.ofFloats(v, 2, 2).castTo(DType.BF16).toFloats());
    }

    @Test
    void rejectsMismatchedSizes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NdArray.ofFloats(new float[5], 2, 3));
        assertTrue(e.getMessage().contains("[2, 3]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NdArray.wrap(DType.F32, new long[]{3}, ByteBuffer.allocate(8)));
    }

    @Test
    void valueEqualityAndScalars() {
        assertEquals(NdArray.ofFloats(new float[]{1, 2}, 2), NdArray.ofFloats(new float[]{1, 2}, 2));
        assertNotEquals(NdArray.ofFloats(new float[]{1, 2}, 2), NdArray.ofFloats(new float[]{1, 2}, 1, 2));
        NdArray scalar = NdArray.ofFloats(new float[]{4}, new int[0]);
        assertEquals(1, scalar.numel());
        assertEquals(0, scalar.rank());
    }
}
