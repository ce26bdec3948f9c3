package dev.orcaj.data.pde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orcaj.data.ArrayDataset;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DarcyFlow2dTest {

    /** -Laplace u = 1 on the unit square: u = sum over odd m, n of 16 sin(m pi x) sin(n pi y) / (pi^4 m n (m^2 + n^2)). */
    @Test
    void constantCoefficientMatchesTheSeriesSolutionAndIsSymmetric() {
        int s = 65;
        var p = new DarcyFlow2d.Params(s, 1, 1, 3, 2, 1, 1e-12);
        double[] a = new double[s * s];
        Arrays.fill(a, 1.0);
        double[] u = DarcyFlow2d.solve(a, p).u();
        double h = 1.0 / (s - 1), maxErr = 0;
        for (int i = 0; i < s; i += 4)
            for (int j = 0; j < s; j += 4) maxErr = Math.max(maxErr, Math.abs(u[i * s + j] - series(i * h, j * h)));
        assertEquals(0.0736713, u[32 * s + 32], 2e-5); // centre value of the torsion problem
        assertTrue(maxErr < 2e-5, "max |u - series| = " + maxErr);
        for (int i = 0; i < s; i++)
            for (int j = 0; j < s; j++) {
                assertEquals(u[i * s + j], u[j * s + i], 1e-10);
                assertEquals(u[i * s + j], u[(s - 1 - i) * s + j], 1e-10);
            }
    }

    @Test
    void randomCoefficientSolutionHasSmallDiscreteResidual() {
        int s = 33;
        var p = DarcyFlow2d.Params.fno(s);
        double[] a = DarcyFlow2d.randomCoefficient(InitialConditions.sampleRng(9, 0), p);
        var sol = DarcyFlow2d.solve(a, p);
        // independent residual: f - A u with the harmonic-mean 5-point stencil, on interior nodes
        double h2 = 1.0 / ((s - 1) * (s - 1)), rr = 0, ff = 0;
        for (int i = 1; i < s - 1; i++)
            for (int j = 1; j < s - 1; j++) {
                double au = 0;
                for (int[] d : new int[][] {{-1, 0}, {1, 0}, {0, -1}, {0, 1}}) {
                    double ap = a[i * s + j], aq = a[(i + d[0]) * s + j + d[1]];
                    au += 2 * ap * aq / (ap + aq) * (sol.u()[i * s + j] - sol.u()[(i + d[0]) * s + j + d[1]]) / h2;
                }
                rr += (1 - au) * (1 - au);
                ff += 1;
            }
        assertTrue(Math.sqrt(rr / ff) < 1e-9, "relative residual " + Math.sqrt(rr / ff));
        assertTrue(sol.relativeResidual() < 1e-9);
        for (int k = 0; k < s; k++) {
            assertEquals(0, sol.u()[k]);
            assertEquals(0, sol.u()[k * s]);
        }
    }

    @Test
    void conjugateGradientMatchesGaussianElimination() {
        int s = 9, m = s - 2;
        var p = DarcyFlow2d.Params.fno(s);
        double[] a = DarcyFlow2d.randomCoefficient(InitialConditions.sampleRng(2, 1), p);
        double[] u = DarcyFlow2d.solve(a, p).u();
        double h2 = 1.0 / ((s - 1) * (s - 1));
        double[][] mat = new double[m * m][m * m + 1];
        for (int i = 1; i < s - 1; i++)
            for (int j = 1; j < s - 1; j++) {
                int row = (i - 1) * m + (j - 1);
                mat[row][m * m] = 1;
                for (int[] d : new int[][] {{-1, 0}, {1, 0}, {0, -1}, {0, 1}}) {
                    int qi = i + d[0], qj = j + d[1];
                    double w = 2 * a[i * s + j] * a[qi * s + qj] / (a[i * s + j] + a[qi * s + qj]) / h2;
                    mat[row][row] += w;
                    if (qi > 0 && qi < s - 1 && qj > 0 && qj < s - 1) mat[row][(qi - 1) * m + (qj - 1)] -= w;
                }
            }
        double[] ref = gauss(mat);
        for (int i = 1; i < s - 1; i++)
            for (int j = 1; j < s - 1; j++) assertEquals(ref[(i - 1) * m + (j - 1)], u[i * s + j], 1e-9);
    }

    @Test
    void coefficientIsTwoValuedAndSeeded() {
        var p = DarcyFlow2d.Params.fno(32);
        ArrayDataset ds = DarcyFlow2d.generate(2, 5, p);
        assertArrayEquals(new int[] {1, 32, 32}, ds.sampleShape());
        int high = 0, low = 0;
        for (float v : ds.features()) {
            if (v == 12f) high++; else if (v == 3f) low++;
        }
        assertEquals(ds.features().length, high + low);
        assertTrue(high > 100 && low > 100, "both phases present: " + high + " / " + low);
        assertArrayEquals(ds.features(), DarcyFlow2d.generate(2, 5, p).features());
    }

    private static double series(double x, double y) {
        double u = 0;
        for (int m = 1; m < 200; m += 2)
            for (int n = 1; n < 200; n += 2)
                u += 16 * Math.sin(m * Math.PI * x) * Math.sin(n * Math.PI * y) / (Math.pow(Math.PI, 4) * m * n * (m * m + n * n));
        return u;
    }

    /** Gaussian elimination with partial pivoting on an augmented matrix. */
    private static double[] gauss(double[][] a) {
        int n = a.length;
        for (int c = 0; c < n; c++) {
            int piv = c;
            for (int r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[piv][c])) piv = r;
            double[] t = a[c]; a[c] = a[piv]; a[piv] = t;
            for (int r = c + 1; r < n; r++) {
                double f = a[r][c] / a[c][c];
                for (int k = c; k <= n; k++) a[r][k] -= f * a[c][k];
            }
        }
        double[] x = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double s = a[r][n];
            for (int k = r + 1; k < n; k++) s -= a[r][k] * x[k];
            x[r] = s / a[r][r];
        }
        return x;
    }
}
