package dev.orcaj.backend.cpu;

/** Interim row kernels (scalar, row-parallel); replaced by the Vector-API versions. */
public final class VecKernels {
    private VecKernels() {}

    private static final double INV_SQRT2 = 0.7071067811865476, INV_SQRT_2PI = 0.3989422804014327;

    public static void softmaxRows(float[] x, int xOff, float[] y, int yOff, int rows, int cols) { rows(x, xOff, y, yOff, rows, cols, false); }

    public static void logSoftmaxRows(float[] x, int xOff, float[] y, int yOff, int rows, int cols) { rows(x, xOff, y, yOff, rows, cols, true); }

    private static void rows(float[] x, int xOff, float[] y, int yOff, int rows, int cols, boolean log) {
        CpuPool.parallelFor(0, rows, Math.max(1, 4096 / Math.max(cols, 1)), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int a = xOff + r * cols, b = yOff + r * cols;
                float max = Float.NEGATIVE_INFINITY;
                for (int c = 0; c < cols; c++) max = Math.max(max, x[a + c]);
                double sum = 0;
                for (int c = 0; c < cols; c++) sum += Math.exp(x[a + c] - max);
                if (log) {
                    float ls = (float) Math.log(sum);
                    for (int c = 0; c < cols; c++) y[b + c] = x[a + c] - max - ls;
                } else {
                    float inv = (float) (1 / sum);
                    for (int c = 0; c < cols; c++) y[b + c] = (float) Math.exp(x[a + c] - max) * inv;
                }
            }
        });
    }

    public static void softmaxBackwardRows(float[] y, float[] dy, float[] dx, int rows, int cols) {
        CpuPool.parallelFor(0, rows, Math.max(1, 4096 / Math.max(cols, 1)), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int o = r * cols;
                double dot = 0;
                for (int c = 0; c < cols; c++) dot += dy[o + c] * y[o + c];
                for (int c = 0; c < cols; c++) dx[o + c] = (float) (y[o + c] * (dy[o + c] - dot));
            }
        });
    }

    public static void logSoftmaxBackwardRows(float[] y, float[] dy, float[] dx, int rows, int cols) {
        CpuPool.parallelFor(0, rows, Math.max(1, 4096 / Math.max(cols, 1)), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int o = r * cols;
                double sum = 0;
                for (int c = 0; c < cols; c++) sum += dy[o + c];
                for (int c = 0; c < cols; c++) dx[o + c] = (float) (dy[o + c] - Math.exp(y[o + c]) * sum);
            }
        });
    }

    public static void layerNormRows(float[] x, float[] gamma, float[] beta, float eps, float[] y, float[] mean, float[] rstd, int rows, int cols) {
        CpuPool.parallelFor(0, rows, Math.max(1, 4096 / Math.max(cols, 1)), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int o = r * cols;
                double mu = 0, var = 0;
                for (int c = 0; c < cols; c++) mu += x[o + c];
                mu /= cols;
                for (int c = 0; c < cols; c++) var += (x[o + c] - mu) * (x[o + c] - mu);
                double rs = 1 / Math.sqrt(var / cols + eps);
                mean[r] = (float) mu;
                rstd[r] = (float) rs;
                for (int c = 0; c < cols; c++) {
                    double v = (x[o + c] - mu) * rs;
                    y[o + c] = (float) (v * (gamma == null ? 1 : gamma[c]) + (beta == null ? 0 : beta[c]));
                }
            }
        });
    }

    public static void layerNormBackwardRows(float[] dy, float[] x, float[] gamma, float[] mean, float[] rstd, float[] dx, float[] dGamma, float[] dBeta, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            double m1 = 0, m2 = 0;
            for (int c = 0; c < cols; c++) {
                double xh = (x[o + c] - mean[r]) * rstd[r], g = dy[o + c] * (gamma == null ? 1 : gamma[c]);
                m1 += g;
                m2 += g * xh;
                if (dGamma != null) dGamma[c] += (float) (dy[o + c] * xh);
                if (dBeta != null) dBeta[c] += dy[o + c];
            }
            m1 /= cols;
            m2 /= cols;
            for (int c = 0; c < cols; c++) {
                double xh = (x[o + c] - mean[r]) * rstd[r], g = dy[o + c] * (gamma == null ? 1 : gamma[c]);
                dx[o + c] = (float) (rstd[r] * (g - m1 - xh * m2));
            }
        }
    }

    public static void gelu(float[] x, float[] y, int n) {
        CpuPool.parallelFor(0, n, 8192, (lo, hi) -> {
            for (int i = lo; i < hi; i++) y[i] = (float) (0.5 * x[i] * (1 + erf(x[i] * INV_SQRT2)));
        });
    }

    public static void exp(float[] x, float[] y, int n) {
        CpuPool.parallelFor(0, n, 8192, (lo, hi) -> { for (int i = lo; i < hi; i++) y[i] = (float) Math.exp(x[i]); });
    }

    public static double sum(float[] a, int off, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) s += a[off + i];
        return s;
    }

    /** Abramowitz-Stegun 7.1.26 refined: |error| < 1.5e-7. */
    static double erf(double x) {
        double t = 1 / (1 + 0.3275911 * Math.abs(x));
        double y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
        return x >= 0 ? y : -y;
    }

}
