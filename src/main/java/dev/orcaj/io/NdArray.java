package dev.orcaj.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A dense C-order (row-major) array as stored in a file: element type, shape and the raw little-endian bytes.
 * {@code data} may be a view of a memory-mapped file; it is always a read-only little-endian buffer whose
 * position is 0 and whose remaining bytes are exactly {@code numel * dtype.byteSize()}.
 * The converters ({@link #toFloats()} ...) copy into fresh Java arrays.
 */
public record NdArray(DType dtype, long[] shape, ByteBuffer data) {

    public NdArray {
        if (dtype == null) throw new IllegalArgumentException("NdArray: dtype is null");
        shape = shape.clone();
        for (long d : shape) if (d < 0) throw new IllegalArgumentException("NdArray: negative dimension in shape " + Arrays.toString(shape));
        long expected = Math.multiplyExact(numel(shape), dtype.byteSize());
        if (data.remaining() != expected) {
            throw new IllegalArgumentException("NdArray: " + dtype + " shape " + Arrays.toString(shape) + " needs " + expected
                    + " bytes but the buffer has " + data.remaining());
        }
        data = data.slice().asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Product of the dimensions (1 for a scalar). */
    public static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) n = Math.multiplyExact(n, d);
        return n;
    }

    public long numel() { return numel(shape); }

    public int rank() { return shape.length; }

    @Override
    public long[] shape() { return shape.clone(); }

    @Override
    public ByteBuffer data() { return data.duplicate().order(ByteOrder.LITTLE_ENDIAN); }

    /** The shape as ints; throws when a dimension does not fit. */
    public int[] intShape() {
        int[] s = new int[shape.length];
        for (int i = 0; i < s.length; i++) s[i] = Math.toIntExact(shape[i]);
        return s;
    }

    public long byteSize() { return data.remaining(); }

    // ---- factories (the arrays are copied) ----

    public static NdArray ofFloats(float[] values, int... shape) {
        ByteBuffer b = allocate(values.length, 4, shape);
        b.asFloatBuffer().put(values);
        return new NdArray(DType.F32, toLong(shape), b);
    }

    public static NdArray ofDoubles(double[] values, int... shape) {
        ByteBuffer b = allocate(values.length, 8, shape);
        b.asDoubleBuffer().put(values);
        return new NdArray(DType.F64, toLong(shape), b);
    }

    public static NdArray ofLongs(long[] values, int... shape) {
        ByteBuffer b = allocate(values.length, 8, shape);
        b.asLongBuffer().put(values);
        return new NdArray(DType.I64, toLong(shape), b);
    }

    public static NdArray ofInts(int[] values, int... shape) {
        ByteBuffer b = allocate(values.length, 4, shape);
        b.asIntBuffer().put(values);
        return new NdArray(DType.I32, toLong(shape), b);
    }

    /** Unsigned bytes (U8); values are taken modulo 256. */
    public static NdArray ofUnsignedBytes(byte[] values, int... shape) {
        ByteBuffer b = allocate(values.length, 1, shape);
        b.put(values);
        return new NdArray(DType.U8, toLong(shape), b.flip());
    }

    public static NdArray ofBooleans(boolean[] values, int... shape) {
        ByteBuffer b = allocate(values.length, 1, shape);
        for (boolean v : values) b.put((byte) (v ? 1 : 0));
        return new NdArray(DType.BOOL, toLong(shape), b.flip());
    }

    /** Wraps existing little-endian bytes (no copy); the caller must not modify them afterwards. */
    public static NdArray wrap(DType dtype, long[] shape, ByteBuffer littleEndianBytes) {
        return new NdArray(dtype, shape, littleEndianBytes);
    }

    private static ByteBuffer allocate(int count, int elemSize, int[] shape) {
        long n = numel(toLong(shape));
        if (n != count) {
            throw new IllegalArgumentException("NdArray: " + count + " values do not fill shape " + Arrays.toString(shape) + " (" + n + " elements)");
        }
        return ByteBuffer.allocate(Math.multiplyExact(count, elemSize)).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static long[] toLong(int[] shape) {
        long[] s = new long[shape.length];
        for (int i = 0; i < s.length; i++) s[i] = shape[i];
        return s;
    }

    private int count() {
        long n = numel();
        if (n > Integer.MAX_VALUE - 8) throw new IllegalStateException("NdArray: " + n + " elements do not fit in one Java array");
        return (int) n;
    }

    // ---- converters ----

    /** Values as float32: F16/BF16 are widened exactly, F64 and integers rounded to the nearest float, BOOL as 0/1. */
    public float[] toFloats() {
        int n = count();
        float[] out = new float[n];
        ByteBuffer b = data;
        switch (dtype) {
            case F32 -> b.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
            case F16 -> { for (int i = 0; i < n; i++) out[i] = Float.float16ToFloat(b.getShort(2 * i)); }
            case BF16 -> { for (int i = 0; i < n; i++) out[i] = bf16ToFloat(b.getShort(2 * i)); }
            case F64 -> { for (int i = 0; i < n; i++) out[i] = (float) b.getDouble(8 * i); }
            case I64 -> { for (int i = 0; i < n; i++) out[i] = b.getLong(8 * i); }
            case I32 -> { for (int i = 0; i < n; i++) out[i] = b.getInt(4 * i); }
            case U8 -> { for (int i = 0; i < n; i++) out[i] = b.get(i) & 0xFF; }
            case BOOL -> { for (int i = 0; i < n; i++) out[i] = b.get(i) != 0 ? 1f : 0f; }
        }
        return out;
    }

    /** Values as float64 (exact for every type except I64 beyond 2^53). */
    public double[] toDoubles() {
        int n = count();
        double[] out = new double[n];
        ByteBuffer b = data;
        switch (dtype) {
            case F64 -> b.duplicate().order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(out);
            case I64 -> { for (int i = 0; i < n; i++) out[i] = b.getLong(8 * i); }
            case I32 -> { for (int i = 0; i < n; i++) out[i] = b.getInt(4 * i); }
            default -> {
                float[] f = toFloats();
                for (int i = 0; i < n; i++) out[i] = f[i];
            }
        }
        return out;
    }

    /** Values as int64; floating values are truncated toward zero (Java cast semantics). */
    public long[] toLongs() {
        int n = count();
        long[] out = new long[n];
        ByteBuffer b = data;
        switch (dtype) {
            case I64 -> b.duplicate().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(out);
            case I32 -> { for (int i = 0; i < n; i++) out[i] = b.getInt(4 * i); }
            case U8 -> { for (int i = 0; i < n; i++) out[i] = b.get(i) & 0xFF; }
            case BOOL -> { for (int i = 0; i < n; i++) out[i] = b.get(i) != 0 ? 1 : 0; }
            case F64 -> { for (int i = 0; i < n; i++) out[i] = (long) b.getDouble(8 * i); }
            default -> {
                float[] f = toFloats();
                for (int i = 0; i < n; i++) out[i] = (long) f[i];
            }
        }
        return out;
    }

    /** Values as int32; an int64 value outside the int range is an error, floating values are truncated. */
    public int[] toInts() {
        if (dtype == DType.I32) {
            int[] out = new int[count()];
            data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(out);
            return out;
        }
        long[] l = toLongs();
        int[] out = new int[l.length];
        for (int i = 0; i < l.length; i++) {
            if (l[i] != (int) l[i]) throw new ArithmeticException("NdArray.toInts: element " + i + " = " + l[i] + " does not fit in int32");
            out[i] = (int) l[i];
        }
        return out;
    }

    /**
     * This array converted to {@code target}. Floating targets round to nearest-even (F16, BF16); integer
     * targets come from {@link #toLongs()} and must fit; BOOL is "non-zero". Returns {@code this} when the type already matches.
     */
    public NdArray castTo(DType target) {
        if (target == dtype) return this;
        long[] s = shape;
        int n = count();
        ByteBuffer out = ByteBuffer.allocate(Math.multiplyExact(n, target.byteSize())).order(ByteOrder.LITTLE_ENDIAN);
        switch (target) {
            case F32 -> out.asFloatBuffer().put(toFloats());
            case F64 -> out.asDoubleBuffer().put(toDoubles());
            case F16 -> { float[] f = toFloats(); for (int i = 0; i < n; i++) out.putShort(2 * i, Float.floatToFloat16(f[i])); }
            case BF16 -> { float[] f = toFloats(); for (int i = 0; i < n; i++) out.putShort(2 * i, floatToBf16(f[i])); }
            case I64 -> out.asLongBuffer().put(toLongs());
            case I32 -> out.asIntBuffer().put(toInts());
            case U8 -> {
                long[] l = toLongs();
                for (int i = 0; i < n; i++) {
                    if (l[i] < 0 || l[i] > 255) throw new ArithmeticException("NdArray.castTo(U8): element " + i + " = " + l[i] + " is outside 0..255");
                    out.put(i, (byte) l[i]);
                }
            }
            case BOOL -> { double[] d = toDoubles(); for (int i = 0; i < n; i++) out.put(i, (byte) (d[i] != 0 ? 1 : 0)); }
        }
        return new NdArray(target, s, out);
    }

    /** bfloat16 is the upper half of an IEEE float32. */
    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /** float32 to bfloat16 with round-to-nearest-even (the rounding PyTorch uses); NaN stays a quiet NaN. */
    public static short floatToBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) return (short) ((bits >>> 16) | 0x0040);
        int rounding = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }

    // ---- value semantics (a record would compare the array and buffer by identity) ----

    @Override
    public boolean equals(Object o) {
        return o instanceof NdArray other && dtype == other.dtype && Arrays.equals(shape, other.shape) && data.equals(other.data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * dtype.hashCode() + Arrays.hashCode(shape)) + data.hashCode();
    }

    @Override
    public String toString() {
        return "NdArray[" + dtype + " " + Arrays.toString(shape) + "]";
    }
}
