package dev.orcaj.orca.baselines;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * L2-regularized logistic regression on standardized features, fitted by {@link Lbfgs}: multinomial (softmax over K
 * classes, one-hot targets) or one independent sigmoid per label (multi-label 0/1 targets). The objective is
 * (1/n) sum_i loss_i + (lambda / 2) ||W||^2 with the intercepts unpenalized; its gradient is
 * (1/n) X^T (P - Y) + lambda W for W and the column means of P - Y for the intercepts. Parameters are packed as
 * [W row-major (d x K), b (K)]; the outputs are logits.
 */
final class Logistic {
    enum Link { SOFTMAX, SIGMOID }

    static final int MAX_ITERATIONS = 500;
    static final double GRAD_TOL = 1e-6;

    private final DMatrixRMaj x, y;
    private final Link link;

    /** {@code x} [n, d] standardized, {@code y} [n, K]: one-hot (softmax) or 0/1 per label (sigmoid). */
    Logistic(DMatrixRMaj x, DMatrixRMaj y, Link link) {
        this.x = x;
        this.y = y;
        this.link = link;
    }

    int parameters() { return (x.numCols + 1) * y.numCols; }

    /** The minimiser for one L2 strength, starting from {@code start} (warm start along a lambda path; zeros if null). */
    Lbfgs.Result fit(double lambda, double[] start) {
        return Lbfgs.minimize((theta, g) -> valueAndGradient(theta, lambda, g), start != null ? start : new double[parameters()], MAX_ITERATIONS, GRAD_TOL);
    }

    /** The objective at {@code theta}; its gradient goes to {@code grad}. */
    double valueAndGradient(double[] theta, double lambda, double[] grad) {
        int n = x.numRows, d = x.numCols, k = y.numCols;
        DMatrixRMaj residual = logits(x, theta); // becomes P - Y
        double loss = 0;
        double[] z = residual.data, t = y.data;
        for (int i = 0; i < n; i++) {
            if (link == Link.SOFTMAX) {
                double max = Double.NEGATIVE_INFINITY, sum = 0;
                for (int c = 0; c < k; c++) max = Math.max(max, z[i * k + c]);
                for (int c = 0; c < k; c++) sum += Math.exp(z[i * k + c] - max);
                double logSum = max + Math.log(sum);
                for (int c = 0; c < k; c++) {
                    int at = i * k + c;
                    loss -= t[at] * (z[at] - logSum);
                    z[at] = Math.exp(z[at] - logSum) - t[at];
                }
            } else {
                for (int c = 0; c < k; c++) {
                    int at = i * k + c;
                    double v = z[at];
                    loss += Math.max(v, 0) - v * t[at] + Math.log1p(Math.exp(-Math.abs(v))); // stable BCE with logits
                    z[at] = 1 / (1 + Math.exp(-v)) - t[at];
                }
            }
        }
        DMatrixRMaj gw = DMatrixRMaj.wrap(d, k, grad); // the first d*k entries of grad
        CommonOps_DDRM.multTransA(x, residual, gw);
        double penalty = 0;
        for (int j = 0; j < d * k; j++) {
            grad[j] = grad[j] / n + lambda * theta[j];
            penalty += theta[j] * theta[j];
        }
        for (int c = 0; c < k; c++) {
            double s = 0;
            for (int i = 0; i < n; i++) s += z[i * k + c];
            grad[d * k + c] = s / n;
        }
        return loss / n + 0.5 * lambda * penalty;
    }

    /** Logits [rows, K] of standardized rows. */
    static DMatrixRMaj logits(DMatrixRMaj rows, double[] theta) {
        int d = rows.numCols, k = (theta.length) / (d + 1);
        DMatrixRMaj out = new DMatrixRMaj(rows.numRows, k);
        CommonOps_DDRM.mult(rows, DMatrixRMaj.wrap(d, k, theta), out);
        for (int i = 0; i < rows.numRows; i++) for (int c = 0; c < k; c++) out.data[i * k + c] += theta[d * k + c];
        return out;
    }
}
