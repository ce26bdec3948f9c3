package dev.orcaj.ot;

import dev.orcaj.backend.cpu.CpuPool;
import dev.orcaj.backend.cpu.Sgemm;

import java.util.Arrays;

/**
 * Both soft-mins of a symmetric Sinkhorn step on one float32 cost matrix {@code C} (n x m), reading {@code C}
 * once instead of {@code C} and {@code C^T}, with one exp per entry instead of two, and none while epsilon stays
 * the same:
 * <pre>
 *   rowOut_i = -eps log sum_j exp(hCols_j - C_ij/eps)      colOut_j = -eps log sum_i exp(hRows_i - C_ij/eps)
 * </pre>
 * Stabilised kernel-space scaling with log-domain absorption (Schmitzer 2019, "Stabilized sparse scaling
 * algorithms for entropy regularized transport problems", Alg. 2), which has the same fixed point:
 * <ul>
 * <li>exp sweep: {@code K_ij = exp(hAbs_j - C_ij/eps - s_i)} with {@code hAbs = hCols} and {@code s_i} the row's
 * previous log-sum-exp (rows whose guess leaves the sum out of range are redone with their exact log-sum-exp).
 * The row sums give {@code rowOut}; {@code K} is kept.
 * <li>scaling step (same eps as the kept {@code K}): {@code sum_j exp(hCols_j - C_ij/eps) = exp(s_i) sum_j K_ij v_j}
 * with {@code v_j = exp(hCols_j - hAbs_j)}: a matrix-vector product, no exp. Absorption: when some
 * {@code |log v_j|} exceeds {@link #MAX_LOG_SCALING} or a row sum leaves [{@value #MIN_SUM}, {@value #MAX_SUM}],
 * the step is an exp sweep at the current potentials instead.
 * <li>column sums, in the same pass over {@code K}: {@code sum_i exp(hRows_i - C_ij/eps) = exp(R - hAbs_j)
 * sum_i K_ij u_i} with {@code u_i = exp(hRows_i + s_i - R)}, {@code R = max_i (hRows_i + s_i)} (in an exp sweep
 * each block of rows uses its own R, known once its rows are done, and adds its kernel rows to the column sums
 * while they are still in cache; the block partials are rescaled to the global R). A column sum out of range
 * sends the whole column side to the exact two-pass soft-min over {@code C^T}.
 * </ul>
 * Entries of {@code K} below the float range are lost: with scalings bounded by {@code e^}{@value #MAX_LOG_SCALING}
 * and sums above {@value #MIN_SUM} they change a result by less than {@code 1e-38 e^10 max(n, m) / 1e-20}
 * relative. The results equal the two log-domain soft-mins up to float32 rounding, not bitwise.
 * <p>Determinism: column sums are accumulated over fixed blocks of {@value #BLOCK} rows and the block partials
 * added in block order, so results do not depend on the thread count.
 */
final class SymmetricSoftminF32 implements CostMatrix.SymmetricSoftmin {
    /** Rows per column-partial block. */
    static final int BLOCK = 16;
    static final double MAX_LOG_SCALING = 10, MIN_SUM = 1e-20, MAX_SUM = 1e20;
    /**
     * Largest matrix (entries) whose kernel {@link CostMatrixF32} has kept (32 MiB of floats). A larger one (e.g. a 5000-point source
     * self term, whose epsilon changes every step anyway) gets the one-pass exp sweeps only, with a per-block
     * scratch: keeping its kernel would double its memory.
     */
    static final long KEEP_MAX_ENTRIES = 1L << 23;

    private final float[] c;
    private final int n, m, blocks;
    private final CostMatrix transposed;
    private final float[] kernel;   // n x m, exp(hAbs_j - C_ij/eps - shift_i) of the last exp sweep; null: not kept
    private final double[] hAbs;    // m: hCols of the last exp sweep
    private final double[] shift;   // n: row shifts of the last exp sweep
    private final double[] lastLse; // n: last row log-sum-exp (guess of the next sweep's shift), NaN = none
    private final float[] partial;  // blocks x m column partials, each relative to its block's shift
    private final double[] blockShift; // blocks: the R of each partial
    private final double[] rowSum;  // n: this step's row sums
    private double kernelEps = Double.NaN;
    private float[] weights;        // n: the column weights u of the last step
    private double[] columnSums;    // m: the column sums of the last step; null after a column fallback
    private long expSweeps, scalingSteps, columnFallbacks;

    SymmetricSoftminF32(float[] c, int n, int m, CostMatrix transposed, boolean keepKernel) {
        this.c = c;
        this.n = n;
        this.m = m;
        this.blocks = (n + BLOCK - 1) / BLOCK;
        this.transposed = transposed;
        this.kernel = keepKernel ? new float[n * m] : null;
        this.hAbs = new double[m];
        this.shift = new double[n];
        this.lastLse = new double[n];
        Arrays.fill(lastLse, Double.NaN);
        this.partial = new float[blocks * m];
        this.blockShift = new double[blocks];
        this.rowSum = new double[n];
    }

    @Override
    public void apply(double eps, double[] hCols, double[] hRows, double[] rowOut, double[] colOut) {
        if (!(eps == kernelEps && scalingStep(hCols, hRows))) expSweep(eps, hCols, hRows);
        for (int i = 0; i < n; i++) {
            double lse = shift[i] + Math.log(rowSum[i]);
            lastLse[i] = lse;
            rowOut[i] = -eps * lse;
        }
        columns(eps, hRows, colOut);
    }

    /** Exp sweeps, scaling steps and column fallbacks so far (tests, benchmarks). */
    long[] counts() { return new long[] {expSweeps, scalingSteps, columnFallbacks}; }

    private void expSweep(double eps, double[] hCols, double[] hRows) {
        expSweeps++;
        float[] hf = toFloats(hCols, null);
        System.arraycopy(hCols, 0, hAbs, 0, m);
        kernelEps = kernel != null ? eps : Double.NaN;
        float[] u = new float[n];
        CpuPool.parallelFor(0, blocks, 1, (lo, hi) -> {
            float[] scratch = null, acc = new float[m];
            float[] k = kernel != null ? kernel : new float[BLOCK * m];
            for (int b = lo; b < hi; b++) {
                int i0 = b * BLOCK, i1 = Math.min(n, i0 + BLOCK), kBase = kernel != null ? 0 : i0 * m;
                double rb = Double.NEGATIVE_INFINITY;
                for (int i = i0; i < i1; i++) {
                    double s = lastLse[i], sum = Double.NaN;
                    if (Double.isFinite(s)) sum = SoftminKernels.expRow(c, i * m, hf, m, eps, (float) s, k, i * m - kBase);
                    if (!(sum >= MIN_SUM && sum <= MAX_SUM)) {
                        if (scratch == null) scratch = new float[m];
                        s = -SoftminKernels.softminRow(c, i * m, hf, m, eps, scratch) / eps; // exact log-sum-exp
                        sum = SoftminKernels.expRow(c, i * m, hf, m, eps, (float) s, k, i * m - kBase);
                    }
                    // the kernel row holds exp(... - (float) s): keep that shift
                    shift[i] = (float) s;
                    rowSum[i] = sum;
                    rb = Math.max(rb, hRows[i] + shift[i]);
                }
                // the block's column sums while its kernel rows are still in cache, weights shifted by the block's R
                blockShift[b] = rb;
                Arrays.fill(acc, 0f);
                for (int i = i0; i < i1; i++) {
                    u[i] = (float) Math.exp(hRows[i] + shift[i] - rb);
                    SoftminKernels.axpyRow(k, i * m - kBase, m, u[i], acc);
                }
                System.arraycopy(acc, 0, partial, b * m, m);
            }
        });
        double r = Double.NEGATIVE_INFINITY;
        for (double rb : blockShift) r = Math.max(r, rb);
        weightShift = r;
        for (int i = 0; i < n; i++) u[i] = (float) (u[i] * Math.exp(blockShift[i / BLOCK] - r));
        weights = u;
    }

    /** One pass over the kept kernel; false (nothing usable) when the scalings or a row sum leave their range. */
    private boolean scalingStep(double[] hCols, double[] hRows) {
        float[] v = new float[m];
        for (int j = 0; j < m; j++) {
            double lv = hCols[j] - hAbs[j];
            if (!(Math.abs(lv) <= MAX_LOG_SCALING)) return false;
            v[j] = (float) Math.exp(lv);
        }
        float[] u = columnWeights(hRows);
        Arrays.fill(blockShift, weightShift);
        CpuPool.parallelFor(0, blocks, 1, (lo, hi) -> {
            float[] acc = new float[m];
            for (int b = lo; b < hi; b++) {
                Arrays.fill(acc, 0f);
                for (int i = b * BLOCK; i < Math.min(n, (b + 1) * BLOCK); i++) {
                    rowSum[i] = SoftminKernels.dotAxpyRow(kernel, i * m, v, m, u[i], acc);
                }
                System.arraycopy(acc, 0, partial, b * m, m);
            }
        });
        for (int i = 0; i < n; i++) if (!(rowSum[i] >= MIN_SUM && rowSum[i] <= MAX_SUM)) return false;
        scalingSteps++;
        return true;
    }

    private double weightShift;

    /** {@code u_i = exp(hRows_i + s_i - R)}, {@code R = max}; sets {@link #weightShift} to R. */
    private float[] columnWeights(double[] hRows) {
        double r = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) r = Math.max(r, hRows[i] + shift[i]);
        weightShift = r;
        float[] u = new float[n];
        for (int i = 0; i < n; i++) u[i] = (float) Math.exp(hRows[i] + shift[i] - r);
        weights = u;
        return u;
    }

    private void columns(double eps, double[] hRows, double[] colOut) {
        double r = weightShift;
        double[] sums = new double[m];
        for (int b = 0; b < blocks; b++) {
            double scale = Math.exp(blockShift[b] - r); // 1 after a scaling step
            for (int j = 0, off = b * m; j < m; j++) sums[j] += partial[off + j] * scale;
        }
        boolean ok = true;
        for (int j = 0; j < m; j++) {
            ok &= sums[j] >= MIN_SUM && sums[j] <= MAX_SUM;
            colOut[j] = -eps * (r - hAbs[j] + Math.log(sums[j]));
        }
        columnSums = ok ? sums : null;
        if (!ok) {
            columnFallbacks++;
            Arrays.fill(colOut, 0); // no hints: the exact two-pass kernel
            transposed.softmin(eps, hRows, colOut);
        }
    }

    /**
     * {@inheritDoc} From the kept kernel, no exp: {@code w_ij = K_ij u_i / sum_i K_ij u_i}, so the barycentres are
     * {@code diag(1/colsum) K^T diag(u) V}, one SGEMM.
     */
    @Override
    public double[] columnSoftmaxTimes(PointCloud v) {
        if (columnSums == null || kernel == null) return null;
        if (v.size() != n) throw new IllegalArgumentException("softmax barycentres: " + v.size() + " points, expected " + n);
        int d = v.dim();
        float[] vs = v.as(Precision.FLOAT32).floats();
        float[] scaled = new float[n * d];
        for (int i = 0; i < n; i++) for (int k = 0; k < d; k++) scaled[i * d + k] = vs[i * d + k] * weights[i];
        float[] acc = new float[m * d];
        Sgemm.sgemm(true, false, m, d, n, 1f, kernel, 0, m, scaled, 0, d, 0f, acc, 0, d);
        double[] out = new double[m * d];
        for (int j = 0; j < m; j++) {
            double inv = 1.0 / columnSums[j];
            for (int k = 0; k < d; k++) out[j * d + k] = acc[j * d + k] * inv;
        }
        return out;
    }

    private static float[] toFloats(double[] h, float[] into) {
        float[] f = into != null ? into : new float[h.length];
        for (int i = 0; i < h.length; i++) f[i] = (float) h[i];
        return f;
    }
}
