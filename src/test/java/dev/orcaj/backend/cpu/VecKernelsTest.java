package dev.orcaj.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orcaj.backend.ref.RefKernels;
import java.util.Random;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * VecKernels against the double-precision RefKernels. Tolerances are first-order rounding-error bounds in units
 * of u = 2^-24, written next to each check: a float op costs u relative; a k-term float sum costs k u times the
 * sum of magnitudes (Higham eq. 3.5) and ours sum at most cols / VL + VL terms per lane; VecMath.exp is within
 * 2 ulp (VecMathTest). Shapes cover cols below, at and above the vector
 * width, non-multiples, and row counts large enough to take the parallel path.
 */
class VecKernelsTest {
    private static final double U = 0x1p-24;
    private static final int[][] SHAPES = {{1, 1}, {3, 7}, {5, 16}, {4, 33}, {70, 64}, {9, 389}, {1000, 97}};

    @AfterEach
    void restoreThreads() {
        CpuPool.setThreads(Runtime.getRuntime().availableProcessors());
    }

    private static float[] random(Random rnd, int n, float scale) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (rnd.nextFloat() * 2f - 1f) * scale;
        return x;
    }

    /** Fails with the first element whose error exceeds tol(i). */
    private static void assertClose(String what, float[] got, float[] want, int n, IntToDoubleFunction tol) {
        for (int i = 0; i < n; i++) {
            double err = Math.abs((double) got[i] - want[i]);
            double t = tol.applyAsDouble(i);
            if (!(err <= t) && !(got[i] == want[i])) {
                throw new AssertionError(what + ": element " + i + " = " + got[i] + ", expected " + want[i]
                        + " (err " + err + " > tol " + t + ")");
            }
        }
    }

    private static double lanesTerms(int cols) {
        return cols / 16.0 + 16; // per-lane terms of a vector sum plus the lane reduction, any VL <= 16
    }

    @ParameterizedTest(name = "threads={0}")
    @ValueSource(ints = {1, 2})
    void softmaxAndLogSoftmaxMatchReferenceWithOffsetsAndInPlace(int threads) {
        CpuPool.setThreads(threads);
        Random rnd = new Random(1);
        for (int[] s : SHAPES) {
            int rows = s[0], cols = s[1], n = rows * cols;
            float[] x = new float[n + 3];
            float[] body = random(rnd, n, 30f);
            System.arraycopy(body, 0, x, 3, n);
            x[3] = 1000f; // stability: a huge logit must not overflow
            if (n > 2) x[4] = Float.NEGATIVE_INFINITY; // masked position
            float[] want = new float[n + 5], got = new float[n + 5];
            RefKernels.softmaxRows(x, 3, want, 5, rows, cols);
            VecKernels.softmaxRows(x, 3, got, 5, rows, cols);
            // y = exp(d)/s with d = x - max: |d| u from rounding d, 2u exp, lanesTerms u the sum, u the divide
            assertClose("softmax " + rows + "x" + cols, got, want, n + 5, i -> {
                if (i < 5) return 0; // before the output offset: must stay untouched
                int e = i - 5;
                double d = Math.abs(x[3 + e] - rowMaxRef(x, 3 + e / cols * cols, cols));
                return (Math.min(d, 200) + lanesTerms(cols) + 4) * U * Math.abs(want[i]) + 1e-38;
            });
            float[] wantLog = new float[n + 5], gotLog = new float[n + 5];
            RefKernels.logSoftmaxRows(x, 3, wantLog, 5, rows, cols);
            VecKernels.logSoftmaxRows(x, 3, gotLog, 5, rows, cols);
            // y = d - log s: u|d| + u|y| + relative error of s (lanesTerms u + 2u exp) carried through log
            assertClose("logSoftmax " + rows + "x" + cols, gotLog, wantLog, n + 5,
                    i -> 2 * (Math.abs(wantLog[i]) + lanesTerms(cols) + 4) * U);
            // in place, same offsets
            float[] inPlace = x.clone();
            VecKernels.softmaxRows(inPlace, 3, inPlace, 3, rows, cols);
            for (int i = 0; i < n; i++) assertEquals(got[5 + i], inPlace[3 + i], "in-place softmax element " + i);
        }
    }

    private static double rowMaxRef(float[] x, int off, int cols) {
        double m = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < cols; j++) m = Math.max(m, x[off + j]);
        return m;
    }

    @ParameterizedTest(name = "threads={0}")
    @ValueSource(ints = {1, 2})
    void softmaxBackwardsMatchReference(int threads) {
        CpuPool.setThreads(threads);
        Random rnd = new Random(2);
        for (int[] s : SHAPES) {
            int rows = s[0], cols = s[1], n = rows * cols;
            float[] y = new float[n], logY = new float[n];
            RefKernels.softmaxRows(random(rnd, n, 5f), 0, y, 0, rows, cols);
            RefKernels.logSoftmaxRows(random(rnd, n, 5f), 0, logY, 0, rows, cols);
            float[] dy = random(rnd, n, 2f);
            float[] want = new float[n], got = new float[n];
            RefKernels.softmaxBackwardRows(y, dy, want, rows, cols);
            VecKernels.softmaxBackwardRows(y, dy, got, rows, cols);
            // dx = y (dy - dot): dot carries lanesTerms u sum|dy y|; then two roundings
            assertClose("softmaxBackward " + rows + "x" + cols, got, want, n, i -> {
                int o = i / cols * cols;
                double mag = 0, dot = 0;
                for (int j = 0; j < cols; j++) {
                    mag += Math.abs(dy[o + j] * y[o + j]);
                    dot += dy[o + j] * y[o + j];
                }
                return Math.abs(y[i]) * (lanesTerms(cols) * U * mag + 2 * U * (Math.abs(dy[i]) + Math.abs(dot)))
                        + 2 * U * Math.abs(want[i]);
            });
            RefKernels.logSoftmaxBackwardRows(logY, dy, want, rows, cols);
            VecKernels.logSoftmaxBackwardRows(logY, dy, got, rows, cols);
            // dx = dy - exp(y) S: S carries lanesTerms u sum|dy|; exp 2u; fma one rounding
            assertClose("logSoftmaxBackward " + rows + "x" + cols, got, want, n, i -> {
                int o = i / cols * cols;
                double mag = 0, sum = 0;
                for (int j = 0; j < cols; j++) {
                    mag += Math.abs(dy[o + j]);
                    sum += dy[o + j];
                }
                double p = Math.exp(logY[i]);
                return p * (lanesTerms(cols) * U * mag + 3 * U * Math.abs(sum)) + 2 * U * Math.abs(want[i]);
            });
        }
    }

    @ParameterizedTest(name = "threads={0}")
    @ValueSource(ints = {1, 2})
    void layerNormForwardAndBackwardMatchReference(int threads) {
        CpuPool.setThreads(threads);
        Random rnd = new Random(3);
        for (int[] s : SHAPES) {
            for (boolean affine : new boolean[] {true, false}) {
                int rows = s[0], cols = s[1], n = rows * cols;
                float[] x = random(rnd, n, 3f);
                for (int i = 0; i < n; i++) x[i] += 10f; // an offset mean tests the two-pass variance
                float[] gamma = affine ? random(rnd, cols, 2f) : null, beta = affine ? random(rnd, cols, 1f) : null;
                float[] want = new float[n], got = new float[n];
                float[] meanW = new float[rows], rstdW = new float[rows], meanG = new float[rows], rstdG = new float[rows];
                RefKernels.layerNormRows(x, gamma, beta, 1e-5f, want, meanW, rstdW, rows, cols);
                VecKernels.layerNormRows(x, gamma, beta, 1e-5f, got, meanG, rstdG, rows, cols);
                String what = "layerNorm " + rows + "x" + cols + " affine=" + affine;
                // mean: lanesTerms u relative to mean|x|; xhat = (x - mean) rstd with |x| ~ 13, |xhat| <~ 2
                double xScale = 13;
                assertClose(what + " mean", meanG, meanW, rows, i -> lanesTerms(cols) * U * xScale);
                assertClose(what + " rstd", rstdG, rstdW, rows,
                        i -> (2 * lanesTerms(cols) + 2 * xScale * rstdW[i] + 4) * U * rstdW[i]);
                assertClose(what + " y", got, want, n, i -> {
                    double g = gamma == null ? 1 : Math.abs(gamma[i % cols]);
                    double xhatErr = (2 * lanesTerms(cols) + 4 * xScale * rstdW[i / cols] + 6) * U;
                    return g * xhatErr * 3 + 2 * U * Math.abs(want[i]) + 1e-7;
                });

                float[] dy = random(rnd, n, 1f);
                float[] dxW = new float[n], dxG = new float[n];
                float[] dgW = random(rnd, cols, 1f), dbW = random(rnd, cols, 1f);
                float[] dgG = dgW.clone(), dbG = dbW.clone();
                RefKernels.layerNormBackwardRows(dy, x, gamma, meanW, rstdW, dxW, dgW, dbW, rows, cols);
                VecKernels.layerNormBackwardRows(dy, x, gamma, meanW, rstdW, dxG, dgG, dbG, rows, cols);
                // dx = rstd (g - mean g - xhat mean(g xhat)); each term carries the xhat error and sum errors
                assertClose(what + " dx", dxG, dxW, n, i -> {
                    double g = gamma == null ? 1 : 2;
                    double xhatErr = (4 * xScale * rstdW[i / cols] + 6) * U;
                    return rstdW[i / cols] * g * (lanesTerms(cols) * U * 4 + xhatErr * 4) + 2 * U * Math.abs(dxW[i]);
                });
                // parameter grads: float sums over rows in order (rows u sum of magnitudes, |dy xhat| <~ 2)
                assertClose(what + " dGamma", dgG, dgW, cols, i -> (rows + 8) * U * 2 * (rows + 1));
                assertClose(what + " dBeta", dbG, dbW, cols, i -> (rows + 2) * U * (rows + 1));
            }
        }
    }

    @Test
    void layerNormBackwardIsBitwiseEqualForOneAndTwoThreadsAndToleratesNullGrads() {
        Random rnd = new Random(4);
        int rows = 1024, cols = 384, n = rows * cols;
        float[] x = random(rnd, n, 2f), dy = random(rnd, n, 1f), gamma = random(rnd, cols, 1f);
        float[] mean = new float[rows], rstd = new float[rows];
        VecKernels.layerNormRows(x, gamma, null, 1e-5f, new float[n], mean, rstd, rows, cols);
        float[][] out = new float[2][];
        float[][] dg = new float[2][];
        for (int t = 1; t <= 2; t++) {
            CpuPool.setThreads(t);
            out[t - 1] = new float[n];
            dg[t - 1] = new float[cols];
            VecKernels.layerNormBackwardRows(dy, x, gamma, mean, rstd, out[t - 1], dg[t - 1], null, rows, cols);
        }
        assertArrayEquals(out[0], out[1], "dx");
        assertArrayEquals(dg[0], dg[1], "dGamma");
        float[] dxOnly = new float[n];
        VecKernels.layerNormBackwardRows(dy, x, gamma, mean, rstd, dxOnly, null, null, rows, cols);
        assertArrayEquals(out[1], dxOnly, "dx without parameter grads");
    }

    @ParameterizedTest(name = "threads={0}")
    @ValueSource(ints = {1, 2})
    void geluAndBackwardMatchDoubleErf(int threads) {
        CpuPool.setThreads(threads);
        int n = 200_003; // dense grid over [-10, 10] plus a non-multiple tail; also crosses the parallel grain
        float[] x = new float[n], dy = new float[n];
        Random rnd = new Random(5);
        for (int i = 0; i < n; i++) {
            x[i] = -10f + 20f * i / (n - 1);
            dy[i] = rnd.nextFloat() * 2f - 1f;
        }
        float[] want = new float[n], got = new float[n];
        RefKernels.gelu(x, want, n);
        VecKernels.gelu(x, got, n);
        // Phi error <= 1.5e-7 / 2 (A&S 7.1.26) + float evaluation (~4 u): gelu error <= |x| 1.0e-7 + 2u|y|
        assertClose("gelu", got, want, n, i -> Math.abs(x[i]) * 1.0e-7 + 2 * U * Math.abs(want[i]));
        RefKernels.geluBackward(x, dy, want, n);
        VecKernels.geluBackward(x, dy, got, n);
        // grad = Phi + x phi(x): Phi error as above, x phi(x) <= 0.25 with 4u from exp and products
        assertClose("geluBackward", got, want, n,
                i -> Math.abs(dy[i]) * (1.0e-7 + 4 * U * 0.25 + 2 * U * Math.abs(want[i] / (dy[i] == 0 ? 1 : dy[i]))));
        float[] inPlace = x.clone();
        VecKernels.gelu(inPlace, inPlace, n);
        VecKernels.gelu(x, want, n);
        assertArrayEquals(want, inPlace, "in-place gelu");
    }

    @ParameterizedTest(name = "threads={0}")
    @ValueSource(ints = {1, 2})
    void elementwiseOpsMatchReference(int threads) {
        CpuPool.setThreads(threads);
        Random rnd = new Random(6);
        for (int n : new int[] {1, 15, 17, 100_001}) {
            float[] a = random(rnd, n, 4f), b = random(rnd, n, 4f);
            float[] want = new float[n], got = new float[n];
            // one IEEE operation per element: results must be bitwise equal
            RefKernels.add(a, b, want, n); VecKernels.add(a, b, got, n); assertArrayEquals(want, got, "add n=" + n);
            RefKernels.sub(a, b, want, n); VecKernels.sub(a, b, got, n); assertArrayEquals(want, got, "sub n=" + n);
            RefKernels.mul(a, b, want, n); VecKernels.mul(a, b, got, n); assertArrayEquals(want, got, "mul n=" + n);
            RefKernels.div(a, b, want, n); VecKernels.div(a, b, got, n); assertArrayEquals(want, got, "div n=" + n);
            RefKernels.scale(a, -0.3f, want, n); VecKernels.scale(a, -0.3f, got, n);
            assertArrayEquals(want, got, "scale n=" + n);
            RefKernels.exp(a, want, n);
            VecKernels.exp(a, got, n);
            assertClose("exp n=" + n, got, want, n, i -> 2 * U * want[i]);
            float[] yW = b.clone(), yG = b.clone();
            RefKernels.axpy(1.7f, a, yW, n);
            VecKernels.axpy(1.7f, a, yG, n);
            // fma rounds once; the reference rounds the exact double sum to float: at most one ulp apart
            assertClose("axpy n=" + n, yG, yW, n, i -> Math.ulp(yW[i]));
            int cols = Math.max(1, (int) Math.sqrt(n)), rows = n / cols;
            float[] row = random(rnd, cols, 1f);
            RefKernels.addRowBroadcast(a, row, want, rows, cols);
            VecKernels.addRowBroadcast(a, row, got, rows, cols);
            assertArrayEquals(java.util.Arrays.copyOf(want, rows * cols), java.util.Arrays.copyOf(got, rows * cols),
                    "addRowBroadcast n=" + n);
        }
    }

    @Test
    void sumAndDotAreAccurateAndIdenticalForOneAndTwoThreads() {
        Random rnd = new Random(7);
        for (int n : new int[] {0, 1, 255, 257, 70_000, 1_000_003}) {
            float[] a = random(rnd, n + 3, 100f), b = random(rnd, n + 5, 1f);
            double mag = 0, dotMag = 0;
            for (int i = 0; i < n; i++) {
                mag += Math.abs(a[3 + i]);
                dotMag += Math.abs(a[3 + i] * b[5 + i]);
            }
            double[] sums = new double[2], dots = new double[2];
            for (int t = 1; t <= 2; t++) {
                CpuPool.setThreads(t);
                sums[t - 1] = VecKernels.sum(a, 3, n);
                dots[t - 1] = VecKernels.dot(a, 3, b, 5, n);
            }
            assertEquals(sums[0], sums[1], 0.0, "sum must not depend on threads, n=" + n);
            assertEquals(dots[0], dots[1], 0.0, "dot must not depend on threads, n=" + n);
            // 256-element blocks: 16 float terms per lane (16 u with VL=16, 32 u with VL=8), lane sum 4 u
            double bound = 40 * U;
            assertTrue(Math.abs(sums[0] - RefKernels.sum(a, 3, n)) <= bound * mag, "sum n=" + n);
            assertTrue(Math.abs(dots[0] - RefKernels.dot(a, 3, b, 5, n)) <= bound * dotMag, "dot n=" + n);
        }
    }

    @Test
    void badShapesAreRejectedWithTheOpAndArrayNamed() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> VecKernels.softmaxRows(new float[10], 0, new float[12], 3, 3, 4));
        assertTrue(e.getMessage().contains("softmaxRows") && e.getMessage().contains("x needs 12"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> VecKernels.layerNormRows(new float[8], new float[3], null, 1e-5f, new float[8], null, null, 2, 4));
        assertTrue(e.getMessage().contains("gamma needs 4"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> VecKernels.add(new float[5], null, new float[5], 5));
        assertTrue(e.getMessage().contains("array b is null"), e.getMessage());
    }
}
