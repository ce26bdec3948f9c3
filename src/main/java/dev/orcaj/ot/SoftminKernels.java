package dev.orcaj.ot;

import dev.orcaj.backend.cpu.VecMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-threaded float32 SIMD row kernels of the log-domain Sinkhorn soft-min and soft-max (Vector API), on
 * plain arrays. exp is the backend's {@link VecMath#exp} (bitwise the same in every JIT tier); callers
 * parallelize over rows with the backend's pool ({@code CpuPool}). The tests compare each kernel with its scalar
 * float64 definition.
 */
final class SoftminKernels {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();

    private SoftminKernels() {}

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
        // One exp call per loop body: two inlined copies of VecMath.exp push C2 past its inlining budget, and the
        // exp's vectors are then boxed (GBs allocated per OTDD call).
        FloatVector s0 = FloatVector.zero(S);
        int k = 0;
        for (; k + L <= j; k += L) s0 = s0.add(VecMath.exp(FloatVector.fromArray(S, scratch, k).sub(vMax)));
        double sum = sumLanes(s0);
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
        FloatVector s0 = FloatVector.zero(S);
        int j = 0;
        for (; j + L <= m; j += L) { // one exp call per loop body, see softminRow
            s0 = s0.add(VecMath.exp(FloatVector.fromArray(S, c, off + j).fma(vNeg, FloatVector.fromArray(S, h, j)).sub(vShift)));
        }
        double sum = sumLanes(s0);
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
            FloatVector e = VecMath.exp(FloatVector.fromArray(S, c, off + j).fma(vNeg, FloatVector.fromArray(S, h, j)).sub(vMax));
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
     * Writes {@code k_j = exp(h_j - c_j / eps - shift)} of one row to {@code k[kOff..kOff+m)} and returns their sum
     * (lane sums in float, added in float64 in a fixed order): the exp sweep of {@link SymmetricSoftminF32}.
     */
    static double expRow(float[] c, int off, float[] h, int m, double eps, float shift, float[] k, int kOff) {
        float negInv = (float) (-1.0 / eps);
        FloatVector vNeg = FloatVector.broadcast(S, negInv), vShift = FloatVector.broadcast(S, shift);
        FloatVector s0 = FloatVector.zero(S);
        int j = 0;
        for (; j + L <= m; j += L) { // one exp call per loop body, see softminRow
            FloatVector e = VecMath.exp(FloatVector.fromArray(S, c, off + j).fma(vNeg, FloatVector.fromArray(S, h, j)).sub(vShift));
            e.intoArray(k, kOff + j);
            s0 = s0.add(e);
        }
        double sum = sumLanes(s0);
        for (; j < m; j++) {
            float e = VecMath.exp(Math.fma(c[off + j], negInv, h[j]) - shift);
            k[kOff + j] = e;
            sum += e;
        }
        return sum;
    }

    /** {@code acc_j += u * k_j} for one row of a kernel: the column sums of {@link SymmetricSoftminF32}. */
    static void axpyRow(float[] k, int off, int m, float u, float[] acc) {
        FloatVector vu = FloatVector.broadcast(S, u);
        int j = 0;
        for (; j + L <= m; j += L) {
            FloatVector.fromArray(S, k, off + j).fma(vu, FloatVector.fromArray(S, acc, j)).intoArray(acc, j);
        }
        for (; j < m; j++) acc[j] = Math.fma(k[off + j], u, acc[j]);
    }

    /**
     * One read of a kernel row for both sums of a scaling step: returns {@code sum_j k_j v_j} (float lanes,
     * float64 lane sum) and adds {@code u * k_j} to {@code acc_j}.
     */
    static double dotAxpyRow(float[] k, int off, float[] v, int m, float u, float[] acc) {
        FloatVector vu = FloatVector.broadcast(S, u);
        FloatVector s0 = FloatVector.zero(S);
        int j = 0;
        for (; j + L <= m; j += L) {
            FloatVector kv = FloatVector.fromArray(S, k, off + j);
            s0 = kv.fma(FloatVector.fromArray(S, v, j), s0);
            kv.fma(vu, FloatVector.fromArray(S, acc, j)).intoArray(acc, j);
        }
        double sum = sumLanes(s0);
        for (; j < m; j++) {
            sum += k[off + j] * v[j];
            acc[j] = Math.fma(k[off + j], u, acc[j]);
        }
        return sum;
    }
}
