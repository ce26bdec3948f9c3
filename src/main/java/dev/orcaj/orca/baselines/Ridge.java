package dev.orcaj.orca.baselines;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * Ridge regression on standardized features with an unpenalized intercept: W minimises
 * (1/n) ||X W + 1 b^T - Y||^2 + lambda ||W||^2. The features have mean 0 over the training rows, so b is the target
 * mean and W solves the normal equations (X^T X + n lambda I) W = X^T (Y - 1 b^T). That d x d system is solved by
 * Cholesky when d <= n; otherwise its dual, the n x n system (X X^T + n lambda I) A = Y - 1 b^T with W = X^T A, and
 * predictions go through the kernel X_new X^T so that W (d x outputs, e.g. 16384^2 for a 128x128 field) is never formed.
 */
final class Ridge {
    private final DMatrixRMaj x, system, rhs;
    private final double[] targetMean;
    private final boolean dual;

    /** {@code x} [n, d] standardized (column means 0), {@code y} [n, m]. */
    Ridge(DMatrixRMaj x, DMatrixRMaj y) {
        int n = x.numRows, d = x.numCols, m = y.numCols;
        this.x = x;
        this.dual = d > n;
        targetMean = new double[m];
        for (int i = 0; i < n; i++) for (int k = 0; k < m; k++) targetMean[k] += y.data[i * m + k] / n;
        DMatrixRMaj centered = y.copy();
        for (int i = 0; i < n; i++) for (int k = 0; k < m; k++) centered.data[i * m + k] -= targetMean[k];
        if (dual) {
            system = new DMatrixRMaj(n, n);
            CommonOps_DDRM.multTransB(x, x, system);
            rhs = centered;
        } else {
            system = new DMatrixRMaj(d, d);
            CommonOps_DDRM.multTransA(x, x, system);
            rhs = new DMatrixRMaj(d, m);
            CommonOps_DDRM.multTransA(x, centered, rhs);
        }
    }

    /** The solution for one L2 strength (lambda > 0). */
    Fit fit(double lambda) {
        if (!(lambda > 0)) throw new IllegalArgumentException("ridge: lambda must be > 0, got " + lambda);
        DMatrixRMaj a = system.copy();
        double ridge = x.numRows * lambda;
        for (int i = 0; i < a.numRows; i++) a.data[i * a.numCols + i] += ridge;
        DMatrixRMaj solution = new DMatrixRMaj(a.numRows, rhs.numCols);
        if (!CommonOps_DDRM.solveSPD(a, rhs.copy(), solution)) throw new ArithmeticException("ridge: Cholesky failed for lambda " + lambda);
        return new Fit(solution);
    }

    /** One fitted model: W (primal) or A (dual, W = X^T A). */
    final class Fit {
        private final DMatrixRMaj solution;

        private Fit(DMatrixRMaj solution) { this.solution = solution; }

        /** Coefficients W [d, m] (formed on request in the dual case; tests only). */
        DMatrixRMaj weights() {
            if (!dual) return solution;
            DMatrixRMaj w = new DMatrixRMaj(x.numCols, solution.numCols);
            CommonOps_DDRM.multTransA(x, solution, w);
            return w;
        }

        double[] intercept() { return targetMean.clone(); }

        /** Predictions [rows, m] for standardized rows. */
        DMatrixRMaj predict(DMatrixRMaj rows) {
            DMatrixRMaj out = new DMatrixRMaj(rows.numRows, solution.numCols);
            if (dual) {
                DMatrixRMaj kernel = new DMatrixRMaj(rows.numRows, x.numRows);
                CommonOps_DDRM.multTransB(rows, x, kernel);
                CommonOps_DDRM.mult(kernel, solution, out);
            } else {
                CommonOps_DDRM.mult(rows, solution, out);
            }
            int m = out.numCols;
            for (int i = 0; i < out.numRows; i++) for (int k = 0; k < m; k++) out.data[i * m + k] += targetMean[k];
            return out;
        }
    }
}
