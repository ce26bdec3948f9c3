package dev.orcaj.data.pde;

import dev.orcaj.data.ArrayDataset;
import dev.orcaj.data.Targets;
import java.util.SplittableRandom;

/**
 * 2D Darcy flow -div(a(x) grad u(x)) = f on the unit square, u = 0 on the boundary (PDEBench "2D_DarcyFlow_beta*",
 * FNO's Darcy benchmark, Li et al. 2021).
 *
 * <p>Coefficient: a Gaussian random field with covariance (-Laplacian + tau^2)^(-alpha) in FNO's cosine series
 * (coefficients tau^(alpha-1) (pi^2 |k|^2 + tau^2)^(-alpha/2) times N(0,1), constant mode removed), thresholded:
 * a = aHigh where the field is >= 0, aLow elsewhere (FNO: 12 / 3, tau = 3, alpha = 2).
 *
 * <p>Discretisation: s x s nodes on [0,1]^2 including the boundary, h = 1/(s-1); the 5-point finite-volume stencil
 * sum_q a_pq (u_p - u_q) / h^2 = f_p over the 4 neighbours q, a_pq the harmonic mean of a_p and a_q (the usual
 * face coefficient for piecewise-constant media); boundary nodes are 0. The SPD system on the (s-2)^2 interior
 * nodes is solved by conjugate gradients to a relative residual of {@code tolerance}.
 */
public final class DarcyFlow2d {

    public record Params(int resolution, double aHigh, double aLow, double tau, double alpha, double forcing, double tolerance) {
        public Params {
            if (resolution < 3) throw new IllegalArgumentException("DarcyFlow2d: resolution must be >= 3, got " + resolution);
            if (!(aHigh > 0) || !(aLow > 0)) throw new IllegalArgumentException("DarcyFlow2d: coefficients must be > 0, got " + aHigh + ", " + aLow);
            if (!(tolerance > 0)) throw new IllegalArgumentException("DarcyFlow2d: tolerance must be > 0");
        }

        /** FNO / neuralop defaults: a in {12, 3}, tau 3, alpha 2, f = 1, CG to 1e-10. */
        public static Params fno(int resolution) { return new Params(resolution, 12, 3, 3, 2, 1, 1e-10); }
    }

    /** u (s x s row-major, zero boundary), CG iterations and the final relative residual ||f - A u|| / ||f||. */
    public record Solution(double[] u, int iterations, double relativeResidual) {}

    private DarcyFlow2d() {}

    /** A thresholded random coefficient field, row-major s x s (index i * s + j for x_i = i h, y_j = j h). */
    public static double[] randomCoefficient(SplittableRandom rng, Params p) {
        int s = p.resolution();
        double[][] coef = new double[s][s];
        for (int k1 = 0; k1 < s; k1++)
            for (int k2 = 0; k2 < s; k2++) {
                double c = Math.pow(p.tau(), p.alpha() - 1) * Math.pow(Math.PI * Math.PI * (k1 * k1 + k2 * k2) + p.tau() * p.tau(), -p.alpha() / 2);
                coef[k1][k2] = (k1 == 0 && k2 == 0) ? 0 : c * gaussian(rng);
            }
        // field(x_i, y_j) = sum_k1 sum_k2 coef cos(pi k1 x_i) cos(pi k2 y_j), done as C coef C^T
        double[][] cos = new double[s][s];
        for (int i = 0; i < s; i++)
            for (int k = 0; k < s; k++) cos[i][k] = Math.cos(Math.PI * k * i / (s - 1.0));
        double[][] tmp = new double[s][s];
        for (int i = 0; i < s; i++)
            for (int k1 = 0; k1 < s; k1++) {
                double c = cos[i][k1];
                if (c == 0) continue;
                for (int k2 = 0; k2 < s; k2++) tmp[i][k2] += c * coef[k1][k2];
            }
        double[] a = new double[s * s];
        for (int i = 0; i < s; i++)
            for (int j = 0; j < s; j++) {
                double f = 0;
                for (int k2 = 0; k2 < s; k2++) f += tmp[i][k2] * cos[j][k2];
                a[i * s + j] = f >= 0 ? p.aHigh() : p.aLow();
            }
        return a;
    }

    private static double gaussian(SplittableRandom rng) {
        double u1 = rng.nextDouble(), u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** Solves for u given the nodal coefficient a (s x s row-major) and the constant forcing. */
    public static Solution solve(double[] a, Params p) {
        int s = p.resolution();
        if (a.length != s * s) throw new IllegalArgumentException("DarcyFlow2d: coefficient has " + a.length + " values, expected " + s * s);
        for (double v : a) if (!(v > 0)) throw new IllegalArgumentException("DarcyFlow2d: coefficient must be > 0 everywhere, found " + v);
        double h2 = 1.0 / ((s - 1.0) * (s - 1.0));
        double[] u = new double[s * s], r = new double[s * s], d = new double[s * s], q = new double[s * s];
        // r = f - A*0 on interior nodes
        double rr = 0;
        for (int i = 1; i < s - 1; i++)
            for (int j = 1; j < s - 1; j++) {
                r[i * s + j] = p.forcing();
                rr += p.forcing() * p.forcing();
            }
        double norm0 = Math.sqrt(rr);
        System.arraycopy(r, 0, d, 0, r.length);
        int it = 0, maxIt = 20 * s * s;
        while (Math.sqrt(rr) > p.tolerance() * norm0 && it < maxIt) {
            apply(a, d, s, h2, q);
            double dq = dot(d, q);
            double step = rr / dq;
            for (int k = 0; k < u.length; k++) {
                u[k] += step * d[k];
                r[k] -= step * q[k];
            }
            double rrNew = dot(r, r);
            double beta = rrNew / rr;
            for (int k = 0; k < d.length; k++) d[k] = r[k] + beta * d[k];
            rr = rrNew;
            it++;
        }
        if (Math.sqrt(rr) > p.tolerance() * norm0 * 10)
            throw new ArithmeticException("DarcyFlow2d: CG did not converge in " + maxIt + " iterations (relative residual " + Math.sqrt(rr) / norm0 + ")");
        return new Solution(u, it, norm0 == 0 ? 0 : Math.sqrt(rr) / norm0);
    }

    /** q = A v on interior nodes (v is 0 on the boundary; boundary entries of q are 0). */
    static void apply(double[] a, double[] v, int s, double h2, double[] q) {
        for (int i = 1; i < s - 1; i++)
            for (int j = 1; j < s - 1; j++) {
                int p = i * s + j;
                q[p] = (flux(a, v, p, p - s) + flux(a, v, p, p + s) + flux(a, v, p, p - 1) + flux(a, v, p, p + 1)) / h2;
            }
    }

    /** a_pq (v_p - v_q) with the harmonic-mean face coefficient. */
    private static double flux(double[] a, double[] v, int p, int q) {
        return 2 * a[p] * a[q] / (a[p] + a[q]) * (v[p] - v[q]);
    }

    private static double dot(double[] x, double[] y) {
        double s = 0;
        for (int i = 0; i < x.length; i++) s += x[i] * y[i];
        return s;
    }

    /** {@code samples} pairs a -> u, shapes {1, s, s}; sample i depends only on (seed, i). */
    public static ArrayDataset generate(int samples, long seed, Params p) {
        int n = p.resolution() * p.resolution();
        float[] in = new float[samples * n], out = new float[samples * n];
        for (int k = 0; k < samples; k++) {
            double[] a = randomCoefficient(InitialConditions.sampleRng(seed, k), p);
            InitialConditions.toFloat(a, in, k * n);
            InitialConditions.toFloat(solve(a, p).u(), out, k * n);
        }
        int s = p.resolution();
        return new ArrayDataset(in, new int[] {1, s, s}, new Targets.DenseTargets(out, new int[] {1, s, s}));
    }
}
