package dev.orcaj.tensor;

/**
 * A flat host buffer: exactly one of {@code f} (F32) or {@code d} (F64) is non-null. Views share a Storage.
 * Element access through {@link #get}/{@link #set} is for reference code; kernels use the arrays directly.
 */
public final class Storage {
    public final DType dtype;
    public final float[] f;
    public final double[] d;

    private Storage(DType dtype, float[] f, double[] d) {
        this.dtype = dtype;
        this.f = f;
        this.d = d;
    }

    public static Storage allocate(DType dtype, int n) {
        return dtype == DType.F32 ? new Storage(dtype, new float[n], null) : new Storage(dtype, null, new double[n]);
    }

    public static Storage wrap(float[] data) { return new Storage(DType.F32, data, null); }

    public static Storage wrap(double[] data) { return new Storage(DType.F64, null, data); }

    public int length() { return f != null ? f.length : d.length; }

    public double get(int i) { return f != null ? f[i] : d[i]; }

    public void set(int i, double v) {
        if (f != null) f[i] = (float) v; else d[i] = v;
    }
}
