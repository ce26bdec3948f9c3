package dev.orcaj.ot;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Soft-min/soft-max row kernels and the float32 cost matrix against their scalar float64 definitions. */
class SoftminKernelsTest {
    private static final int L = SoftminKernels.L;

    @Test
    void softminAndSoftmaxRowsMatchFloat64() {
        Random rnd = new Random(5);
        for (int m : new int[] {1, 3, L, 2 * L + 3, 1000}) {
            float[] c = new float[m], h = new float[m], w = new float[m];
            for (int j = 0; j < m; j++) {
                c[j] = (float) (50 * rnd.nextDouble());
                h[j] = (float) (10 * rnd.nextGaussian());
            }
            double eps = 0.7;
            double mx = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < m; j++) mx = Math.max(mx, h[j] - c[j] / eps);
            double s = 0;
            for (int j = 0; j < m; j++) s += Math.exp(h[j] - c[j] / eps - mx);
            double ref = -eps * (mx + Math.log(s));
            assertEquals(ref, SoftminKernels.softminRow(c, 0, h, m, eps, new float[m]), 1e-5 * (1 + Math.abs(ref)), "m=" + m);
            SoftminKernels.softmaxRow(c, 0, h, m, eps, w, 0);
            double sum = 0;
            for (int j = 0; j < m; j++) {
                double wr = Math.exp(h[j] - c[j] / eps - mx) / s;
                assertEquals(wr, w[j], 1e-5 * wr + 1e-12, "weight " + j + " of " + m);
                sum += w[j];
            }
            assertEquals(1.0, sum, 1e-5);
        }
    }

    /** expRow, axpyRow and dotAxpyRow (the SymmetricSoftminF32 sweeps) against scalar float64 loops. */
    @Test
    void kernelSweepRowsMatchFloat64() {
        Random rnd = new Random(11);
        for (int m : new int[] {1, 3, L, 2 * L + 3, 1000}) {
            float[] c = new float[m + 5], h = new float[m], v = new float[m], k = new float[m + 2], acc = new float[m];
            double[] accRef = new double[m];
            for (int j = 0; j < m; j++) {
                c[j + 5] = (float) (50 * rnd.nextDouble());
                h[j] = (float) (10 * rnd.nextGaussian());
                v[j] = (float) Math.exp(rnd.nextGaussian());
                acc[j] = (float) rnd.nextDouble();
                accRef[j] = acc[j];
            }
            double eps = 0.7;
            float shift = 3.5f;
            double sum = SoftminKernels.expRow(c, 5, h, m, eps, shift, k, 2);
            double sumRef = 0, dotRef = 0, tMax = 0;
            for (int j = 0; j < m; j++) {
                double t = h[j] - c[j + 5] / eps - shift, e = Math.exp(t);
                tMax = Math.max(tMax, Math.abs(t));
                // float32 exponent: a few roundings of a number of size |t|, then a 2-ulp exp (0 below the normal range)
                assertEquals(e, k[j + 2], e * (1e-6 + 4 * Math.ulp((float) Math.abs(t))) + Float.MIN_NORMAL, "exp entry " + j + " of " + m);
                sumRef += e;
                dotRef += (double) k[j + 2] * v[j];
                accRef[j] += 0.37 * k[j + 2];
            }
            assertEquals(sumRef, sum, sumRef * (1e-6 + 4 * Math.ulp((float) tMax)), "exp row sum, m=" + m);
            assertEquals(dotRef, SoftminKernels.dotAxpyRow(k, 2, v, m, 0.37f, acc), 1e-6 * dotRef, "dot, m=" + m);
            for (int j = 0; j < m; j++) assertEquals(accRef[j], acc[j], 1e-6 * accRef[j], "dot's axpy " + j);
            SoftminKernels.axpyRow(k, 2, m, -0.37f, acc);
            for (int j = 0; j < m; j++) assertEquals(accRef[j] - 0.37 * k[j + 2], acc[j], 1e-6 * accRef[j], "axpy " + j);
        }
    }

    /** The first (interpreted) call and a JIT-compiled call give bitwise equal results (fixed lane-sum order). */
    @Test
    void softminIsIndependentOfJitWarmUp() {
        Random rnd = new Random(8);
        float[] c = rand(rnd, 4 * L + 3), h = rand(rnd, 4 * L + 3);
        double cold = SoftminKernels.softminRow(c, 0, h, c.length, 0.3, new float[c.length]);
        double warm = 0;
        for (int i = 0; i < 200_000; i++) warm = SoftminKernels.softminRow(c, 0, h, c.length, 0.3, new float[c.length]);
        assertEquals(cold, warm, 0.0);
    }

    @Test
    void float32CostMatrixMatchesFloat64() {
        Random rnd = new Random(7);
        int n = 37, m = 53, d = 70;
        PointCloud x = PointCloud.of(rand(rnd, n * d), n, d), y = PointCloud.of(rand(rnd, m * d), m, d);
        int[] lx = new int[n], ly = new int[m];
        for (int i = 0; i < n; i++) lx[i] = i % 3;
        for (int j = 0; j < m; j++) ly[j] = j % 2;
        GroundCost cost = new GroundCost(2, 0.5, new double[][] {{0, 1}, {2, 3}, {4, 5}}, 0.25);
        CostMatrix c32 = CostMatrix.build(x, lx, y, ly, cost, Precision.FLOAT32);
        CostMatrix c64 = CostMatrix.build(x, lx, y, ly, cost, Precision.FLOAT64);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double ref = 0;
                for (int k = 0; k < d; k++) ref += Math.pow(x.get(i, k) - y.get(j, k), 2);
                ref = 0.5 * ref + 0.25 * cost.labelTable()[lx[i]][ly[j]];
                assertEquals(ref, c64.get(i, j), 1e-12 * ref);
                assertEquals(ref, c32.get(i, j), 2e-5 * ref);
                assertEquals(c32.get(i, j), c32.transpose().get(j, i), 0.0);
            }
        }
    }

    /** Soft-max barycentres (softmax rows x points through the backend's SGEMM) against the float64 loops; widths
     *  that are not a multiple of the vector length, and 20k columns so that a thread's rows span several blocks. */
    @Test
    void float32SoftmaxTimesMatchesFloat64() {
        Random rnd = new Random(11);
        for (int[] shape : new int[][] {{1, 7, 3}, {47, 130, 19}, {101, 257, 2 * L + 1}, {120, 20_011, 3}}) {
            int n = shape[0], m = shape[1], d = shape[2];
            PointCloud x = PointCloud.of(rand(rnd, n * d), n, d), y = PointCloud.of(rand(rnd, m * d), m, d);
            CostMatrix c32 = CostMatrix.build(x, null, y, null, GroundCost.plain(2), Precision.FLOAT32);
            CostMatrix c64 = CostMatrix.build(x, null, y, null, GroundCost.plain(2), Precision.FLOAT64);
            double[] h = new double[m];
            for (int j = 0; j < m; j++) h[j] = rnd.nextGaussian();
            double[] got = c32.softmaxTimes(0.8 * d, h, y), ref = c64.softmaxTimes(0.8 * d, h, y);
            for (int t = 0; t < ref.length; t++) assertEquals(ref[t], got[t], 2e-5 * (1 + Math.abs(ref[t])), "shape " + n + "x" + m + "x" + d + " at " + t);
        }
    }

    static float[] rand(Random rnd, int len) {
        float[] a = new float[len];
        for (int i = 0; i < len; i++) a[i] = (float) rnd.nextGaussian();
        return a;
    }
}
