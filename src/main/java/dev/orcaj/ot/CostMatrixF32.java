package dev.orcaj.ot;

import dev.orcaj.backend.cpu.CpuPool;
import dev.orcaj.backend.cpu.Sgemm;

/**
 * Float32 cost matrix on the backend's CPU layer: costs from its SGEMM {@code X Y^T}, soft-min rows with its
 * vectorized exp (float lanes, float64 row sums), soft-max barycentres as a weights-times-points SGEMM, rows
 * split over its thread pool.
 */
final class CostMatrixF32 extends CostMatrix {
    /** Rows per block of the cost finish pass. */
    private static final int ROW_BLOCK = 48;
    /** Soft-max weights held per thread (floats, 4 MiB): each SGEMM call packs all of the points once, so the
     *  blocks are made as tall as this allows. */
    private static final int WEIGHTS_BLOCK = 1 << 20;
    private final float[] c;

    CostMatrixF32(float[] c, int rows, int cols) {
        super(rows, cols);
        this.c = c;
    }

    static CostMatrixF32 build(PointCloud x, double[] sx, int[] lx, PointCloud y, int[] ly, GroundCost cost) {
        int n = x.size(), m = y.size();
        float[] c = new float[n * m];
        double[] sy = y.squaredNorms();
        float[] dots = c; // X Y^T lands in c, then is turned into costs in place, block by block
        crossDots(x, y, dots, (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                int off = i * m, li = lx == null ? 0 : lx[i];
                for (int j = 0; j < m; j++) {
                    // squared distance rounded to float first (as the float32 reference), then the cost
                    float sq = (float) Math.max(0.0, sx[i] + sy[j] - 2.0 * dots[off + j]);
                    c[off + j] = (float) cost.combine(sq, li, ly == null ? 0 : ly[j]);
                }
            }
        });
        return new CostMatrixF32(c, n, m);
    }

    /**
     * {@code out[i*m + j] = x_i . y_j} by the backend's SGEMM ({@code X Y^T}, Y read transposed in place), then
     * {@code finish} on row ranges of the finished product in the backend's pool.
     */
    static void crossDots(PointCloud x, PointCloud y, float[] out, CpuPool.RangeBody finish) {
        int n = x.size(), m = y.size(), d = x.dim();
        Sgemm.sgemm(false, true, n, m, d, 1f, x.floats(), 0, d, y.floats(), 0, d, 0f, out, 0, m);
        CpuPool.parallelFor(0, n, ROW_BLOCK, finish);
    }

    @Override
    CostMatrix selectRows(int[] rowIdx) {
        float[] out = new float[rowIdx.length * cols];
        for (int r = 0; r < rowIdx.length; r++) System.arraycopy(c, rowIdx[r] * cols, out, r * cols, cols);
        return new CostMatrixF32(out, rowIdx.length, cols);
    }

    @Override
    CostMatrix mapSquared(GroundCost cost, int[] lx, int[] ly) {
        float[] out = new float[c.length];
        CpuPool.parallelFor(0, rows, 64, (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                int li = lx == null ? 0 : lx[i];
                for (int j = 0; j < cols; j++) out[i * cols + j] = (float) cost.combine(c[i * cols + j], li, ly == null ? 0 : ly[j]);
            }
        });
        return new CostMatrixF32(out, rows, cols);
    }

    @Override public Precision precision() { return Precision.FLOAT32; }

    @Override public double get(int i, int j) { return c[i * cols + j]; }

    @Override public long bytes() { return 4L * c.length; }

    @Override
    public CostMatrix transpose() {
        float[] t = new float[c.length];
        final int tile = 64;
        CpuPool.parallelFor(0, cols, tile, (lo, hi) -> {
            for (int j0 = lo; j0 < hi; j0 += tile) {
                int j1 = Math.min(hi, j0 + tile);
                for (int i0 = 0; i0 < rows; i0 += tile) {
                    int i1 = Math.min(rows, i0 + tile);
                    for (int j = j0; j < j1; j++) for (int i = i0; i < i1; i++) t[j * rows + i] = c[i * cols + j];
                }
            }
        });
        return new CostMatrixF32(t, cols, rows);
    }

    /**
     * {@inheritDoc} Finite previous contents of {@code out} (the solver passes last iteration's values) give
     * each row a stabiliser guess {@code -out_i/eps}, saving the max pass; rows whose guess is off fall back
     * to the exact two-pass kernel.
     */
    @Override
    void softmin(double eps, double[] h, double[] out) {
        float[] hf = toFloats(h);
        CpuPool.parallelFor(0, rows, 16, (lo, hi) -> {
            float[] scratch = null;
            for (int i = lo; i < hi; i++) {
                double r = out[i] == 0 ? Double.NaN
                        : SoftminKernels.softminRowGuess(c, i * cols, hf, cols, eps, (float) (-out[i] / eps));
                if (Double.isNaN(r)) {
                    if (scratch == null) scratch = new float[cols];
                    r = SoftminKernels.softminRow(c, i * cols, hf, cols, eps, scratch);
                }
                out[i] = r;
            }
        });
    }

    /** {@inheritDoc} Here: one pass over this matrix per step, kernel kept while eps repeats ({@link SymmetricSoftminF32}). */
    @Override
    SymmetricSoftmin symmetricSoftmin(CostMatrix transposed) {
        return new SymmetricSoftminF32(c, rows, cols, transposed, (long) rows * cols <= SymmetricSoftminF32.KEEP_MAX_ENTRIES);
    }

    @Override
    double[] softmaxTimes(double eps, double[] h, PointCloud v) {
        int d = v.dim();
        float[] vs = v.as(Precision.FLOAT32).floats();
        float[] hf = toFloats(h);
        double[] out = new double[rows * d];
        CpuPool.parallelFor(0, rows, 16, (lo, hi) -> {
            int block = Math.min(hi - lo, Math.max(6, WEIGHTS_BLOCK / Math.max(1, cols)));
            float[] w = new float[block * cols];
            float[] acc = new float[block * d];
            for (int b = lo; b < hi; b += block) {
                int e = Math.min(hi, b + block);
                for (int i = b; i < e; i++) SoftminKernels.softmaxRow(c, i * cols, hf, cols, eps, w, (i - b) * cols);
                // weights x points; inside a pool chunk the backend's SGEMM runs on this thread
                Sgemm.sgemm(false, false, e - b, d, cols, 1f, w, 0, cols, vs, 0, d, 0f, acc, 0, d);
                for (int t = 0; t < (e - b) * d; t++) out[b * d + t] = acc[t];
            }
        });
        return out;
    }

    private static float[] toFloats(double[] h) {
        float[] f = new float[h.length];
        for (int i = 0; i < h.length; i++) f[i] = (float) h[i];
        return f;
    }
}
