package dev.orcaj.ot;

import dev.orcaj.backend.cpu.CpuPool;

/** Float64 cost matrix with plain loops: the reference arithmetic for golden tests and small problems. */
final class CostMatrixF64 extends CostMatrix {
    private final double[] c;

    CostMatrixF64(double[] c, int rows, int cols) {
        super(rows, cols);
        this.c = c;
    }

    static CostMatrixF64 build(PointCloud x, double[] sx, int[] lx, PointCloud y, int[] ly, GroundCost cost) {
        int n = x.size(), m = y.size(), d = x.dim();
        double[] xs = x.doubles(), ys = y.doubles();
        double[] sy = y.squaredNorms();
        double[] c = new double[n * m];
        CpuPool.parallelFor(0, n, 8, (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                for (int j = 0; j < m; j++) {
                    double dot = 0;
                    for (int k = 0; k < d; k++) dot += xs[i * d + k] * ys[j * d + k];
                    c[i * m + j] = cost.combine(sx[i] + sy[j] - 2 * dot, lx == null ? 0 : lx[i], ly == null ? 0 : ly[j]);
                }
            }
        });
        return new CostMatrixF64(c, n, m);
    }

    @Override
    CostMatrix selectRows(int[] rowIdx) {
        double[] out = new double[rowIdx.length * cols];
        for (int r = 0; r < rowIdx.length; r++) System.arraycopy(c, rowIdx[r] * cols, out, r * cols, cols);
        return new CostMatrixF64(out, rowIdx.length, cols);
    }

    @Override
    CostMatrix mapSquared(GroundCost cost, int[] lx, int[] ly) {
        double[] out = new double[c.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) out[i * cols + j] = cost.combine(c[i * cols + j], lx == null ? 0 : lx[i], ly == null ? 0 : ly[j]);
        }
        return new CostMatrixF64(out, rows, cols);
    }

    @Override public Precision precision() { return Precision.FLOAT64; }

    @Override public double get(int i, int j) { return c[i * cols + j]; }

    @Override public long bytes() { return 8L * c.length; }

    @Override
    public CostMatrix transpose() {
        double[] t = new double[c.length];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) t[j * rows + i] = c[i * cols + j];
        return new CostMatrixF64(t, cols, rows);
    }

    @Override
    void softmin(double eps, double[] h, double[] out) {
        CpuPool.parallelFor(0, rows, 32, (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                int off = i * cols;
                double mx = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < cols; j++) mx = Math.max(mx, h[j] - c[off + j] / eps);
                double s = 0;
                for (int j = 0; j < cols; j++) s += Math.exp(h[j] - c[off + j] / eps - mx);
                out[i] = -eps * (mx + Math.log(s));
            }
        });
    }

    @Override
    double[] softmaxTimes(double eps, double[] h, PointCloud v) {
        int d = v.dim();
        double[] vs = v.as(Precision.FLOAT64).doubles();
        double[] out = new double[rows * d];
        CpuPool.parallelFor(0, rows, 8, (lo, hi) -> {
            double[] w = new double[cols];
            for (int i = lo; i < hi; i++) {
                int off = i * cols;
                double mx = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < cols; j++) mx = Math.max(mx, h[j] - c[off + j] / eps);
                double s = 0;
                for (int j = 0; j < cols; j++) s += (w[j] = Math.exp(h[j] - c[off + j] / eps - mx));
                for (int j = 0; j < cols; j++) {
                    double wj = w[j] / s;
                    for (int k = 0; k < d; k++) out[i * d + k] += wj * vs[j * d + k];
                }
            }
        });
        return out;
    }
}
