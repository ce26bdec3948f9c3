package dev.orcaj.ot;

import java.util.Arrays;

/**
 * An immutable-by-convention set of {@code n} points in {@code R^d}, row-major, stored as float32 or float64.
 * The arrays are not copied: callers must not mutate them while an OT computation uses them.
 */
public final class PointCloud {
    private final float[] f32;
    private final double[] f64;
    private final int n;
    private final int d;

    private PointCloud(float[] f32, double[] f64, int n, int d) {
        if (n < 0 || d <= 0) throw new IllegalArgumentException("point cloud: need n >= 0 and d > 0, got n=" + n + ", d=" + d);
        int len = f32 != null ? f32.length : f64.length;
        if ((long) n * d != len) {
            throw new IllegalArgumentException("point cloud: array length " + len + " != n*d = " + n + "*" + d);
        }
        this.f32 = f32;
        this.f64 = f64;
        this.n = n;
        this.d = d;
    }

    public static PointCloud of(float[] rowMajor, int n, int d) { return new PointCloud(rowMajor, null, n, d); }

    public static PointCloud of(double[] rowMajor, int n, int d) { return new PointCloud(null, rowMajor, n, d); }

    public int size() { return n; }

    public int dim() { return d; }

    public Precision precision() { return f32 != null ? Precision.FLOAT32 : Precision.FLOAT64; }

    public double get(int i, int k) { return f32 != null ? f32[i * d + k] : f64[i * d + k]; }

    /** This cloud in the given precision (same object when it already is; float64 -> float32 rounds). */
    public PointCloud as(Precision p) {
        if (p == precision()) return this;
        if (p == Precision.FLOAT64) {
            double[] out = new double[f32.length];
            for (int i = 0; i < out.length; i++) out[i] = f32[i];
            return of(out, n, d);
        }
        float[] out = new float[f64.length];
        for (int i = 0; i < out.length; i++) out[i] = (float) f64[i];
        return of(out, n, d);
    }

    /** The rows with the given indices, in that order (a copy). */
    public PointCloud rows(int[] idx) {
        if (f32 != null) {
            float[] out = new float[idx.length * d];
            for (int r = 0; r < idx.length; r++) System.arraycopy(f32, idx[r] * d, out, r * d, d);
            return of(out, idx.length, d);
        }
        double[] out = new double[idx.length * d];
        for (int r = 0; r < idx.length; r++) System.arraycopy(f64, idx[r] * d, out, r * d, d);
        return of(out, idx.length, d);
    }

    /** Throws naming {@code what}, the row and the column of the first NaN or infinite coordinate. */
    public void requireFinite(String what) {
        int len = n * d;
        for (int t = 0; t < len; t++) {
            double v = f32 != null ? f32[t] : f64[t];
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException(what + ": non-finite feature " + v + " at row " + t / d + ", column " + t % d);
            }
        }
    }

    /** Per-coordinate minimum (index 0) and maximum (index 1). */
    double[][] boundingBox() {
        double[] lo = new double[d], hi = new double[d];
        Arrays.fill(lo, Double.POSITIVE_INFINITY);
        Arrays.fill(hi, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < n; i++) {
            int off = i * d;
            for (int k = 0; k < d; k++) {
                double v = f32 != null ? f32[off + k] : f64[off + k];
                lo[k] = Math.min(lo[k], v);
                hi[k] = Math.max(hi[k], v);
            }
        }
        return new double[][] {lo, hi};
    }

    /** Squared Euclidean norms of the rows, accumulated in float64. */
    double[] squaredNorms() {
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            int off = i * d;
            double acc = 0;
            if (f32 != null) {
                for (int k = 0; k < d; k++) acc += (double) f32[off + k] * f32[off + k];
            } else {
                for (int k = 0; k < d; k++) acc += f64[off + k] * f64[off + k];
            }
            s[i] = acc;
        }
        return s;
    }

    float[] floats() { return f32; }

    double[] doubles() { return f64; }
}
