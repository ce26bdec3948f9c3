package dev.orcaj.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector-API kernels on contiguous float arrays: row-wise softmax / log-softmax / layer norm with their
 * backward passes, exact-erf GELU, and elementwise ops. Large calls are split over {@link CpuPool} by rows (or
 * by index ranges); each output element is computed by one thread with a fixed operation order, so results do
 * not depend on scheduling. Scalar references: {@link dev.orcaj.backend.ref.RefKernels}.
 *
 * <p>Row-wise kernels take arrays of at least rows*cols elements laid out [rows, cols] from offset 0 (softmax and
 * log-softmax also take explicit offsets). Vector loops run over full vectors and finish each row with scalar
 * code for the remainder.
 */
public final class VecKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int VL = S.length();
    /** Elements per parallel chunk below which splitting costs more than it saves. */
    private static final int GRAIN = 1 << 15;

    /** Lane rotations by VL/2, VL/4, ..., 1 for {@link #laneSum}. */
    private static final VectorShuffle<Float>[] ROTATIONS = rotations();

    private VecKernels() {}

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Float>[] rotations() {
        int steps = Integer.numberOfTrailingZeros(VL);
        VectorShuffle<Float>[] r = new VectorShuffle[steps];
        for (int i = 0; i < steps; i++) r[i] = VectorShuffle.iota(S, VL >> (i + 1), 1, true);
        return r;
    }

    /**
     * Sum of the lanes in a fixed butterfly order. reduceLanes(ADD) leaves the float order unspecified, and its
     * interpreted fallback and its C2 intrinsic do differ, which would make results depend on JIT warm-up.
     */
    static float laneSum(FloatVector v) {
        for (VectorShuffle<Float> rot : ROTATIONS) v = v.add(v.rearrange(rot));
        return v.lane(0);
    }

    private static int minRows(int cols) {
        return Math.max(1, GRAIN / Math.max(1, cols));
    }

    // ---------------------------------------------------------------- softmax family

    /** Row-wise softmax, max-subtracted for stability; {@code y} may be {@code x} (same offsets). */
    public static void softmaxRows(float[] x, int xOff, float[] y, int yOff, int rows, int cols) {
        checkRows("softmaxRows", rows, cols, "x", x, xOff, "y", y, yOff);
        CpuPool.parallelFor(0, rows, minRows(cols), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int xi = xOff + r * cols, yi = yOff + r * cols;
                float max = rowMax(x, xi, cols);
                float sum = expShiftedInto(x, xi, max, y, yi, cols);
                scaleRange(y, yi, 1f / sum, cols);
            }
        });
    }

    /** Row-wise log-softmax: y = (x - max) - log(sum exp(x - max)); {@code y} may be {@code x}. */
    public static void logSoftmaxRows(float[] x, int xOff, float[] y, int yOff, int rows, int cols) {
        checkRows("logSoftmaxRows", rows, cols, "x", x, xOff, "y", y, yOff);
        CpuPool.parallelFor(0, rows, minRows(cols), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int xi = xOff + r * cols, yi = yOff + r * cols;
                float max = rowMax(x, xi, cols);
                float shift = max + (float) StrictMath.log(expShiftedInto(x, xi, max, null, 0, cols));
                int j = 0;
                for (; j <= cols - VL; j += VL) {
                    FloatVector.fromArray(S, x, xi + j).sub(max).sub(shift - max).intoArray(y, yi + j);
                }
                for (; j < cols; j++) y[yi + j] = (x[xi + j] - max) - (shift - max);
            }
        });
    }

    /**
     * Attention probabilities in one pass over each row: y = softmax(scale * x + mask), the mask row of row r
     * starting at {@code mask[maskRows[r]]} (a [B, 1, 1, S] key mask is read in place, never broadcast out);
     * {@code mask} may be null. Rows of x and y are contiguous from 0.
     */
    public static void scaledMaskedSoftmaxRows(float[] x, float scale, float[] mask, int[] maskRows, float[] y, int rows, int cols) {
        checkRows("scaledMaskedSoftmaxRows", rows, cols, "x", x, 0, "y", y, 0);
        CpuPool.parallelFor(0, rows, minRows(cols), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int o = r * cols, mo = mask == null ? 0 : maskRows[r];
                int j = 0;
                if (mask == null) {
                    for (; j <= cols - VL; j += VL) FloatVector.fromArray(S, x, o + j).mul(scale).intoArray(y, o + j);
                    for (; j < cols; j++) y[o + j] = x[o + j] * scale;
                } else {
                    for (; j <= cols - VL; j += VL) {
                        FloatVector.fromArray(S, x, o + j).fma(FloatVector.broadcast(S, scale), FloatVector.fromArray(S, mask, mo + j)).intoArray(y, o + j);
                    }
                    for (; j < cols; j++) y[o + j] = Math.fma(x[o + j], scale, mask[mo + j]);
                }
                float max = rowMax(y, o, cols);
                float sum = expShiftedInto(y, o, max, y, o, cols);
                scaleRange(y, o, 1f / sum, cols);
            }
        });
    }

    /** Softmax backward: dx = y * (dy - sum(dy * y)) per row, y the softmax output. */
    public static void softmaxBackwardRows(float[] y, float[] dy, float[] dx, int rows, int cols) {
        softmaxBackwardRows(y, dy, dx, rows, cols, 1f);
    }

    /** Softmax backward of softmax(scale * x + ...): dx = scale * y * (dy - sum(dy * y)) per row. */
    public static void softmaxBackwardRows(float[] y, float[] dy, float[] dx, int rows, int cols, float scale) {
        checkRows("softmaxBackwardRows", rows, cols, "y", y, 0, "dy", dy, 0, "dx", dx, 0);
        CpuPool.parallelFor(0, rows, minRows(cols), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int o = r * cols;
                float dot = (float) dotRange(dy, o, y, o, cols);
                int j = 0;
                for (; j <= cols - VL; j += VL) {
                    FloatVector yv = FloatVector.fromArray(S, y, o + j);
                    FloatVector.fromArray(S, dy, o + j).sub(dot).mul(yv).mul(scale).intoArray(dx, o + j);
                }
                for (; j < cols; j++) dx[o + j] = (dy[o + j] - dot) * y[o + j] * scale;
            }
        });
    }

    /** Log-softmax backward: dx = dy - exp(y) * sum(dy) per row, y the log-probabilities. */
    public static void logSoftmaxBackwardRows(float[] y, float[] dy, float[] dx, int rows, int cols) {
        checkRows("logSoftmaxBackwardRows", rows, cols, "y", y, 0, "dy", dy, 0, "dx", dx, 0);
        CpuPool.parallelFor(0, rows, minRows(cols), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int o = r * cols;
                float total = (float) sumRange(dy, o, cols);
                int j = 0;
                for (; j <= cols - VL; j += VL) {
                    FloatVector e = VecMath.exp(FloatVector.fromArray(S, y, o + j));
                    e.neg().fma(FloatVector.broadcast(S, total), FloatVector.fromArray(S, dy, o + j)).intoArray(dx, o + j);
                }
                for (; j < cols; j++) dx[o + j] = Math.fma(-VecMath.exp(y[o + j]), total, dy[o + j]);
            }
        });
    }

    static float rowMax(float[] x, int xi, int cols) {
        int j = 0;
        float max = Float.NEGATIVE_INFINITY;
        if (cols >= VL) {
            FloatVector mv = FloatVector.fromArray(S, x, xi);
            for (j = VL; j <= cols - VL; j += VL) mv = mv.max(FloatVector.fromArray(S, x, xi + j));
            max = mv.reduceLanes(VectorOperators.MAX);
        }
        for (; j < cols; j++) max = Math.max(max, x[xi + j]);
        return max;
    }

    /** Writes exp(x - shift) to y (when y != null) and returns its sum. */
    static float expShiftedInto(float[] x, int xi, float shift, float[] y, int yi, int cols) {
        FloatVector acc = FloatVector.zero(S);
        int j = 0;
        for (; j <= cols - VL; j += VL) {
            FloatVector e = VecMath.exp(FloatVector.fromArray(S, x, xi + j).sub(shift));
            if (y != null) e.intoArray(y, yi + j);
            acc = acc.add(e);
        }
        float sum = laneSum(acc);
        for (; j < cols; j++) {
            float e = VecMath.exp(x[xi + j] - shift);
            if (y != null) y[yi + j] = e;
            sum += e;
        }
        return sum;
    }

    static void scaleRange(float[] y, int yi, float s, int cols) {
        int j = 0;
        for (; j <= cols - VL; j += VL) FloatVector.fromArray(S, y, yi + j).mul(s).intoArray(y, yi + j);
        for (; j < cols; j++) y[yi + j] *= s;
    }

    // ---------------------------------------------------------------- layer norm

    /**
     * Layer norm over the last dimension (biased variance, as in PyTorch): y = (x - mean) * rstd * gamma + beta,
     * rstd = 1 / sqrt(var + eps). gamma/beta may be null (1 / 0); mean/rstd (length rows) receive the statistics
     * for the backward pass and may be null.
     */
    public static void layerNormRows(float[] x, float[] gamma, float[] beta, float eps, float[] y,
                                     float[] mean, float[] rstd, int rows, int cols) {
        checkRows("layerNormRows", rows, cols, "x", x, 0, "y", y, 0);
        checkLength("layerNormRows", cols, "gamma", gamma, "beta", beta);
        checkLength("layerNormRows", rows, "mean", mean, "rstd", rstd);
        CpuPool.parallelFor(0, rows, minRows(cols), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int o = r * cols;
                float mu = (float) (sumRange(x, o, cols) / cols);
                // Two passes: the variance of centred values does not cancel catastrophically.
                FloatVector acc = FloatVector.zero(S);
                int j = 0;
                for (; j <= cols - VL; j += VL) {
                    FloatVector d = FloatVector.fromArray(S, x, o + j).sub(mu);
                    acc = d.fma(d, acc);
                }
                float sq = laneSum(acc);
                for (; j < cols; j++) sq += (x[o + j] - mu) * (x[o + j] - mu);
                float rs = (float) (1.0 / Math.sqrt((double) sq / cols + eps));
                for (j = 0; j <= cols - VL; j += VL) {
                    FloatVector v = FloatVector.fromArray(S, x, o + j).sub(mu).mul(rs);
                    if (gamma != null) v = v.mul(FloatVector.fromArray(S, gamma, j));
                    if (beta != null) v = v.add(FloatVector.fromArray(S, beta, j));
                    v.intoArray(y, o + j);
                }
                for (; j < cols; j++) {
                    float v = (x[o + j] - mu) * rs;
                    if (gamma != null) v *= gamma[j];
                    if (beta != null) v += beta[j];
                    y[o + j] = v;
                }
                if (mean != null) mean[r] = mu;
                if (rstd != null) rstd[r] = rs;
            }
        });
    }

    /**
     * Layer-norm backward from the saved mean/rstd. With xhat = (x - mean) * rstd and g = dy * gamma:
     * dx = rstd * (g - mean_j(g) - xhat * mean_j(g * xhat)). dGamma += sum over rows of dy * xhat and
     * dBeta += sum over rows of dy are ACCUMULATED (either may be null). gamma may be null (all ones).
     * dx is split over rows; the parameter gradients over columns, each column summed over rows in order.
     */
    public static void layerNormBackwardRows(float[] dy, float[] x, float[] gamma, float[] mean, float[] rstd,
                                             float[] dx, float[] dGamma, float[] dBeta, int rows, int cols) {
        checkRows("layerNormBackwardRows", rows, cols, "dy", dy, 0, "x", x, 0, "dx", dx, 0);
        checkLength("layerNormBackwardRows", cols, "gamma", gamma, "dGamma", dGamma, "dBeta", dBeta);
        checkRows("layerNormBackwardRows", 1, rows, "mean", mean, 0, "rstd", rstd, 0);
        CpuPool.parallelFor(0, rows, minRows(cols), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int o = r * cols;
                float mu = mean[r], rs = rstd[r];
                FloatVector sg = FloatVector.zero(S), sgx = FloatVector.zero(S);
                int j = 0;
                for (; j <= cols - VL; j += VL) {
                    FloatVector g = FloatVector.fromArray(S, dy, o + j);
                    if (gamma != null) g = g.mul(FloatVector.fromArray(S, gamma, j));
                    FloatVector xhat = FloatVector.fromArray(S, x, o + j).sub(mu).mul(rs);
                    sg = sg.add(g);
                    sgx = g.fma(xhat, sgx);
                }
                float sumG = laneSum(sg), sumGX = laneSum(sgx);
                for (; j < cols; j++) {
                    float g = gamma == null ? dy[o + j] : dy[o + j] * gamma[j];
                    sumG += g;
                    sumGX += g * ((x[o + j] - mu) * rs);
                }
                float meanG = sumG / cols, meanGX = sumGX / cols;
                for (j = 0; j <= cols - VL; j += VL) {
                    FloatVector g = FloatVector.fromArray(S, dy, o + j);
                    if (gamma != null) g = g.mul(FloatVector.fromArray(S, gamma, j));
                    FloatVector xhat = FloatVector.fromArray(S, x, o + j).sub(mu).mul(rs);
                    xhat.neg().fma(FloatVector.broadcast(S, meanGX), g.sub(meanG)).mul(rs).intoArray(dx, o + j);
                }
                for (; j < cols; j++) {
                    float g = gamma == null ? dy[o + j] : dy[o + j] * gamma[j];
                    float xhat = (x[o + j] - mu) * rs;
                    dx[o + j] = Math.fma(-xhat, meanGX, g - meanG) * rs;
                }
            }
        });
        if (dGamma == null && dBeta == null) return;
        int vecCols = (cols + VL - 1) / VL; // split the columns in whole vectors
        CpuPool.parallelFor(0, vecCols, Math.max(1, minRows(rows) / VL), (v0, v1) -> {
            int c0 = v0 * VL, c1 = Math.min(cols, v1 * VL), width = c1 - c0;
            float[] accG = new float[width], accB = new float[width];
            int full = c0 + (width / VL) * VL;
            for (int r = 0; r < rows; r++) {
                int o = r * cols;
                float mu = mean[r], rs = rstd[r];
                for (int j = c0; j < full; j += VL) {
                    FloatVector d = FloatVector.fromArray(S, dy, o + j);
                    FloatVector xhat = FloatVector.fromArray(S, x, o + j).sub(mu).mul(rs);
                    d.fma(xhat, FloatVector.fromArray(S, accG, j - c0)).intoArray(accG, j - c0);
                    d.add(FloatVector.fromArray(S, accB, j - c0)).intoArray(accB, j - c0);
                }
                for (int j = full; j < c1; j++) {
                    accG[j - c0] = Math.fma(dy[o + j], (x[o + j] - mu) * rs, accG[j - c0]);
                    accB[j - c0] += dy[o + j];
                }
            }
            for (int j = c0; j < c1; j++) {
                if (dGamma != null) dGamma[j] += accG[j - c0];
                if (dBeta != null) dBeta[j] += accB[j - c0];
            }
        });
    }

    // ---------------------------------------------------------------- GELU (exact erf form)

    /*
     * erf has no Vector-API operator, so Phi(x) = 0.5 * (1 + erf(z)), z = x / sqrt 2, is built from two pieces:
     *  - |z| < 1: the Maclaurin series erf(z) = 2/sqrt(pi) * sum_n (-1)^n z^(2n+1) / (n! (2n+1)) (A&S 7.1.5) to
     *    n = 10 (truncation < 2e-9); its terms shrink fast, so float Horner evaluation loses only a few ulps.
     *  - |z| >= 1: Abramowitz & Stegun 7.1.26 (Hastings): erfc(|z|) ~= t (a1 + t (a2 + t (a3 + t (a4 + t a5))))
     *    * exp(-z^2), t = 1 / (1 + p |z|), |error| <= 1.5e-7; using erfc directly keeps the lower tail (x << 0)
     *    free of cancellation. (7.1.26 alone is not enough near 0: its alternating coefficients sum to 1 from
     *    magnitudes of 4.5, so float evaluation there loses ~5e-7.)
     * Measured against commons-math's double erf on a dense grid over [-12, 12]: |erf error| <= 1.6e-7, i.e.
     * |Phi error| <= 8e-8 (the tests enforce 1e-7 on Phi). exp(-z^2) = exp(-x^2 / 2) is reused by the backward.
     */
    private static final float P = 0.3275911f;
    private static final float A1 = 0.254829592f, A2 = -0.284496736f, A3 = 1.421413741f, A4 = -1.453152027f,
            A5 = 1.061405429f;
    private static final float INV_SQRT2 = (float) (1 / Math.sqrt(2));
    private static final float INV_SQRT_2PI = (float) (1 / Math.sqrt(2 * Math.PI));
    /** Maclaurin coefficients of erf(z) / z in powers of z^2, highest first (for Horner). */
    private static final float[] ERF_SERIES = erfSeries(10);

    private static float[] erfSeries(int terms) {
        float[] c = new float[terms + 1];
        double factorial = 1;
        for (int n = 0; n <= terms; n++) {
            if (n > 0) factorial *= n;
            c[terms - n] = (float) ((n % 2 == 0 ? 1 : -1) * 2 / Math.sqrt(Math.PI) / (factorial * (2 * n + 1)));
        }
        return c;
    }

    /** y = x * Phi(x) = 0.5 x (1 + erf(x / sqrt 2)); y may be x. */
    public static void gelu(float[] x, float[] y, int n) {
        checkRows("gelu", 1, n, "x", x, 0, "y", y, 0);
        CpuPool.parallelFor(0, n, GRAIN, (i0, i1) -> {
            int i = i0;
            for (; i <= i1 - VL; i += VL) {
                FloatVector v = FloatVector.fromArray(S, x, i);
                FloatVector e = gaussExp(v);
                v.mul(phi(v, e)).intoArray(y, i);
            }
            for (; i < i1; i++) y[i] = x[i] * phiScalar(x[i]);
        });
    }

    /** dx = dy * (Phi(x) + x * exp(-x^2 / 2) / sqrt(2 pi)). */
    public static void geluBackward(float[] x, float[] dy, float[] dx, int n) {
        checkRows("geluBackward", 1, n, "x", x, 0, "dy", dy, 0, "dx", dx, 0);
        CpuPool.parallelFor(0, n, GRAIN, (i0, i1) -> {
            int i = i0;
            for (; i <= i1 - VL; i += VL) {
                FloatVector v = FloatVector.fromArray(S, x, i);
                FloatVector e = gaussExp(v);
                FloatVector grad = v.mul(INV_SQRT_2PI).fma(e, phi(v, e));
                grad.mul(FloatVector.fromArray(S, dy, i)).intoArray(dx, i);
            }
            for (; i < i1; i++) {
                float v = x[i];
                float e = VecMath.exp(v * v * -0.5f);
                dx[i] = dy[i] * Math.fma(v * INV_SQRT_2PI, e, phiScalar(v));
            }
        });
    }

    /** exp(-x^2 / 2). */
    private static FloatVector gaussExp(FloatVector v) {
        return VecMath.exp(v.mul(v).mul(-0.5f));
    }

    /** Phi(x) given e = exp(-x^2 / 2): series for |z| < 1, A&S 7.1.26 beyond (see above). */
    private static FloatVector phi(FloatVector v, FloatVector e) {
        FloatVector z = v.mul(INV_SQRT2), w = z.mul(z);
        FloatVector series = FloatVector.broadcast(S, ERF_SERIES[0]);
        for (int i = 1; i < ERF_SERIES.length; i++) series = series.fma(w, FloatVector.broadcast(S, ERF_SERIES[i]));
        FloatVector nearZero = series.mul(z).mul(0.5f).add(0.5f);
        FloatVector t = FloatVector.broadcast(S, 1f).div(z.abs().mul(P).add(1f));
        FloatVector poly = t.mul(A5).add(A4).fma(t, FloatVector.broadcast(S, A3))
                .fma(t, FloatVector.broadcast(S, A2)).fma(t, FloatVector.broadcast(S, A1)).mul(t);
        FloatVector halfErfc = poly.mul(e).mul(0.5f); // 0.5 * erfc(|z|) = Phi(-|x|)
        FloatVector tails = FloatVector.broadcast(S, 1f).sub(halfErfc)
                .blend(halfErfc, v.compare(VectorOperators.LT, 0f));
        return tails.blend(nearZero, w.compare(VectorOperators.LT, 1f));
    }

    private static float phiScalar(float v) {
        float z = v * INV_SQRT2, w = z * z;
        if (w < 1f) {
            float series = ERF_SERIES[0];
            for (int i = 1; i < ERF_SERIES.length; i++) series = Math.fma(series, w, ERF_SERIES[i]);
            return series * z * 0.5f + 0.5f;
        }
        float t = 1f / (1f + Math.abs(z) * P);
        float poly = t * Math.fma(t, Math.fma(t, Math.fma(t, t * A5 + A4, A3), A2), A1);
        float halfErfc = poly * VecMath.exp(v * v * -0.5f) * 0.5f;
        return v < 0 ? halfErfc : 1f - halfErfc;
    }

    // ---------------------------------------------------------------- elementwise (contiguous, offset 0)

    public static void add(float[] a, float[] b, float[] out, int n) {
        binary(VectorOperators.ADD, a, b, out, n);
    }

    public static void sub(float[] a, float[] b, float[] out, int n) {
        binary(VectorOperators.SUB, a, b, out, n);
    }

    public static void mul(float[] a, float[] b, float[] out, int n) {
        binary(VectorOperators.MUL, a, b, out, n);
    }

    public static void div(float[] a, float[] b, float[] out, int n) {
        binary(VectorOperators.DIV, a, b, out, n);
    }

    private static void binary(VectorOperators.Binary op, float[] a, float[] b, float[] out, int n) {
        checkRows(op.name(), 1, n, "a", a, 0, "b", b, 0, "out", out, 0);
        CpuPool.parallelFor(0, n, GRAIN, (i0, i1) -> {
            int i = i0;
            for (; i <= i1 - VL; i += VL) {
                FloatVector.fromArray(S, a, i).lanewise(op, FloatVector.fromArray(S, b, i)).intoArray(out, i);
            }
            for (; i < i1; i++) {
                out[i] = FloatVector.broadcast(S, a[i]).lanewise(op, b[i]).lane(0);
            }
        });
    }

    /** out[r, j] = a[r, j] + row[j] (bias add); out may be a. */
    public static void addRowBroadcast(float[] a, float[] row, float[] out, int rows, int cols) {
        checkRows("addRowBroadcast", rows, cols, "a", a, 0, "out", out, 0);
        checkRows("addRowBroadcast", 1, cols, "row", row, 0);
        CpuPool.parallelFor(0, rows, minRows(cols), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int o = r * cols, j = 0;
                for (; j <= cols - VL; j += VL) {
                    FloatVector.fromArray(S, a, o + j).add(FloatVector.fromArray(S, row, j)).intoArray(out, o + j);
                }
                for (; j < cols; j++) out[o + j] = a[o + j] + row[j];
            }
        });
    }

    /** out = a * s; out may be a. */
    public static void scale(float[] a, float s, float[] out, int n) {
        checkRows("scale", 1, n, "a", a, 0, "out", out, 0);
        CpuPool.parallelFor(0, n, GRAIN, (i0, i1) -> {
            int i = i0;
            for (; i <= i1 - VL; i += VL) FloatVector.fromArray(S, a, i).mul(s).intoArray(out, i);
            for (; i < i1; i++) out[i] = a[i] * s;
        });
    }

    /** out = exp(a); out may be a. */
    public static void exp(float[] a, float[] out, int n) {
        checkRows("exp", 1, n, "a", a, 0, "out", out, 0);
        CpuPool.parallelFor(0, n, GRAIN, (i0, i1) -> {
            int i = i0;
            for (; i <= i1 - VL; i += VL) {
                VecMath.exp(FloatVector.fromArray(S, a, i)).intoArray(out, i);
            }
            for (; i < i1; i++) out[i] = VecMath.exp(a[i]);
        });
    }

    /** y += alpha * x (one fused multiply-add per element). */
    public static void axpy(float alpha, float[] x, float[] y, int n) {
        checkRows("axpy", 1, n, "x", x, 0, "y", y, 0);
        CpuPool.parallelFor(0, n, GRAIN, (i0, i1) -> {
            int i = i0;
            for (; i <= i1 - VL; i += VL) {
                FloatVector.fromArray(S, x, i).fma(FloatVector.broadcast(S, alpha), FloatVector.fromArray(S, y, i)).intoArray(y, i);
            }
            for (; i < i1; i++) y[i] = Math.fma(alpha, x[i], y[i]);
        });
    }

    /*
     * Reductions: blocks of BLOCK elements are summed in float vector lanes (BLOCK / VL terms per lane) and the
     * block sums accumulated in double, so the error stays near (BLOCK / VL) u sum|a_i| however long the input.
     * Parallel chunks are fixed multiples of BLOCK whose partial results are added in index order, so the value
     * is identical for every thread count.
     */
    private static final int BLOCK = 256;
    private static final int REDUCE_CHUNK = 1 << 16;

    /** Sum of a[off .. off+n) (see the reduction note above). */
    public static double sum(float[] a, int off, int n) {
        checkRows("sum", 1, n, "a", a, off);
        return reduce(n, (from, to) -> sumRange(a, off + from, to - from));
    }

    /** Dot product of a[aOff .. aOff+n) and b[bOff .. bOff+n). */
    public static double dot(float[] a, int aOff, float[] b, int bOff, int n) {
        checkRows("dot", 1, n, "a", a, aOff, "b", b, bOff);
        return reduce(n, (from, to) -> dotRange(a, aOff + from, b, bOff + from, to - from));
    }

    private interface RangeReduction {
        double apply(int from, int to);
    }

    private static double reduce(int n, RangeReduction part) {
        if (n <= REDUCE_CHUNK || CpuPool.threads() == 1) return chunked(n, part);
        int chunks = (n + REDUCE_CHUNK - 1) / REDUCE_CHUNK;
        double[] partial = new double[chunks];
        CpuPool.parallelFor(0, chunks, 1, (c0, c1) -> {
            for (int c = c0; c < c1; c++) partial[c] = part.apply(c * REDUCE_CHUNK, Math.min(n, (c + 1) * REDUCE_CHUNK));
        });
        double total = 0;
        for (double p : partial) total += p;
        return total;
    }

    /** Same chunking as the parallel path, run in order on this thread. */
    private static double chunked(int n, RangeReduction part) {
        double total = 0;
        for (int c = 0; c < n; c += REDUCE_CHUNK) total += part.apply(c, Math.min(n, c + REDUCE_CHUNK));
        return total;
    }

    private static double sumRange(float[] a, int off, int n) {
        double total = 0;
        int i = 0;
        while (i <= n - VL) { // whole blocks, then one partial block of whole vectors
            int end = i + Math.min(BLOCK, (n - i) / VL * VL);
            FloatVector acc = FloatVector.fromArray(S, a, off + i);
            for (i += VL; i < end; i += VL) acc = acc.add(FloatVector.fromArray(S, a, off + i));
            total += laneSum(acc);
        }
        float tail = 0f;
        for (; i < n; i++) tail += a[off + i];
        return total + tail;
    }

    private static double dotRange(float[] a, int aOff, float[] b, int bOff, int n) {
        double total = 0;
        int i = 0;
        while (i <= n - VL) { // whole blocks, then one partial block of whole vectors
            int end = i + Math.min(BLOCK, (n - i) / VL * VL);
            FloatVector acc = FloatVector.fromArray(S, a, aOff + i).mul(FloatVector.fromArray(S, b, bOff + i));
            for (i += VL; i < end; i += VL) {
                acc = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), acc);
            }
            total += laneSum(acc);
        }
        float tail = 0f;
        for (; i < n; i++) tail = Math.fma(a[aOff + i], b[bOff + i], tail);
        return total + tail;
    }

    // ---------------------------------------------------------------- argument checks

    /** Each (name, array, offset) triple must hold rows*cols elements from its offset. */
    private static void checkRows(String op, int rows, int cols, Object... nameArrayOffset) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("VecKernels." + op + ": rows=" + rows + " and cols=" + cols + " must be >= 0");
        }
        long need = (long) rows * cols;
        for (int i = 0; i < nameArrayOffset.length; i += 3) {
            String name = (String) nameArrayOffset[i];
            float[] arr = (float[]) nameArrayOffset[i + 1];
            int off = (Integer) nameArrayOffset[i + 2];
            if (arr == null) throw new IllegalArgumentException("VecKernels." + op + ": array " + name + " is null");
            if (off < 0 || off + need > arr.length) {
                throw new IllegalArgumentException("VecKernels." + op + ": " + name + " needs " + need
                        + " elements from offset " + off + " but has length " + arr.length);
            }
        }
    }

    /** Optional (nullable) per-column or per-row arrays must have at least {@code length} elements. */
    private static void checkLength(String op, int length, Object... nameArray) {
        for (int i = 0; i < nameArray.length; i += 2) {
            float[] arr = (float[]) nameArray[i + 1];
            if (arr != null && arr.length < length) {
                throw new IllegalArgumentException("VecKernels." + op + ": " + nameArray[i] + " needs " + length
                        + " elements but has length " + arr.length);
            }
        }
    }
}
