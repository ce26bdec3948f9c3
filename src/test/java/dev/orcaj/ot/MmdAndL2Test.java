package dev.orcaj.ot;

import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MmdAndL2Test {
    /** The reference's formulation: one kernel matrix over the concatenated sample, then the four blocks. */
    private static double referenceMmd(double[] x, double[] y, int n, int d) {
        int big = 2 * n;
        double[] z = new double[big * d];
        System.arraycopy(x, 0, z, 0, n * d);
        System.arraycopy(y, 0, z, n * d, n * d);
        double[][] dist = new double[big][big];
        double sum = 0;
        for (int i = 0; i < big; i++) {
            for (int j = 0; j < big; j++) {
                for (int k = 0; k < d; k++) dist[i][j] += Math.pow(z[i * d + k] - z[j * d + k], 2);
                sum += dist[i][j];
            }
        }
        double bandwidth = sum / (big * big - big) / 4; // kernel_mul^(kernel_num // 2) = 2^2
        double loss = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double xx = 0, yy = 0, xy = 0, yx = 0;
                for (int s = 0; s < 5; s++) {
                    double bw = bandwidth * Math.pow(2, s);
                    xx += Math.exp(-dist[i][j] / bw);
                    yy += Math.exp(-dist[n + i][n + j] / bw);
                    xy += Math.exp(-dist[i][n + j] / bw);
                    yx += Math.exp(-dist[n + i][j] / bw);
                }
                loss += xx + yy - xy - yx;
            }
        }
        return loss / (n * n);
    }

    @Test
    void mmdMatchesReferenceFormulation() {
        Random rnd = new Random(2);
        int n = 12, d = 4;
        double[] x = SinkhornSolverTest.gaussian(rnd, n * d), y = SinkhornSolverTest.gaussian(rnd, n * d);
        for (int i = 0; i < y.length; i++) y[i] += 0.7;
        double expected = referenceMmd(x, y, n, d);
        assertEquals(expected, Mmd.compute(PointCloud.of(x, n, d), PointCloud.of(y, n, d), false).value(), 1e-12 * Math.abs(expected));
        assertEquals(0.0, Mmd.compute(PointCloud.of(x, n, d), PointCloud.of(x, n, d), false).value(), 1e-12);
    }

    @Test
    void mmdGradientMatchesFiniteDifferencesWithDetachedBandwidth() {
        Random rnd = new Random(4);
        int n = 6, m = 5, d = 3;
        PointCloud x = PointCloud.of(SinkhornSolverTest.gaussian(rnd, n * d), n, d);
        double[] y = SinkhornSolverTest.gaussian(rnd, m * d);
        Mmd.Result full = Mmd.compute(x, PointCloud.of(y, m, d), true);
        double beta = full.beta();
        checkGradient(y, full.gradTarget(), yy -> Mmd.compute(x, PointCloud.of(yy, m, d), beta, false).value());
    }

    @Test
    void pairedL2ValueByHandAndGradient() {
        // source rows (shuffled order 2,0,1,3) against 2 target rows: batches {s2,s0} and {s1,s3}
        double[] s = {0, 0, 3, 4, 1, 1, 6, 8};
        double[] t = {0, 0, 1, 0};
        PointCloud src = PointCloud.of(s, 4, 2);
        int[] order = {2, 0, 1, 3};
        // batch 1: |t0-s2| = sqrt2, |t1-s0| = 1; batch 2: |t0-s1| = 5, |t1-s3| = sqrt(25+64)
        double expected = ((Math.sqrt(2) + 1) / 2 + (5 + Math.sqrt(89)) / 2) / 2;
        PairedL2Loss.Result r = PairedL2Loss.compute(src, PointCloud.of(t, 2, 2), order, true);
        assertEquals(expected, r.value(), 1e-15);
        assertEquals(2, r.batches());
        checkGradient(new double[] {0.3, -0.2, 1.1, 0.4}, PairedL2Loss.compute(src, PointCloud.of(new double[] {0.3, -0.2, 1.1, 0.4}, 2, 2), order, true).gradTarget(),
                tt -> PairedL2Loss.compute(src, PointCloud.of(tt, 2, 2), order, false).value());
        // a source smaller than the target: one short batch against the first target rows
        assertEquals(Math.sqrt(2), PairedL2Loss.compute(PointCloud.of(new double[] {1, 1}, 1, 2), PointCloud.of(t, 2, 2), new int[] {0}, false).value(), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> PairedL2Loss.compute(src, PointCloud.of(new double[3], 1, 3), order, false));
    }

    @Test
    void shuffledOrderIsASeededPermutation() {
        int[] a = PairedL2Loss.shuffledOrder(50, 9), b = PairedL2Loss.shuffledOrder(50, 9);
        assertEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(b));
        assertEquals(49 * 50 / 2, java.util.Arrays.stream(a).distinct().sum());
    }

    static void checkGradient(double[] y, double[] grad, Function<double[], Double> f) {
        double h = 1e-6;
        for (int t = 0; t < y.length; t++) {
            double[] p = y.clone(), q = y.clone();
            p[t] += h;
            q[t] -= h;
            double fd = (f.apply(p) - f.apply(q)) / (2 * h);
            assertEquals(fd, grad[t], 1e-7 + 1e-5 * Math.abs(fd), "coordinate " + t);
        }
    }
}
