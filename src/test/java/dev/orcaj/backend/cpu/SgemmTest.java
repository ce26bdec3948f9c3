package dev.orcaj.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orcaj.backend.ref.RefGemm;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sgemm against the double-accumulating RefGemm.
 *
 * <p>Tolerance: with unit roundoff u = 2^-24, a k-term float dot product (FMA or not, any summation order) has
 * |error| <= gamma_k * sum_p |a_ip||b_pj|, gamma_k = k u / (1 - k u) (Higham, "Accuracy and Stability of Numerical
 * Algorithms", 2nd ed., eq. 3.5). Scaling by alpha, the beta*C fma and the reference's own final rounding add
 * three more roundings, so each element must satisfy
 * |C - Cref| <= gamma_{k+3} * (|alpha| sum_p |a_ip||b_pj| + |beta||C0_ij|) + u |Cref_ij|.
 * This is a worst-case bound, so it cannot fail through bad luck, yet it stays small: for k <= 1031 and entries
 * uniform in [-1, 1] it is below 0.02 while a typical wrong, missing or doubled term is about 0.25.
 */
class SgemmTest {
    private static final double U = 0x1p-24;

    @AfterEach
    void restoreThreads() {
        CpuPool.setThreads(Runtime.getRuntime().availableProcessors());
    }

    /**
     * m, n, k triples: ones, primes, every edge-strip height (m mod MR) and width (half and full strips), several
     * KC slices (k > 768), transposed-A row panels (m > 384), several NC blocks (n > 192), 1000+ sizes.
     */
    private static final int[][] SHAPES = {
        {1, 1, 1}, {1, 7, 33}, {7, 1, 33}, {7, 33, 1}, {6, 64, 8}, {13, 65, 31}, {2, 17, 5}, {3, 8, 9},
        {5, 16, 3}, {33, 129, 257}, {1030, 9, 17}, {1600, 70, 20}, {5, 1100, 40}, {9, 11, 1031}, {150, 600, 300},
        {31, 450, 800},
    };

    private static final float[][] ALPHA_BETA = {{1f, 0f}, {0.5f, 0f}, {-1.5f, 0.25f}, {1f, 1f}, {0f, 2f}};

    @ParameterizedTest(name = "threads={0}")
    @ValueSource(ints = {1, 2})
    void matchesReferenceForEveryTransposeAlphaBetaAndShape(int threads) {
        CpuPool.setThreads(threads);
        Random rnd = new Random(42 + threads);
        int cases = 0;
        for (int[] s : SHAPES) {
            for (int t = 0; t < 4; t++) {
                float[] ab = ALPHA_BETA[cases % ALPHA_BETA.length];
                checkCase(rnd, t >= 2, (t & 1) == 1, s[0], s[1], s[2], ab[0], ab[1], cases % 3);
                cases++;
            }
        }
        // every alpha/beta pair with every transpose pair on one awkward shape
        for (float[] ab : ALPHA_BETA) {
            for (int t = 0; t < 4; t++) checkCase(rnd, t >= 2, (t & 1) == 1, 19, 70, 45, ab[0], ab[1], 2);
        }
    }

    /**
     * One product with padded layouts: {@code pad} extra offset and extra leading-dimension columns on every
     * matrix. C starts as NaN when beta == 0 (must be overwritten) and as random data otherwise; everything
     * outside the m x n window of C must stay untouched.
     */
    private static void checkCase(Random rnd, boolean transA, boolean transB, int m, int n, int k,
                                  float alpha, float beta, int pad) {
        int aRows = transA ? k : m, aCols = transA ? m : k;
        int bRows = transB ? n : k, bCols = transB ? k : n;
        int lda = aCols + pad, ldb = bCols + 2 * pad, ldc = n + pad;
        int aOff = pad, bOff = 3 * pad, cOff = 2 * pad;
        float[] a = random(rnd, aOff + aRows * lda + pad);
        float[] b = random(rnd, bOff + bRows * ldb);
        float[] c = random(rnd, cOff + m * ldc + pad);
        if (beta == 0f) {
            for (int i = 0; i < m; i++) java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, Float.NaN);
        }
        float[] c0 = c.clone();
        float[] expected = c.clone();
        RefGemm.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, expected, cOff, ldc);
        Sgemm.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        String what = "m=" + m + " n=" + n + " k=" + k + " transA=" + transA + " transB=" + transB
                + " alpha=" + alpha + " beta=" + beta + " pad=" + pad;
        for (int idx = 0; idx < c.length; idx++) {
            int rel = idx - cOff;
            int i = Math.floorDiv(rel, ldc), j = Math.floorMod(rel, ldc);
            if (rel < 0 || i >= m || j >= n) {
                assertEquals(Float.floatToRawIntBits(c0[idx]), Float.floatToRawIntBits(c[idx]),
                        "element outside C touched at " + idx + " (" + what + ")");
                continue;
            }
            double mag = 0;
            for (int p = 0; p < k; p++) {
                float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                float bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                mag += Math.abs((double) av * bv);
            }
            double prior = beta == 0f ? 0 : Math.abs(beta * (double) c0[idx]);
            double gamma = (k + 3) * U / (1 - (k + 3) * U);
            double tol = gamma * (Math.abs(alpha) * mag + prior) + U * Math.abs(expected[idx]);
            double err = Math.abs((double) c[idx] - expected[idx]);
            if (!(err <= tol)) {
                throw new AssertionError("C(" + i + "," + j + ")=" + c[idx] + " expected " + expected[idx]
                        + " err " + err + " > tol " + tol + " (" + what + ")");
            }
        }
    }

    /** Shapes that really split on two threads: by columns (n > m), by rows (m >= n), over two KC slices, MC panels. */
    @ParameterizedTest(name = "m={0} n={1} k={2}")
    @org.junit.jupiter.params.provider.CsvSource({"301, 700, 530", "1001, 203, 771", "1550, 97, 33"})
    void resultsAreBitwiseIdenticalForOneAndTwoThreads(int m, int n, int k) {
        Random rnd = new Random(7);
        for (int t = 0; t < 4; t++) {
            boolean ta = t >= 2, tb = (t & 1) == 1;
            float[] a = random(rnd, m * k), b = random(rnd, k * n);
            float[] c1 = new float[m * n], c2 = new float[m * n];
            float alpha = t % 2 == 0 ? 1f : 0.75f; // 1 with beta 0 writes full tiles straight into C
            CpuPool.setThreads(1);
            Sgemm.sgemm(ta, tb, m, n, k, alpha, a, 0, ta ? m : k, b, 0, tb ? k : n, 0f, c1, 0, n);
            CpuPool.setThreads(2);
            Sgemm.sgemm(ta, tb, m, n, k, alpha, a, 0, ta ? m : k, b, 0, tb ? k : n, 0f, c2, 0, n);
            assertArrayEquals(c1, c2, "transA=" + ta + " transB=" + tb);
        }
    }

    @ParameterizedTest(name = "threads={0}")
    @ValueSource(ints = {1, 2})
    void stridedBatchedMatchesReference(int threads) {
        CpuPool.setThreads(threads);
        Random rnd = new Random(11);
        // attention-like: [batch*heads] x (seq x dh) x (dh x seq), strides with gaps between matrices; 40 x 262k
        // multiply-adds is enough work for Sgemm to split the batch over two threads
        int batch = 40, m = 61, n = 67, k = 64;
        for (int t = 0; t < 4; t++) {
            boolean ta = t >= 2, tb = (t & 1) == 1;
            int lda = ta ? m : k, ldb = tb ? k : n, ldc = n + 1;
            int strideA = (ta ? k : m) * lda + 5, strideB = (tb ? n : k) * ldb + 3, strideC = m * ldc + 2;
            float[] a = random(rnd, 1 + batch * strideA), b = random(rnd, 2 + batch * strideB);
            float[] c = random(rnd, 3 + batch * strideC);
            float[] expected = c.clone();
            RefGemm.sgemmStridedBatched(ta, tb, m, n, k, 1.25f, a, 1, lda, b, 2, ldb, -0.5f, expected, 3, ldc,
                    batch, strideA, strideB, strideC);
            Sgemm.sgemmStridedBatched(ta, tb, m, n, k, 1.25f, a, 1, lda, b, 2, ldb, -0.5f, c, 3, ldc,
                    batch, strideA, strideB, strideC);
            double maxErr = 0;
            for (int i = 0; i < c.length; i++) maxErr = Math.max(maxErr, Math.abs(c[i] - expected[i]));
            // |entries| <= 1, so sum |a||b| <= k and |C0| <= 1: the bound of the class comment
            double tol = (k + 3) * U * 1.01 * (1.25 * k + 0.5) + U * (1.25 * k + 0.5);
            assertTrue(maxErr <= tol, "batched transA=" + ta + " transB=" + tb + " max err " + maxErr + " > " + tol);
        }
    }

    /** Attention-sized products (B*H small GEMMs): the batch is what two threads split, results stay bitwise. */
    @Test
    void stridedBatchedIsBitwiseIdenticalForOneAndTwoThreads() {
        Random rnd = new Random(13);
        int batch = 48, m = 64, n = 64, k = 64;
        for (int t = 0; t < 4; t++) {
            boolean ta = t >= 2, tb = (t & 1) == 1;
            float[] a = random(rnd, batch * m * k), b = random(rnd, batch * k * n);
            float[] c1 = new float[batch * m * n], c2 = new float[batch * m * n];
            CpuPool.setThreads(1);
            Sgemm.sgemmStridedBatched(ta, tb, m, n, k, 1f, a, 0, ta ? m : k, b, 0, tb ? k : n, 0f, c1, 0, n,
                    batch, m * k, k * n, m * n);
            CpuPool.setThreads(2);
            Sgemm.sgemmStridedBatched(ta, tb, m, n, k, 1f, a, 0, ta ? m : k, b, 0, tb ? k : n, 0f, c2, 0, n,
                    batch, m * k, k * n, m * n);
            assertArrayEquals(c1, c2, "transA=" + ta + " transB=" + tb);
        }
    }

    @Test
    void zeroSizesAndZeroAlphaFollowBlas() {
        float[] c = {Float.NaN, 2f, 3f, 4f};
        Sgemm.sgemm(false, false, 2, 2, 0, 1f, new float[0], 0, 1, new float[0], 0, 2, 0f, c, 0, 2);
        assertArrayEquals(new float[] {0f, 0f, 0f, 0f}, c, "k=0, beta=0 writes zeros");
        float[] d = {1f, 2f, 3f, 4f};
        Sgemm.sgemm(false, false, 2, 2, 1, 0f, new float[] {Float.NaN, Float.NaN}, 0, 1,
                new float[] {1f, 1f}, 0, 2, 2f, d, 0, 2);
        assertArrayEquals(new float[] {2f, 4f, 6f, 8f}, d, "alpha=0 only scales C");
        float[] untouched = {Float.NaN};
        Sgemm.sgemm(false, false, 0, 1, 1, 1f, new float[0], 0, 1, new float[] {1f}, 0, 1, 0f, untouched, 0, 1);
        assertTrue(Float.isNaN(untouched[0]), "m=0 must not write C");
    }

    @Test
    void rejectsLayoutsThatDoNotFit() {
        float[] a = new float[6], b = new float[6], c = new float[4];
        var e = assertThrows(IllegalArgumentException.class,
                () -> Sgemm.sgemm(false, false, 2, 2, 3, 1f, a, 0, 2, b, 0, 2, 0f, c, 0, 2));
        assertTrue(e.getMessage().contains("lda"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Sgemm.sgemm(false, false, 2, 2, 3, 1f, a, 1, 3, b, 0, 2, 0f, c, 0, 2));
        assertTrue(e.getMessage().contains("A (2x3, offset 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Sgemm.sgemm(false, true, 2, 2, 3, 1f, a, 0, 3, b, 0, 2, 0f, c, 0, 2));
    }

    private static float[] random(Random rnd, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) x[i] = rnd.nextFloat() * 2f - 1f;
        return x;
    }
}
