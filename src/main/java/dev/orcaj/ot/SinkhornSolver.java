package dev.orcaj.ot;

import dev.orcaj.backend.cpu.CpuPool;

/**
 * Log-domain Sinkhorn on precomputed cost matrices.
 * <ul>
 * <li>{@link #symmetric}: geomloss 0.2.x {@code sinkhorn_loop} (spec 6.3): symmetric damped updates over a
 * fixed epsilon list, then one extrapolation step; optionally debiased (OT(a,a), OT(b,b) solved alongside).
 * <li>{@link #toTolerance}: classic alternating updates at one epsilon until the marginal error is below a
 * tolerance (general use; matches POT {@code sinkhorn_log} at convergence).
 * </ul>
 * Potentials are float64; the cost matrices decide the kernel precision.
 */
public final class SinkhornSolver {
    /** Marker for {@code knownFAA}: do not solve OT(a,a) (gradient-only evaluation). */
    static final double[] SKIP_AA = new double[0];

    private SinkhornSolver() {}

    /**
     * @param cxy cost(x_i, y_j), n x m;  @param cyx cost(y_j, x_i), m x n
     * @param cxx cost(x, x) n x n and @param cyy cost(y, y) m x m, both null for the plain (biased) OT
     * @param logA log weights of x;  @param logB log weights of y;  @param epsList one entry per iteration
     */
    public static SinkhornResult symmetric(CostMatrix cxy, CostMatrix cyx, CostMatrix cxx, CostMatrix cyy,
                                           double[] logA, double[] logB, double[] epsList) {
        return symmetric(cxy, cyx, cxx, cyy, logA, logB, epsList, null);
    }

    /**
     * As above; {@code knownFAA} (nullable) is the final OT(a,a) potential of an earlier solve with the same
     * {@code cxx}, {@code logA} and {@code epsList}. The a-a updates never read the other potentials, so reusing
     * it skips the x-x soft-mins with bitwise identical results. {@link #SKIP_AA} skips OT(a,a) altogether:
     * the potentials on y and the gradient with respect to y do not depend on it; the value is then NaN.
     */
    static SinkhornResult symmetric(CostMatrix cxy, CostMatrix cyx, CostMatrix cxx, CostMatrix cyy,
                                    double[] logA, double[] logB, double[] epsList, double[] knownFAA) {
        return symmetric(cxy, cyx, cxx, cyy, logA, logB, epsList, knownFAA, null, null);
    }

    /**
     * As above; non-null {@code x} / {@code y} ask for the soft-max barycentres of the last extrapolation that
     * the gradient needs ({@link SinkhornResult#barycentresYX}, {@code barycentresYY}), made from what the
     * solve kept where it can (no second exp sweep).
     */
    static SinkhornResult symmetric(CostMatrix cxy, CostMatrix cyx, CostMatrix cxx, CostMatrix cyy,
                                    double[] logA, double[] logB, double[] epsList, double[] knownFAA,
                                    PointCloud x, PointCloud y) {
        int n = logA.length, m = logB.length;
        checkShape(cxy, n, m, "C_xy");
        checkShape(cyx, m, n, "C_yx");
        boolean debias = cxx != null || cyy != null;
        if (debias) {
            checkShape(cxx, n, n, "C_xx");
            checkShape(cyy, m, m, "C_yy");
        }
        if (epsList.length == 0) throw new IllegalArgumentException("sinkhorn: empty epsilon schedule");
        double eps = epsList[0];
        // Each problem (cross, and the self terms when debiased) keeps a potential on its rows and one on its
        // columns, updated together by one stepper (one pass over the matrix for float32, see
        // SymmetricSoftminF32). A self term's two potentials are equal in exact arithmetic (its matrix is
        // symmetric); running it exactly like the cross problem makes S(x, x) exactly 0.
        Potentials cross = new Potentials(cxy, cyx, logA, logB, eps);
        Potentials selfX = debias && knownFAA == null ? new Potentials(cxx, cxx, logA, logA, eps) : null;
        Potentials selfY = debias ? new Potentials(cyy, cyy, logB, logB, eps) : null;
        for (double e : epsList) {
            eps = e;
            cross.iterate(e);
            if (selfX != null) selfX.iterate(e);
            if (selfY != null) selfY.iterate(e);
        }
        // Last extrapolation at the final eps (geomloss: "to get the correct gradients").
        double[] hYX = shifted(logA, cross.row, eps), hYY = selfY == null ? null : shifted(logB, selfY.row, eps);
        cross.extrapolate(eps);
        double[] bx = cross.row, ay = cross.col, ax = null, by = null;
        if (debias) {
            if (selfX != null) selfX.extrapolate(eps);
            selfY.extrapolate(eps);
            ax = knownFAA != null ? knownFAA : selfX.row;
            by = selfY.col;
        }
        double value;
        if (knownFAA == SKIP_AA) {
            value = Double.NaN;
            ax = null;
        } else if (debias) {
            value = weightedDiff(logA, bx, ax) + weightedDiff(logB, ay, by);
        } else {
            value = weightedDiff(logA, bx, null) + weightedDiff(logB, ay, null);
        }
        double[] pYX = x == null ? null : cross.step.columnSoftmaxTimes(x);
        double[] pYY = y == null || selfY == null ? null : selfY.step.columnSoftmaxTimes(y);
        return new SinkhornResult(value, bx, ay, ax, by, eps, epsList.length + 2, Double.NaN, hYX, hYY, pYX, pYY);
    }

    /**
     * Alternating log-domain Sinkhorn at a single {@code eps} until the L1 error of the row marginal is below
     * {@code tol} (checked every sweep) or {@code maxIter} sweeps. Value = dual objective {@code <a,f> + <b,g>}.
     */
    public static SinkhornResult toTolerance(CostMatrix cxy, CostMatrix cyx, double[] logA, double[] logB,
                                             double eps, double tol, int maxIter) {
        int n = logA.length, m = logB.length;
        checkShape(cxy, n, m, "C_xy");
        checkShape(cyx, m, n, "C_yx");
        if (!(eps > 0) || !(tol > 0) || maxIter < 1) {
            throw new IllegalArgumentException("sinkhorn: need eps > 0, tol > 0, maxIter >= 1");
        }
        double[] f = new double[n], g = new double[m], fNew = new double[n];
        double err = Double.NaN;
        int it = 0;
        while (it < maxIter) {
            cxy.softmin(eps, shifted(logB, g, eps), fNew);
            if (it > 0) {
                // row marginal of the plan before this update: a_i exp((f_i - fNew_i)/eps)
                err = 0;
                for (int i = 0; i < n; i++) err += Math.exp(logA[i]) * Math.abs(Math.expm1((f[i] - fNew[i]) / eps));
            }
            System.arraycopy(fNew, 0, f, 0, n);
            it++;
            if (it > 1 && err < tol) break;
            cyx.softmin(eps, shifted(logA, f, eps), g);
        }
        double value = weightedDiff(logA, f, null) + weightedDiff(logB, g, null);
        return new SinkhornResult(value, f, g, null, null, eps, it, err, null, null);
    }

    /** Transport cost {@code <pi, C>} of the entropic plan built from the potentials of {@code r}. */
    public static double transportCost(CostMatrix cxy, SinkhornResult r, double[] logA, double[] logB) {
        int n = cxy.rows(), m = cxy.cols();
        double[] f = r.fBA(), g = r.gAB();
        double eps = r.finalEps();
        double[] rowSums = new double[n];
        CpuPool.parallelFor(0, n, 16, (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                double s = 0;
                for (int j = 0; j < m; j++) {
                    double c = cxy.get(i, j);
                    s += Math.exp(logA[i] + logB[j] + (f[i] + g[j] - c) / eps) * c;
                }
                rowSums[i] = s;
            }
        });
        double total = 0;
        for (double s : rowSums) total += s;
        return total;
    }

    /**
     * The two potentials of one problem on {@code C} (rows weighted by {@code logR}, columns by {@code logC}):
     * geomloss's symmetric damped updates {@code row <- (row + softmin_C(logC + col/eps)) / 2},
     * {@code col <- (col + softmin_C^T(logR + row/eps)) / 2}.
     */
    private static final class Potentials {
        final CostMatrix.SymmetricSoftmin step;
        final double[] logR, logC;
        double[] row, col;
        final double[] freshRow, freshCol;

        Potentials(CostMatrix c, CostMatrix cT, double[] logR, double[] logC, double eps) {
            step = c.symmetricSoftmin(cT);
            this.logR = logR;
            this.logC = logC;
            row = new double[logR.length];
            col = new double[logC.length];
            step.apply(eps, logC, logR, row, col);
            freshRow = row.clone(); // previous values double as stabiliser hints (CostMatrix.softmin)
            freshCol = col.clone();
        }

        void iterate(double eps) {
            step.apply(eps, shifted(logC, col, eps), shifted(logR, row, eps), freshRow, freshCol);
            average(row, freshRow);
            average(col, freshCol);
        }

        /** The final update without damping (new arrays). */
        void extrapolate(double eps) {
            double[] r = row.clone(), c = col.clone();
            step.apply(eps, shifted(logC, col, eps), shifted(logR, row, eps), r, c);
            row = r;
            col = c;
        }
    }

    /** {@code log w + potential / eps}. */
    static double[] shifted(double[] logW, double[] potential, double eps) {
        double[] h = new double[logW.length];
        for (int i = 0; i < h.length; i++) h[i] = logW[i] + potential[i] / eps;
        return h;
    }

    private static void average(double[] old, double[] fresh) {
        for (int i = 0; i < old.length; i++) old[i] = 0.5 * (old[i] + fresh[i]);
    }

    /** {@code sum_i exp(logW_i) (p_i - q_i)} (q may be null). */
    static double weightedDiff(double[] logW, double[] p, double[] q) {
        double s = 0;
        for (int i = 0; i < logW.length; i++) s += Math.exp(logW[i]) * (q == null ? p[i] : p[i] - q[i]);
        return s;
    }

    /** Uniform log weights {@code log(1/n)}. */
    public static double[] uniformLogWeights(int n) {
        if (n <= 0) throw new IllegalArgumentException("sinkhorn: a measure needs at least one point");
        double[] w = new double[n];
        java.util.Arrays.fill(w, Math.log(1.0 / n));
        return w;
    }

    private static void checkShape(CostMatrix c, int rows, int cols, String name) {
        if (c == null) throw new IllegalArgumentException("sinkhorn: " + name + " is missing");
        if (c.rows() != rows || c.cols() != cols) {
            throw new IllegalArgumentException("sinkhorn: " + name + " is " + c.rows() + "x" + c.cols()
                    + ", expected " + rows + "x" + cols);
        }
    }
}
