package dev.orcaj.orca.baselines;

/**
 * Limited-memory BFGS (Nocedal and Wright, Numerical Optimization, 2nd ed., algorithm 7.4: two-loop recursion) with a
 * backtracking Armijo line search, for the smooth convex objectives of the logistic baselines. A curvature pair is kept
 * only when s^T y > 0, which keeps the implied Hessian approximation positive definite without a Wolfe search.
 */
final class Lbfgs {
    /** f(x), writing the gradient into {@code g}. */
    interface Objective { double valueAndGradient(double[] x, double[] g); }

    /** Where the search stopped and why. */
    record Result(double[] x, double value, double gradMax, int iterations, boolean converged) {}

    private static final int MEMORY = 10;
    private static final double ARMIJO = 1e-4;

    private Lbfgs() {}

    /** Stops when max |g_i| <= gradTol (converged), the value stops falling, or after maxIter iterations. */
    static Result minimize(Objective f, double[] x0, int maxIter, double gradTol) {
        int n = x0.length;
        double[] x = x0.clone(), g = new double[n], xNew = new double[n], gNew = new double[n], dir = new double[n];
        double[][] s = new double[MEMORY][], y = new double[MEMORY][];
        double[] rho = new double[MEMORY], alpha = new double[MEMORY];
        int stored = 0, next = 0;
        double fx = f.valueAndGradient(x, g);
        for (int it = 0; it < maxIter; it++) {
            double gMax = maxAbs(g);
            if (gMax <= gradTol) return new Result(x, fx, gMax, it, true);
            // two-loop recursion: dir = -H g
            System.arraycopy(g, 0, dir, 0, n);
            for (int k = 0; k < stored; k++) {
                int i = Math.floorMod(next - 1 - k, MEMORY);
                alpha[i] = rho[i] * dot(s[i], dir);
                axpy(-alpha[i], y[i], dir);
            }
            double gamma = stored == 0 ? 1 / Math.max(norm(g), 1e-300) : dot(s[Math.floorMod(next - 1, MEMORY)], y[Math.floorMod(next - 1, MEMORY)])
                    / dot(y[Math.floorMod(next - 1, MEMORY)], y[Math.floorMod(next - 1, MEMORY)]);
            for (int j = 0; j < n; j++) dir[j] *= gamma;
            for (int k = stored - 1; k >= 0; k--) {
                int i = Math.floorMod(next - 1 - k, MEMORY);
                double beta = rho[i] * dot(y[i], dir);
                axpy(alpha[i] - beta, s[i], dir);
            }
            for (int j = 0; j < n; j++) dir[j] = -dir[j];
            double slope = dot(g, dir);
            if (!(slope < 0)) { // not a descent direction (numerical trouble): restart from steepest descent
                stored = 0;
                for (int j = 0; j < n; j++) dir[j] = -g[j] / Math.max(norm(g), 1e-300);
                slope = dot(g, dir);
            }
            double step = 1, fNew;
            while (true) {
                for (int j = 0; j < n; j++) xNew[j] = x[j] + step * dir[j];
                fNew = f.valueAndGradient(xNew, gNew);
                if (fNew <= fx + ARMIJO * step * slope) break;
                step *= 0.5;
                if (step < 1e-20) return new Result(x, fx, gMax, it, false); // no decrease possible at double precision
            }
            double[] sk = new double[n], yk = new double[n];
            for (int j = 0; j < n; j++) { sk[j] = xNew[j] - x[j]; yk[j] = gNew[j] - g[j]; }
            double sy = dot(sk, yk);
            if (sy > 1e-300) {
                s[next] = sk;
                y[next] = yk;
                rho[next] = 1 / sy;
                next = (next + 1) % MEMORY;
                stored = Math.min(stored + 1, MEMORY);
            }
            boolean stalled = fx - fNew <= 1e-15 * Math.max(1, Math.abs(fx));
            System.arraycopy(xNew, 0, x, 0, n);
            System.arraycopy(gNew, 0, g, 0, n);
            fx = fNew;
            if (stalled) return new Result(x, fx, maxAbs(g), it + 1, maxAbs(g) <= gradTol);
        }
        return new Result(x, fx, maxAbs(g), maxIter, maxAbs(g) <= gradTol);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    private static double norm(double[] a) { return Math.sqrt(dot(a, a)); }

    private static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) m = Math.max(m, Math.abs(v));
        return m;
    }

    private static void axpy(double a, double[] x, double[] y) { for (int i = 0; i < x.length; i++) y[i] += a * x[i]; }
}
