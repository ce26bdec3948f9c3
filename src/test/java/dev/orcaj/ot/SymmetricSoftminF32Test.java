package dev.orcaj.ot;

import dev.orcaj.backend.cpu.CpuPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fused float32 Sinkhorn step (exp sweep, kernel-space scaling steps, absorption, column fallback) against the
 * float64 two-pass log-sum-exp definition of both soft-mins, and 1 vs 2 threads bitwise.
 */
class SymmetricSoftminF32Test {
    // 100 rows: 7 column blocks of 16 rows (the last one partial); 77 columns: vector tails on AVX2 and AVX-512
    private static final int N = 100, M = 77, D = 9;

    @AfterEach
    void restoreThreads() {
        CpuPool.setThreads(Runtime.getRuntime().availableProcessors());
    }

    private static double[] rand(Random rnd, int len, double scale) {
        double[] a = new double[len];
        for (int i = 0; i < len; i++) a[i] = scale * rnd.nextGaussian();
        return a;
    }

    /** {@code -eps log sum_j exp(h_j - C_ij/eps)} in float64 over the float32 entries of C (row i). */
    private static double softminRef(CostMatrix c, boolean transposed, int i, double eps, double[] h) {
        int len = transposed ? c.rows() : c.cols();
        double mx = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < len; j++) mx = Math.max(mx, h[j] - (transposed ? c.get(j, i) : c.get(i, j)) / eps);
        double s = 0;
        for (int j = 0; j < len; j++) s += Math.exp(h[j] - (transposed ? c.get(j, i) : c.get(i, j)) / eps - mx);
        return -eps * (mx + Math.log(s));
    }

    private static void assertStep(CostMatrix c, double eps, double[] hCols, double[] hRows, double[] rowOut,
                                   double[] colOut, String what) {
        // float32 exponents: a few roundings of a number as large as |h| + C/eps, plus float32 sums
        double big = 0;
        for (double h : hCols) big = Math.max(big, Math.abs(h));
        for (double h : hRows) big = Math.max(big, Math.abs(h));
        double cMax = 0;
        for (int i = 0; i < c.rows(); i++) for (int j = 0; j < c.cols(); j++) cMax = Math.max(cMax, c.get(i, j));
        double expTol = 4 * eps * Math.ulp((float) (big + cMax / eps));
        for (int i = 0; i < c.rows(); i++) {
            double ref = softminRef(c, false, i, eps, hCols);
            assertEquals(ref, rowOut[i], 1e-6 * (Math.abs(ref) + eps) + expTol, what + ": row " + i);
        }
        for (int j = 0; j < c.cols(); j++) {
            double ref = softminRef(c, true, j, eps, hRows);
            assertEquals(ref, colOut[j], 1e-6 * (Math.abs(ref) + eps) + expTol, what + ": column " + j);
        }
    }

    private static CostMatrix costs(long seed) {
        Random rnd = new Random(seed);
        PointCloud x = PointCloud.of(rand(rnd, N * D, 1), N, D), y = PointCloud.of(rand(rnd, M * D, 1.3), M, D);
        return CostMatrix.build(x, null, y, null, GroundCost.geomloss(2), Precision.FLOAT32);
    }

    /**
     * A Sinkhorn-like sequence: first call (no hints), potentials moved a little at the same eps (scaling steps),
     * moved far at the same eps (absorption: exp sweep), a new eps (exp sweep); each step against the reference.
     */
    @Test
    void everyPathMatchesTheLogDomainSoftmins() {
        CostMatrix c = costs(3);
        SymmetricSoftminF32 step = (SymmetricSoftminF32) c.symmetricSoftmin(c.transpose());
        Random rnd = new Random(4);
        double[] rowOut = new double[N], colOut = new double[M];
        double[] hCols = rand(rnd, M, 1), hRows = rand(rnd, N, 1);
        step.apply(0.5, hCols, hRows, rowOut, colOut);
        assertStep(c, 0.5, hCols, hRows, rowOut, colOut, "first call");
        assertArrayEquals(new long[] {1, 0, 0}, step.counts());
        for (int k = 0; k < 3; k++) {
            for (int j = 0; j < M; j++) hCols[j] += 0.3 * rnd.nextGaussian();
            for (int i = 0; i < N; i++) hRows[i] += 2 * rnd.nextGaussian(); // the column side has no scaling bound
            step.apply(0.5, hCols, hRows, rowOut, colOut);
            assertStep(c, 0.5, hCols, hRows, rowOut, colOut, "scaling step " + k);
        }
        assertArrayEquals(new long[] {1, 3, 0}, step.counts(), "the same eps reuses the kernel");
        hCols[5] += 2 * SymmetricSoftminF32.MAX_LOG_SCALING;
        step.apply(0.5, hCols, hRows, rowOut, colOut);
        assertStep(c, 0.5, hCols, hRows, rowOut, colOut, "absorption");
        assertArrayEquals(new long[] {2, 3, 0}, step.counts(), "a scaling out of bounds makes an exp sweep");
        step.apply(0.2, hCols, hRows, rowOut, colOut);
        assertStep(c, 0.2, hCols, hRows, rowOut, colOut, "new eps");
        assertEquals(3, step.counts()[0], "a new eps makes an exp sweep");
    }

    /**
     * Row guesses far off (sums e^80 away from the last log-sum-exp: exact row fallback) and a column side carried
     * by one row whose kernel entries underflow at a small eps (column sums 0: exact column fallback).
     */
    @Test
    void outOfRangeRowsAndColumnsFallBackToTheExactKernels() {
        CostMatrix c = costs(5);
        SymmetricSoftminF32 step = (SymmetricSoftminF32) c.symmetricSoftmin(c.transpose());
        Random rnd = new Random(6);
        double[] rowOut = new double[N], colOut = new double[M];
        double[] hCols = rand(rnd, M, 1), hRows = rand(rnd, N, 1);
        step.apply(0.5, hCols, hRows, rowOut, colOut);
        for (int j = 0; j < M; j++) hCols[j] += 80;
        step.apply(0.3, hCols, hRows, rowOut, colOut);
        assertStep(c, 0.3, hCols, hRows, rowOut, colOut, "far row guesses");
        assertEquals(0, step.counts()[2]);
        double[] oneRow = new double[N];
        java.util.Arrays.fill(oneRow, -1e4);
        oneRow[0] = 0;
        step.apply(0.01, hCols, oneRow, rowOut, colOut);
        assertStep(c, 0.01, hCols, oneRow, rowOut, colOut, "one row carries all column mass");
        assertEquals(1, step.counts()[2], "column fallback taken");
    }

    /** Without a kept kernel (large matrices): exp sweeps with a per-block scratch, every step, same results. */
    @Test
    void withoutAKeptKernelEveryStepIsAnExpSweep() {
        CostMatrix c = costs(12);
        float[] entries = new float[N * M];
        for (int i = 0; i < N; i++) for (int j = 0; j < M; j++) entries[i * M + j] = (float) c.get(i, j);
        SymmetricSoftminF32 step = new SymmetricSoftminF32(entries, N, M, c.transpose(), false);
        Random rnd = new Random(13);
        double[] rowOut = new double[N], colOut = new double[M];
        double[] hCols = rand(rnd, M, 1), hRows = rand(rnd, N, 1);
        for (int it = 0; it < 3; it++) {
            step.apply(0.5, hCols, hRows, rowOut, colOut);
            assertStep(c, 0.5, hCols, hRows, rowOut, colOut, "step " + it);
            for (int j = 0; j < M; j++) hCols[j] += 0.1 * rnd.nextGaussian();
        }
        assertArrayEquals(new long[] {3, 0, 0}, step.counts());
        assertEquals(null, step.columnSoftmaxTimes(PointCloud.of(rand(rnd, N, 1), N, 1)));
    }

    /** The gradient's barycentres from the kept kernel against {@code sum_i softmax_i(hRows_i - C_ij/eps) v_i} in float64. */
    @Test
    void columnBarycentresMatchTheSoftmaxDefinition() {
        CostMatrix c = costs(8);
        SymmetricSoftminF32 step = (SymmetricSoftminF32) c.symmetricSoftmin(c.transpose());
        Random rnd = new Random(10);
        double[] rowOut = new double[N], colOut = new double[M];
        double[] hCols = rand(rnd, M, 1), hRows = rand(rnd, N, 1);
        PointCloud v = PointCloud.of(rand(rnd, N * 5, 1), N, 5);
        for (int it = 0; it < 2; it++) { // an exp sweep, then a scaling step
            step.apply(0.7, hCols, hRows, rowOut, colOut);
            double[] got = step.columnSoftmaxTimes(v);
            for (int j = 0; j < M; j++) {
                double mx = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < N; i++) mx = Math.max(mx, hRows[i] - c.get(i, j) / 0.7);
                double sum = 0;
                double[] ref = new double[5];
                for (int i = 0; i < N; i++) {
                    double w = Math.exp(hRows[i] - c.get(i, j) / 0.7 - mx);
                    sum += w;
                    for (int k = 0; k < 5; k++) ref[k] += w * v.get(i, k);
                }
                for (int k = 0; k < 5; k++) assertEquals(ref[k] / sum, got[j * 5 + k], 1e-5, "barycentre " + j + "," + k);
            }
            for (int j = 0; j < M; j++) hCols[j] += 0.1 * rnd.nextGaussian();
        }
        assertArrayEquals(new long[] {1, 1, 0}, step.counts());
        double[] oneRow = new double[N];
        java.util.Arrays.fill(oneRow, -1e4);
        oneRow[0] = 0;
        step.apply(0.01, hCols, oneRow, rowOut, colOut);
        assertEquals(1, step.counts()[2]);
        assertEquals(null, step.columnSoftmaxTimes(v), "no barycentres after a column fallback");
    }

    @Test
    void oneAndTwoThreadsAreBitwiseEqual() {
        int n = 333, m = 611; // 21 blocks, several pool chunks
        Random rnd = new Random(9);
        PointCloud x = PointCloud.of(rand(rnd, n * D, 1), n, D), y = PointCloud.of(rand(rnd, m * D, 1), m, D);
        CostMatrix c = CostMatrix.build(x, null, y, null, GroundCost.geomloss(2), Precision.FLOAT32);
        double[][] out = new double[2][];
        for (int t = 1; t <= 2; t++) {
            CpuPool.setThreads(t);
            long before = CpuPool.splitRuns();
            SymmetricSoftminF32 step = (SymmetricSoftminF32) c.symmetricSoftmin(c.transpose());
            double[] f = new double[n], g = new double[m], hc = new double[m], hr = new double[n];
            for (int it = 0; it < 6; it++) {
                step.apply(it < 3 ? 1.0 : 0.5, hc, hr, f, g);
                for (int j = 0; j < m; j++) hc[j] = -Math.log(m) + 0.5 * g[j] / (it < 2 ? 1.0 : 0.5);
                for (int i = 0; i < n; i++) hr[i] = -Math.log(n) + 0.5 * f[i] / (it < 2 ? 1.0 : 0.5);
            }
            assertTrue(step.counts()[1] > 0, "scaling steps exercised");
            if (t == 2) assertTrue(CpuPool.splitRuns() > before, "the 2-thread run really split");
            double[] bary = step.columnSoftmaxTimes(x); // SGEMM of 611 x 9 x 333
            out[t - 1] = new double[n + m + bary.length];
            System.arraycopy(f, 0, out[t - 1], 0, n);
            System.arraycopy(g, 0, out[t - 1], n, m);
            System.arraycopy(bary, 0, out[t - 1], n + m, bary.length);
        }
        assertArrayEquals(out[0], out[1], 0.0);
    }
}
