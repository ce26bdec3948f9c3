package dev.orcaj.ot;

import dev.orcaj.backend.cpu.CpuPool;

/**
 * A dense row-major cost matrix {@code C[rows x cols]} plus the kernels the log-domain Sinkhorn solver needs.
 * Two precisions share the solver ({@link SinkhornSolver} only sees this class): {@link CostMatrixF32}
 * (Vector-API kernels, float32 exp lanes, float64 row sums) and {@link CostMatrixF64} (plain float64 loops).
 * Costs are built in row blocks from {@code ||x||^2 + ||y||^2 - 2 x.y} (no rows x cols x d temporaries).
 */
public abstract sealed class CostMatrix permits CostMatrixF32, CostMatrixF64 {
    final int rows;
    final int cols;

    CostMatrix(int rows, int cols) {
        this.rows = rows;
        this.cols = cols;
    }

    public int rows() { return rows; }

    public int cols() { return cols; }

    public abstract Precision precision();

    public abstract double get(int i, int j);

    /** Memory held by the entries. */
    public abstract long bytes();

    /** The given rows, in that order (a copy). */
    abstract CostMatrix selectRows(int[] rowIdx);

    /**
     * For a matrix of squared distances ({@code build} with {@code GroundCost.plain(2)}): the matrix of
     * {@code cost} on the same pairs, bitwise equal to building it directly. Lets one distance GEMM serve
     * several costs (OTDD's inner and outer problems share the source x target distances).
     */
    abstract CostMatrix mapSquared(GroundCost cost, int[] lx, int[] ly);

    /** {@code C^T} as its own matrix (row access for the column soft-min). */
    public abstract CostMatrix transpose();

    /**
     * {@code out_i = -eps * log sum_j exp(h_j - C_ij / eps)} (geomloss {@code softmin_tensorized}). Implementations
     * may read finite non-zero previous contents of {@code out} as a hint (never changing the result by more
     * than float rounding).
     */
    abstract void softmin(double eps, double[] h, double[] out);

    /** Both soft-mins of a symmetric Sinkhorn step on a matrix {@code C} and its transpose (see {@link #symmetricSoftmin}). */
    interface SymmetricSoftmin {
        /**
         * {@code rowOut_i = -eps log sum_j exp(hCols_j - C_ij/eps)} (the soft-min over {@code C}) and
         * {@code colOut_j = -eps log sum_i exp(hRows_i - C_ij/eps)} (the soft-min over {@code C^T}).
         */
        void apply(double eps, double[] hCols, double[] hRows, double[] rowOut, double[] colOut);

        /**
         * After {@link #apply}: {@code out_j = sum_i w_ij v_i} with {@code w_ij = softmax_i(hRows_i - C_ij/eps)} of
         * that call ({@code v} has {@code rows} points; {@code cols x d}, float64), i.e. what
         * {@code transposed.softmaxTimes(eps, hRows, v)} gives; null when this stepper cannot (then call that).
         */
        default double[] columnSoftmaxTimes(PointCloud v) { return null; }
    }

    /**
     * A stepper for repeated {@link SymmetricSoftmin} calls on this matrix and {@code transposed} (its
     * {@link #transpose()}, or this matrix itself when it is symmetric); it may keep state between calls (hints, a kernel). Default: the two soft-mins
     * (previous contents of the outputs are their hints).
     */
    SymmetricSoftmin symmetricSoftmin(CostMatrix transposed) {
        return (eps, hCols, hRows, rowOut, colOut) -> {
            softmin(eps, hCols, rowOut);
            if (transposed == this && java.util.Arrays.equals(hCols, hRows)) {
                System.arraycopy(rowOut, 0, colOut, 0, cols); // a self term: one soft-min serves both sides
            } else {
                transposed.softmin(eps, hRows, colOut);
            }
        };
    }

    /**
     * Row-wise soft-max barycentres: {@code out_i = sum_j w_ij v_j} with {@code w_ij = softmax_j(h_j - C_ij/eps)};
     * {@code v} has {@code cols} points. Returns {@code rows x d}, float64. The gradient of the final soft-min.
     */
    abstract double[] softmaxTimes(double eps, double[] h, PointCloud v);

    /** Builds {@code C_ij = cost(x_i, y_j)}; {@code lx}/{@code ly} are needed only when the cost has labels. */
    public static CostMatrix build(PointCloud x, int[] lx, PointCloud y, int[] ly, GroundCost cost, Precision precision) {
        if (x.dim() != y.dim()) {
            throw new IllegalArgumentException("cost matrix: feature dimensions differ: " + x.dim() + " vs " + y.dim());
        }
        if (cost.hasLabels() && (lx == null || ly == null || lx.length != x.size() || ly.length != y.size())) {
            throw new IllegalArgumentException("cost matrix: the ground cost has a label term but labels are missing or mis-sized");
        }
        return build(x, null, lx, y, ly, cost, precision);
    }

    /** As above; {@code xNorms} (nullable) are the cached squared norms of x's rows in {@code precision}. */
    static CostMatrix build(PointCloud x, double[] xNorms, int[] lx, PointCloud y, int[] ly, GroundCost cost, Precision precision) {
        PointCloud xc = x.as(precision), yc = y.as(precision);
        double[] sx = xNorms != null ? xNorms : xc.squaredNorms();
        return precision == Precision.FLOAT32
                ? CostMatrixF32.build(xc, sx, lx, yc, ly, cost)
                : CostMatrixF64.build(xc, sx, lx, yc, ly, cost);
    }

    /**
     * Entropic plan {@code pi_ij = a_i b_j exp((f_i + g_j - C_ij) / eps)} from converged potentials (marginals
     * close to a and b). Returns rows x cols, float64.
     */
    public double[] plan(double eps, double[] logA, double[] f, double[] logB, double[] g) {
        double[] p = new double[rows * cols];
        CpuPool.parallelFor(0, rows, 16, (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                for (int j = 0; j < cols; j++) {
                    p[i * cols + j] = Math.exp(logA[i] + logB[j] + (f[i] + g[j] - get(i, j)) / eps);
                }
            }
        });
        return p;
    }
}
