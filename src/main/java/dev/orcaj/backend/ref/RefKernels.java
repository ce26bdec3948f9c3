package dev.orcaj.backend.ref;

import org.apache.commons.math3.special.Erf;

/**
 * Scalar references of {@link dev.orcaj.backend.cpu.VecKernels}: same signatures, straightforward loops, double
 * arithmetic throughout (results rounded to float once). They exist to be obviously right, not fast.
 */
public final class RefKernels {
    private RefKernels() {}

    public static void softmaxRows(float[] x, int xOff, float[] y, int yOff, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int xi = xOff + r * cols, yi = yOff + r * cols;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) max = Math.max(max, x[xi + j]);
            double sum = 0;
            for (int j = 0; j < cols; j++) sum += Math.exp(x[xi + j] - max);
            double[] row = new double[cols];
            for (int j = 0; j < cols; j++) row[j] = Math.exp(x[xi + j] - max) / sum;
            for (int j = 0; j < cols; j++) y[yi + j] = (float) row[j];
        }
    }

    public static void logSoftmaxRows(float[] x, int xOff, float[] y, int yOff, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int xi = xOff + r * cols, yi = yOff + r * cols;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) max = Math.max(max, x[xi + j]);
            double sum = 0;
            for (int j = 0; j < cols; j++) sum += Math.exp(x[xi + j] - max);
            double logSum = Math.log(sum);
            double[] row = new double[cols];
            for (int j = 0; j < cols; j++) row[j] = x[xi + j] - max - logSum;
            for (int j = 0; j < cols; j++) y[yi + j] = (float) row[j];
        }
    }

    /** dx = y * (dy - sum_j dy_j y_j), y the softmax output. */
    public static void softmaxBackwardRows(float[] y, float[] dy, float[] dx, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            double dot = 0;
            for (int j = 0; j < cols; j++) dot += (double) dy[o + j] * y[o + j];
            for (int j = 0; j < cols; j++) dx[o + j] = (float) (y[o + j] * (dy[o + j] - dot));
        }
    }

    /** dx = dy - exp(y) * sum_j dy_j, y the log-softmax output. */
    public static void logSoftmaxBackwardRows(float[] y, float[] dy, float[] dx, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            double sum = 0;
            for (int j = 0; j < cols; j++) sum += dy[o + j];
            for (int j = 0; j < cols; j++) dx[o + j] = (float) (dy[o + j] - Math.exp(y[o + j]) * sum);
        }
    }

    /** y = (x - mean) * rstd * gamma + beta with the biased variance; mean/rstd may be null. */
    public static void layerNormRows(float[] x, float[] gamma, float[] beta, float eps, float[] y,
                                     float[] mean, float[] rstd, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            double mu = 0;
            for (int j = 0; j < cols; j++) mu += x[o + j];
            mu /= cols;
            double var = 0;
            for (int j = 0; j < cols; j++) var += (x[o + j] - mu) * (x[o + j] - mu);
            var /= cols;
            double rs = 1 / Math.sqrt(var + eps);
            for (int j = 0; j < cols; j++) {
                double v = (x[o + j] - mu) * rs;
                if (gamma != null) v *= gamma[j];
                if (beta != null) v += beta[j];
                y[o + j] = (float) v;
            }
            if (mean != null) mean[r] = (float) mu;
            if (rstd != null) rstd[r] = (float) rs;
        }
    }

    /**
     * With xhat = (x - mean) * rstd and g = dy * gamma: dx = rstd * (g - mean(g) - xhat * mean(g * xhat));
     * dGamma += sum_rows dy * xhat, dBeta += sum_rows dy (each may be null).
     */
    public static void layerNormBackwardRows(float[] dy, float[] x, float[] gamma, float[] mean, float[] rstd,
                                             float[] dx, float[] dGamma, float[] dBeta, int rows, int cols) {
        double[] dg = new double[cols], db = new double[cols];
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            double sumG = 0, sumGX = 0;
            for (int j = 0; j < cols; j++) {
                double xhat = (x[o + j] - (double) mean[r]) * rstd[r];
                double g = dy[o + j] * (gamma == null ? 1.0 : gamma[j]);
                sumG += g;
                sumGX += g * xhat;
                dg[j] += dy[o + j] * xhat;
                db[j] += dy[o + j];
            }
            for (int j = 0; j < cols; j++) {
                double xhat = (x[o + j] - (double) mean[r]) * rstd[r];
                double g = dy[o + j] * (gamma == null ? 1.0 : gamma[j]);
                dx[o + j] = (float) (rstd[r] * (g - sumG / cols - xhat * sumGX / cols));
            }
        }
        for (int j = 0; j < cols; j++) {
            if (dGamma != null) dGamma[j] = (float) (dGamma[j] + dg[j]);
            if (dBeta != null) dBeta[j] = (float) (dBeta[j] + db[j]);
        }
    }

    /** Exact GELU: 0.5 x (1 + erf(x / sqrt 2)), erf in double (commons-math). */
    public static void gelu(float[] x, float[] y, int n) {
        for (int i = 0; i < n; i++) y[i] = (float) (x[i] * phi(x[i]));
    }

    /** d/dx [x Phi(x)] = Phi(x) + x exp(-x^2/2) / sqrt(2 pi). */
    public static void geluBackward(float[] x, float[] dy, float[] dx, int n) {
        for (int i = 0; i < n; i++) {
            double v = x[i];
            dx[i] = (float) (dy[i] * (phi(v) + v * Math.exp(-0.5 * v * v) / Math.sqrt(2 * Math.PI)));
        }
    }

    /** Standard normal CDF; erfc keeps the lower tail accurate. */
    public static double phi(double v) {
        return 0.5 * Erf.erfc(-v / Math.sqrt(2));
    }

    public static void add(float[] a, float[] b, float[] out, int n) {
        for (int i = 0; i < n; i++) out[i] = a[i] + b[i];
    }

    public static void sub(float[] a, float[] b, float[] out, int n) {
        for (int i = 0; i < n; i++) out[i] = a[i] - b[i];
    }

    public static void mul(float[] a, float[] b, float[] out, int n) {
        for (int i = 0; i < n; i++) out[i] = a[i] * b[i];
    }

    public static void div(float[] a, float[] b, float[] out, int n) {
        for (int i = 0; i < n; i++) out[i] = a[i] / b[i];
    }

    public static void addRowBroadcast(float[] a, float[] row, float[] out, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) out[r * cols + j] = a[r * cols + j] + row[j];
        }
    }

    public static void scale(float[] a, float s, float[] out, int n) {
        for (int i = 0; i < n; i++) out[i] = a[i] * s;
    }

    public static void exp(float[] a, float[] out, int n) {
        for (int i = 0; i < n; i++) out[i] = (float) Math.exp(a[i]);
    }

    public static void axpy(float alpha, float[] x, float[] y, int n) {
        for (int i = 0; i < n; i++) y[i] = (float) (y[i] + (double) alpha * x[i]);
    }

    public static double sum(float[] a, int off, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) s += a[off + i];
        return s;
    }

    public static double dot(float[] a, int aOff, float[] b, int bOff, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) s += (double) a[aOff + i] * b[bOff + i];
        return s;
    }
}
