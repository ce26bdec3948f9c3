package dev.orcaj.data.pde;

/**
 * Solves the periodic constant-coefficient tridiagonal system a x_{i-1} + b x_i + c x_{i+1} = d_i (indices mod n)
 * by the Sherman-Morrison correction of the Thomas algorithm (Numerical Recipes 3rd ed., section 2.7.2).
 * Needs a diagonally dominant system (|b| > |a| + |c|), which Crank-Nicolson gives.
 */
final class CyclicTridiagonal {

    private CyclicTridiagonal() {}

    static double[] solve(double a, double b, double c, double[] d) {
        int n = d.length;
        if (n < 3) throw new IllegalArgumentException("CyclicTridiagonal: need n >= 3, got " + n);
        if (!(Math.abs(b) > Math.abs(a) + Math.abs(c))) throw new IllegalArgumentException("CyclicTridiagonal: not diagonally dominant");
        double gamma = -b;
        // A = T + u v^T with u = (gamma, 0.., c)^T, v = (1, 0.., a / gamma)^T; T's corners adjusted accordingly
        double[] diag = new double[n];
        java.util.Arrays.fill(diag, b);
        diag[0] = b - gamma;
        diag[n - 1] = b - a * c / gamma;
        double[] x = thomas(a, diag, c, d);
        double[] u = new double[n];
        u[0] = gamma;
        u[n - 1] = c;
        double[] z = thomas(a, diag, c, u);
        double factor = (x[0] + a * x[n - 1] / gamma) / (1 + z[0] + a * z[n - 1] / gamma);
        for (int i = 0; i < n; i++) x[i] -= factor * z[i];
        return x;
    }

    private static double[] thomas(double a, double[] diag, double c, double[] d) {
        int n = d.length;
        double[] cp = new double[n], dp = new double[n], x = new double[n];
        cp[0] = c / diag[0];
        dp[0] = d[0] / diag[0];
        for (int i = 1; i < n; i++) {
            double m = diag[i] - a * cp[i - 1];
            cp[i] = c / m;
            dp[i] = (d[i] - a * dp[i - 1]) / m;
        }
        x[n - 1] = dp[n - 1];
        for (int i = n - 2; i >= 0; i--) x[i] = dp[i] - cp[i] * x[i + 1];
        return x;
    }
}
