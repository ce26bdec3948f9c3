package dev.orcaj.ot;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-threaded float32 SIMD kernels (Vector API) behind the OT code: a vectorized exp, the log-sum-exp row
 * reduction of the Sinkhorn soft-min, and a register-blocked GEMM {@code C += A B}. Callers parallelize over
 * rows (see {@link Parallel}). Each kernel has a scalar twin used by the tests as the reference.
 */
final class VectorKernels {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    private static final int KC = 128; // k-block of the GEMM: a KC x 4L panel of B stays in L1

    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;          // Cody-Waite split of ln 2
    private static final float LN2_LO = -2.12194440e-4f;
    private static final float ROUND_MAGIC = 12582912f;       // 1.5 * 2^23: adding it rounds to an integer
    private static final int MAGIC_BITS = Float.floatToRawIntBits(ROUND_MAGIC);
    private static final float EXP_MIN = -87.3f;              // keeps 2^n a normal float
    private static final float EXP_MAX = 88.3f;

    private VectorKernels() {}

    /**
     * exp(x) per lane: x = n ln2 + r with |r| <= ln2/2, exp(r) by its degree-6 Taylor polynomial (error below
     * 2e-7 relative, about 1.5 ulp), times 2^n assembled in the exponent bits. Inputs are clamped to
     * [-87.3, 88.3], so tiny results are ~1e-38 instead of 0 (harmless in sums dominated by a term of 1).
     */
    static FloatVector exp(FloatVector x) {
        x = x.max(EXP_MIN).min(EXP_MAX);
        FloatVector shifted = x.mul(LOG2E).add(ROUND_MAGIC); // low mantissa bits now hold n = round(x log2 e)
        FloatVector n = shifted.sub(ROUND_MAGIC);
        FloatVector r = n.fma(FloatVector.broadcast(S, -LN2_HI), x);
        r = n.fma(FloatVector.broadcast(S, -LN2_LO), r);
        FloatVector p = FloatVector.broadcast(S, 1f / 720f);
        p = p.fma(r, FloatVector.broadcast(S, 1f / 120f));
        p = p.fma(r, FloatVector.broadcast(S, 1f / 24f));
        p = p.fma(r, FloatVector.broadcast(S, 1f / 6f));
        p = p.fma(r, FloatVector.broadcast(S, 0.5f));
        p = p.fma(r, FloatVector.broadcast(S, 1f));
        p = p.fma(r, FloatVector.broadcast(S, 1f));
        // 2^n as float bits: (n + 127) << 23, with n = bits(shifted) - bits(ROUND_MAGIC)
        IntVector bits = shifted.reinterpretAsInts().sub(MAGIC_BITS - 127).lanewise(VectorOperators.LSHL, 23);
        return p.mul(bits.reinterpretAsFloats());
    }

    /**
     * Log-domain soft-min of one cost row: {@code -eps * log sum_j exp(h_j - c_j / eps)}. Pass 1 stores the
     * exponents in {@code scratch} (length >= m) and finds their max; pass 2 sums exp(t - max) (lane sums in
     * float64).
     */
    static double softminRow(float[] c, int off, float[] h, int m, double eps, float[] scratch) {
        float negInv = (float) (-1.0 / eps);
        FloatVector vNeg = FloatVector.broadcast(S, negInv);
        FloatVector m0 = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY), m1 = m0;
        int j = 0;
        for (; j + 2 * L <= m; j += 2 * L) {
            FloatVector t0 = FloatVector.fromArray(S, c, off + j).fma(vNeg, FloatVector.fromArray(S, h, j));
            FloatVector t1 = FloatVector.fromArray(S, c, off + j + L).fma(vNeg, FloatVector.fromArray(S, h, j + L));
            t0.intoArray(scratch, j);
            t1.intoArray(scratch, j + L);
            m0 = m0.max(t0);
            m1 = m1.max(t1);
        }
        float mx = m0.max(m1).reduceLanes(VectorOperators.MAX);
        for (int t = j; t < m; t++) {
            scratch[t] = Math.fma(c[off + t], negInv, h[t]);
            mx = Math.max(mx, scratch[t]);
        }
        FloatVector vMax = FloatVector.broadcast(S, mx);
        FloatVector s0 = FloatVector.zero(S), s1 = s0;
        int k = 0;
        for (; k + 2 * L <= j; k += 2 * L) {
            s0 = s0.add(exp(FloatVector.fromArray(S, scratch, k).sub(vMax)));
            s1 = s1.add(exp(FloatVector.fromArray(S, scratch, k + L).sub(vMax)));
        }
        double sum = sumLanes(s0.add(s1));
        for (; k < m; k++) sum += Math.exp(scratch[k] - mx);
        return -eps * (mx + Math.log(sum));
    }

    /** Accepted range of a guessed-shift exp-sum: no overflow, no loss of the dominant terms to underflow. */
    private static final double GUESS_MIN = 1e-25, GUESS_MAX = 1e25;

    /**
     * One-pass soft-min with a guessed stabiliser {@code shift} (e.g. the row's previous log-sum-exp):
     * {@code -eps (shift + log sum_j exp(t_j - shift))}. Returns NaN when the sum leaves
     * [{@value #GUESS_MIN}, {@value #GUESS_MAX}] (guess too far off); the caller then uses
     * {@link #softminRow}. Equal to it up to float rounding.
     */
    static double softminRowGuess(float[] c, int off, float[] h, int m, double eps, float shift) {
        if (!Float.isFinite(shift)) return Double.NaN;
        float negInv = (float) (-1.0 / eps);
        FloatVector vNeg = FloatVector.broadcast(S, negInv), vShift = FloatVector.broadcast(S, shift);
        FloatVector s0 = FloatVector.zero(S), s1 = s0;
        int j = 0;
        for (; j + 2 * L <= m; j += 2 * L) {
            s0 = s0.add(exp(FloatVector.fromArray(S, c, off + j).fma(vNeg, FloatVector.fromArray(S, h, j)).sub(vShift)));
            s1 = s1.add(exp(FloatVector.fromArray(S, c, off + j + L).fma(vNeg, FloatVector.fromArray(S, h, j + L)).sub(vShift)));
        }
        double sum = sumLanes(s0.add(s1));
        for (; j < m; j++) sum += Math.exp(Math.fma(c[off + j], negInv, h[j]) - shift);
        if (!(sum >= GUESS_MIN && sum <= GUESS_MAX)) return Double.NaN;
        return -eps * (shift + Math.log(sum));
    }

    /**
     * Lane sum in a fixed order, in float64. {@code reduceLanes(ADD)} leaves the order unspecified (the JIT
     * intrinsic and the interpreter fallback differ), which would make results depend on JIT warm-up.
     */
    static double sumLanes(FloatVector v) {
        double s = 0;
        for (int k = 0; k < L; k++) s += v.lane(k);
        return s;
    }

    /** Writes the soft-max weights {@code w_j = exp(h_j - c_j/eps) / sum_k exp(h_k - c_k/eps)} of one row. */
    static void softmaxRow(float[] c, int off, float[] h, int m, double eps, float[] w, int wOff) {
        float negInv = (float) (-1.0 / eps);
        FloatVector vNeg = FloatVector.broadcast(S, negInv);
        FloatVector vm = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        int j = 0;
        for (; j + L <= m; j += L) {
            vm = vm.max(FloatVector.fromArray(S, c, off + j).fma(vNeg, FloatVector.fromArray(S, h, j)));
        }
        float mx = vm.reduceLanes(VectorOperators.MAX);
        for (; j < m; j++) mx = Math.max(mx, Math.fma(c[off + j], negInv, h[j]));
        FloatVector vMax = FloatVector.broadcast(S, mx);
        FloatVector vs = FloatVector.zero(S);
        j = 0;
        for (; j + L <= m; j += L) {
            FloatVector e = exp(FloatVector.fromArray(S, c, off + j).fma(vNeg, FloatVector.fromArray(S, h, j)).sub(vMax));
            e.intoArray(w, wOff + j);
            vs = vs.add(e);
        }
        double sum = sumLanes(vs);
        for (; j < m; j++) {
            float e = (float) Math.exp(Math.fma(c[off + j], negInv, h[j]) - mx);
            w[wOff + j] = e;
            sum += e;
        }
        FloatVector vInv = FloatVector.broadcast(S, (float) (1.0 / sum));
        j = 0;
        for (; j + L <= m; j += L) FloatVector.fromArray(S, w, wOff + j).mul(vInv).intoArray(w, wOff + j);
        float inv = (float) (1.0 / sum);
        for (; j < m; j++) w[wOff + j] *= inv;
    }

    /**
     * {@code C[m x n] += A[m x k] * B[k x n]}, all row-major with leading dimensions; 4 x 4L register blocks,
     * k blocked by {@value #KC}. The one GEMM used by the cost matrices and the gradients (replaceable by a
     * faster SGEMM without touching callers).
     */
    static void gemmAccumulate(float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                               float[] c, int cOff, int ldc, int m, int k, int n) {
        final int w = 4 * L;
        for (int k0 = 0; k0 < k; k0 += KC) {
            int k1 = Math.min(k, k0 + KC);
            int j = 0;
            for (; j + w <= n; j += w) {
                int i = 0;
                for (; i + 4 <= m; i += 4) {
                    block4x4(a, aOff + i * lda, lda, b, bOff + j, ldb, c, cOff + i * ldc + j, ldc, k0, k1);
                }
                for (; i < m; i++) {
                    for (int jj = j; jj < j + w; jj += L) block1x1(a, aOff + i * lda, b, bOff + jj, ldb, c, cOff + i * ldc + jj, k0, k1);
                }
            }
            for (; j + L <= n; j += L) {
                for (int i = 0; i < m; i++) block1x1(a, aOff + i * lda, b, bOff + j, ldb, c, cOff + i * ldc + j, k0, k1);
            }
            for (; j < n; j++) {
                for (int i = 0; i < m; i++) {
                    float acc = c[cOff + i * ldc + j];
                    for (int p = k0; p < k1; p++) acc = Math.fma(a[aOff + i * lda + p], b[bOff + p * ldb + j], acc);
                    c[cOff + i * ldc + j] = acc;
                }
            }
        }
    }

    private static void block1x1(float[] a, int ao, float[] b, int bo, int ldb, float[] c, int co, int k0, int k1) {
        FloatVector acc = FloatVector.fromArray(S, c, co);
        for (int p = k0; p < k1; p++) acc = FloatVector.fromArray(S, b, bo + p * ldb).fma(FloatVector.broadcast(S, a[ao + p]), acc);
        acc.intoArray(c, co);
    }

    private static void block4x4(float[] a, int ao, int lda, float[] b, int bo, int ldb, float[] c, int co, int ldc, int k0, int k1) {
        int r1 = co + ldc, r2 = r1 + ldc, r3 = r2 + ldc;
        FloatVector c00 = FloatVector.fromArray(S, c, co), c01 = FloatVector.fromArray(S, c, co + L),
                c02 = FloatVector.fromArray(S, c, co + 2 * L), c03 = FloatVector.fromArray(S, c, co + 3 * L);
        FloatVector c10 = FloatVector.fromArray(S, c, r1), c11 = FloatVector.fromArray(S, c, r1 + L),
                c12 = FloatVector.fromArray(S, c, r1 + 2 * L), c13 = FloatVector.fromArray(S, c, r1 + 3 * L);
        FloatVector c20 = FloatVector.fromArray(S, c, r2), c21 = FloatVector.fromArray(S, c, r2 + L),
                c22 = FloatVector.fromArray(S, c, r2 + 2 * L), c23 = FloatVector.fromArray(S, c, r2 + 3 * L);
        FloatVector c30 = FloatVector.fromArray(S, c, r3), c31 = FloatVector.fromArray(S, c, r3 + L),
                c32 = FloatVector.fromArray(S, c, r3 + 2 * L), c33 = FloatVector.fromArray(S, c, r3 + 3 * L);
        int a1 = ao + lda, a2 = a1 + lda, a3 = a2 + lda;
        for (int p = k0; p < k1; p++) {
            int bp = bo + p * ldb;
            FloatVector b0 = FloatVector.fromArray(S, b, bp), b1 = FloatVector.fromArray(S, b, bp + L),
                    b2 = FloatVector.fromArray(S, b, bp + 2 * L), b3 = FloatVector.fromArray(S, b, bp + 3 * L);
            FloatVector x = FloatVector.broadcast(S, a[ao + p]);
            c00 = b0.fma(x, c00); c01 = b1.fma(x, c01); c02 = b2.fma(x, c02); c03 = b3.fma(x, c03);
            x = FloatVector.broadcast(S, a[a1 + p]);
            c10 = b0.fma(x, c10); c11 = b1.fma(x, c11); c12 = b2.fma(x, c12); c13 = b3.fma(x, c13);
            x = FloatVector.broadcast(S, a[a2 + p]);
            c20 = b0.fma(x, c20); c21 = b1.fma(x, c21); c22 = b2.fma(x, c22); c23 = b3.fma(x, c23);
            x = FloatVector.broadcast(S, a[a3 + p]);
            c30 = b0.fma(x, c30); c31 = b1.fma(x, c31); c32 = b2.fma(x, c32); c33 = b3.fma(x, c33);
        }
        c00.intoArray(c, co); c01.intoArray(c, co + L); c02.intoArray(c, co + 2 * L); c03.intoArray(c, co + 3 * L);
        c10.intoArray(c, r1); c11.intoArray(c, r1 + L); c12.intoArray(c, r1 + 2 * L); c13.intoArray(c, r1 + 3 * L);
        c20.intoArray(c, r2); c21.intoArray(c, r2 + L); c22.intoArray(c, r2 + 2 * L); c23.intoArray(c, r2 + 3 * L);
        c30.intoArray(c, r3); c31.intoArray(c, r3 + L); c32.intoArray(c, r3 + 2 * L); c33.intoArray(c, r3 + 3 * L);
    }
}
