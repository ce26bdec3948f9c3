package dev.orcaj.ot;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SIMD kernels against their scalar float64 definitions. */
class VectorKernelsTest {
    private static final int L = VectorKernels.L;

    @Test
    void vectorExpIsWithinTwoUlpsOfMathExp() {
        float[] in = new float[L], out = new float[L];
        double worst = 0;
        for (int s = 0; s <= 200_000; s++) {
            float x = -87f + 175f * s / 200_000f;
            in[s % L] = x;
            if (s % L == L - 1 || s == 200_000) {
                VectorKernels.exp(FloatVector.fromArray(VectorKernels.S, in, 0)).intoArray(out, 0);
                for (int k = 0; k < L; k++) {
                    double ref = Math.exp(in[k]);
                    worst = Math.max(worst, Math.abs(out[k] - ref) / ref);
                }
            }
        }
        assertTrue(worst < 2.5e-7, "max relative error " + worst);
        VectorKernels.exp(FloatVector.broadcast(VectorKernels.S, -1000f)).intoArray(out, 0);
        assertTrue(out[0] >= 0 && out[0] < 1e-37, "underflow clamps to ~0: " + out[0]);
    }

    @Test
    void gemmMatchesTripleLoop() {
        Random rnd = new Random(3);
        for (int[] shape : new int[][] {{1, 1, 1}, {5, 7, 3}, {9, 130, 4 * L + 5}, {33, 300, 2 * L}, {4, 257, 4 * L}}) {
            int m = shape[0], k = shape[1], n = shape[2];
            float[] a = rand(rnd, m * k), b = rand(rnd, k * n), c = rand(rnd, m * n);
            double[] ref = new double[m * n];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = c[i * n + j];
                    for (int p = 0; p < k; p++) s += (double) a[i * k + p] * b[p * n + j];
                    ref[i * n + j] = s;
                }
            }
            VectorKernels.gemmAccumulate(a, 0, k, b, 0, n, c, 0, n, m, k, n);
            for (int t = 0; t < ref.length; t++) assertEquals(ref[t], c[t], 1e-5 * Math.sqrt(k) * 4, "shape " + m + "x" + k + "x" + n + " at " + t);
        }
    }

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
            assertEquals(ref, VectorKernels.softminRow(c, 0, h, m, eps, new float[m]), 1e-5 * (1 + Math.abs(ref)), "m=" + m);
            VectorKernels.softmaxRow(c, 0, h, m, eps, w, 0);
            double sum = 0;
            for (int j = 0; j < m; j++) {
                double wr = Math.exp(h[j] - c[j] / eps - mx) / s;
                assertEquals(wr, w[j], 1e-5 * wr + 1e-12, "weight " + j + " of " + m);
                sum += w[j];
            }
            assertEquals(1.0, sum, 1e-5);
        }
    }

    /** The first (interpreted) call and a JIT-compiled call give bitwise equal results (fixed lane-sum order). */
    @Test
    void softminIsIndependentOfJitWarmUp() {
        Random rnd = new Random(8);
        float[] c = rand(rnd, 4 * L + 3), h = rand(rnd, 4 * L + 3);
        double cold = VectorKernels.softminRow(c, 0, h, c.length, 0.3, new float[c.length]);
        double warm = 0;
        for (int i = 0; i < 200_000; i++) warm = VectorKernels.softminRow(c, 0, h, c.length, 0.3, new float[c.length]);
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

    static float[] rand(Random rnd, int len) {
        float[] a = new float[len];
        for (int i = 0; i < len; i++) a[i] = (float) rnd.nextGaussian();
        return a;
    }
}
