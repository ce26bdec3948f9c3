package dev.orcaj.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Multi-head attention softmax(scale * Q K^T + mask) V that never holds more than one block of scores per thread
 * (Dao et al., "FlashAttention", 2022, Alg. 1, and FlashAttention-2, 2023, Alg. 2, for the backward). The [B, H,
 * Sq, Sk] scores and probabilities of the unfused composition (100 MB per tensor per layer at B8 x S512 x 12 heads)
 * are replaced by a {@link #ROW_BLOCK} x {@link #KEY_BLOCK} tile: the forward keeps a running row maximum and sum
 * (online softmax) and stores only the output and each row's final maximum and 1 / sum; the backward recomputes
 * each tile of probabilities from them. (Max and sum rather than their log-sum-exp: a row whose keys are all
 * masked with -3.4e38 has max + log(sum) == max in float, which would turn its uniform probabilities into 1s.) The block products run through {@link Sgemm} reading Q, K, V and dOut in
 * place ([B, S, H*hd] rows, lda = H*hd), so heads are never split into copies either.
 *
 * <p>Arrays are dense [B, S, D] (D = H*hd) from index 0; the mask element (b, h, i, j) is
 * {@code mask[maskOff + b*mb + h*mh + i*mi + j]} (a [B, 1, 1, Sk] key mask has mh = mi = 0), or mask is null.
 *
 * <p>Reproducibility: one task per (batch, head), each done by one thread in a fixed block order (Sgemm inside a
 * pool task runs on that thread and is itself tiling-independent), so results are bitwise the same for every
 * {@link CpuPool#threads()}.
 */
final class FlashAttention {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int VL = S.length();
    /** Query rows per block: 64 x hd of Q stays in L1 while a key block streams. */
    static final int ROW_BLOCK = 64;
    /** Keys per block: the 64 x 256 score tile (64 KiB) and, in the backward, its gradient stay in L2. */
    static final int KEY_BLOCK = 256;

    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[3][]);

    private FlashAttention() {}

    /** Geometry of one call. */
    record Shape(int batch, int heads, int sq, int sk, int hd, float scale, float[] mask, int maskOff, int mb, int mh, int mi) {
        int dim() { return heads * hd; }

        /** The mask row (b, h, i) starts here. */
        int maskRow(int b, int h, int i) { return maskOff + b * mb + h * mh + i * mi; }
    }

    private static float[] scratch(int slot, int size) {
        float[][] s = SCRATCH.get();
        if (s[slot] == null || s[slot].length < size) s[slot] = new float[size];
        return s[slot];
    }

    /** out [B, Sq, D] (zeroed on entry) and rowStats [B, H, Sq, 2] = {row max, 1 / row sum} of the scores. */
    static void forward(Shape g, float[] q, float[] k, float[] v, float[] out, float[] rowStats) {
        CpuPool.parallelFor(0, g.batch * g.heads, 1, (t0, t1) -> {
            float[] tile = scratch(0, ROW_BLOCK * KEY_BLOCK), stats = scratch(1, 2 * ROW_BLOCK);
            for (int t = t0; t < t1; t++) forwardHead(g, t / g.heads, t % g.heads, q, k, v, out, rowStats, tile, stats);
        });
    }

    private static void forwardHead(Shape g, int b, int h, float[] q, float[] k, float[] v, float[] out, float[] rowStats, float[] tile, float[] stats) {
        int d = g.dim(), qBase = b * g.sq * d + h * g.hd, kBase = b * g.sk * d + h * g.hd;
        for (int i0 = 0; i0 < g.sq; i0 += ROW_BLOCK) {
            int rows = Math.min(ROW_BLOCK, g.sq - i0);
            // stats[r] = running max, stats[ROW_BLOCK + r] = running sum of exp(score - max)
            for (int r = 0; r < rows; r++) { stats[r] = Float.NEGATIVE_INFINITY; stats[ROW_BLOCK + r] = 0f; }
            for (int j0 = 0; j0 < g.sk; j0 += KEY_BLOCK) {
                int cols = Math.min(KEY_BLOCK, g.sk - j0);
                Sgemm.sgemm(false, true, rows, cols, g.hd, 1f, q, qBase + i0 * d, d, k, kBase + j0 * d, d, 0f, tile, 0, cols);
                for (int r = 0; r < rows; r++) {
                    int o = r * cols;
                    scaleAndMask(tile, o, cols, g, b, h, i0 + r, j0);
                    float oldMax = stats[r], max = Math.max(oldMax, VecKernels.rowMax(tile, o, cols));
                    float sum = VecKernels.expShiftedInto(tile, o, max, tile, o, cols);
                    if (oldMax != Float.NEGATIVE_INFINITY) { // rescale what earlier key blocks accumulated
                        float alpha = VecMath.exp(oldMax - max);
                        stats[ROW_BLOCK + r] = Math.fma(stats[ROW_BLOCK + r], alpha, sum);
                        VecKernels.scaleRange(out, qBase + (i0 + r) * d, alpha, g.hd);
                    } else {
                        stats[ROW_BLOCK + r] = sum;
                    }
                    stats[r] = max;
                }
                Sgemm.sgemm(false, false, rows, g.hd, cols, 1f, tile, 0, cols, v, kBase + j0 * d, d, 1f, out, qBase + i0 * d, d);
            }
            for (int r = 0; r < rows; r++) {
                float inv = 1f / stats[ROW_BLOCK + r];
                VecKernels.scaleRange(out, qBase + (i0 + r) * d, inv, g.hd);
                int at = 2 * ((b * g.heads + h) * g.sq + i0 + r);
                rowStats[at] = stats[r];
                rowStats[at + 1] = inv;
            }
        }
    }

    /**
     * dq, dk, dv [B, S, D] (zeroed on entry) from dOut [B, Sq, D], out and rowStats. Tiles are key-major (keys x
     * queries) so that the two products that need the tile transposed in query-major order, dV += P^T dO and
     * dK += dS^T Q, read it in place: per tile P^T = exp(scale * K Q^T + mask - max) / sum, dV += P^T dO,
     * dP^T = V dO^T, dS^T = scale * P^T * (dP^T - rowsum(dO * out)), dK += dS^T Q, and dQ^T += K^T dS^T into a
     * hd x rows scratch written to dq once per row block (transposing K, hd wide, instead of the tile).
     */
    static void backward(Shape g, float[] q, float[] k, float[] v, float[] out, float[] rowStats, float[] dOut, float[] dq, float[] dk, float[] dv) {
        CpuPool.parallelFor(0, g.batch * g.heads, 1, (t0, t1) -> {
            float[] tile = scratch(0, ROW_BLOCK * KEY_BLOCK), dTile = scratch(2, ROW_BLOCK * KEY_BLOCK);
            float[] rows = scratch(1, g.sq + 3 * ROW_BLOCK + g.hd * ROW_BLOCK);
            for (int t = t0; t < t1; t++) backwardHead(g, t / g.heads, t % g.heads, q, k, v, out, rowStats, dOut, dq, dk, dv, tile, dTile, rows);
        });
    }

    private static void backwardHead(Shape g, int b, int h, float[] q, float[] k, float[] v, float[] out, float[] rowStats, float[] dOut,
                                     float[] dq, float[] dk, float[] dv, float[] tile, float[] dTile, float[] work) {
        int d = g.dim(), qBase = b * g.sq * d + h * g.hd, kBase = b * g.sk * d + h * g.hd, statBase = 2 * (b * g.heads + h) * g.sq;
        // work: [0, sq) rowsum(dO * out) = rowsum(dP * P) (FlashAttention-2, sec. 3.1); then per row block the
        // rows' max, 1/sum and dot as contiguous vectors; then the dQ^T accumulator (hd x ROW_BLOCK)
        int maxAt = g.sq, invAt = maxAt + ROW_BLOCK, dotAt = invAt + ROW_BLOCK, dqtAt = dotAt + ROW_BLOCK;
        for (int i = 0; i < g.sq; i++) work[i] = dot(dOut, out, qBase + i * d, g.hd);
        for (int i0 = 0; i0 < g.sq; i0 += ROW_BLOCK) {
            int rows = Math.min(ROW_BLOCK, g.sq - i0), qRows = qBase + i0 * d;
            for (int r = 0; r < rows; r++) {
                work[maxAt + r] = rowStats[statBase + 2 * (i0 + r)];
                work[invAt + r] = rowStats[statBase + 2 * (i0 + r) + 1];
                work[dotAt + r] = work[i0 + r];
            }
            for (int j0 = 0; j0 < g.sk; j0 += KEY_BLOCK) {
                int cols = Math.min(KEY_BLOCK, g.sk - j0), kRows = kBase + j0 * d;
                Sgemm.sgemm(false, true, cols, rows, g.hd, 1f, k, kRows, d, q, qRows, d, 0f, tile, 0, rows);
                for (int c = 0; c < cols; c++) probabilitiesT(tile, c * rows, rows, g, b, h, i0, j0 + c, work, maxAt, invAt);
                Sgemm.sgemm(false, false, cols, g.hd, rows, 1f, tile, 0, rows, dOut, qRows, d, 1f, dv, kRows, d);
                Sgemm.sgemm(false, true, cols, rows, g.hd, 1f, v, kRows, d, dOut, qRows, d, 0f, dTile, 0, rows);
                for (int c = 0; c < cols; c++) softmaxGradT(tile, dTile, c * rows, rows, work, dotAt, g.scale);
                Sgemm.sgemm(false, false, cols, g.hd, rows, 1f, dTile, 0, rows, q, qRows, d, 1f, dk, kRows, d);
                Sgemm.sgemm(true, false, g.hd, rows, cols, 1f, k, kRows, d, dTile, 0, rows, j0 == 0 ? 0f : 1f, work, dqtAt, rows);
            }
            for (int r = 0; r < rows; r++) for (int c = 0; c < g.hd; c++) dq[qRows + r * d + c] = work[dqtAt + c * rows + r];
        }
    }

    /**
     * Row j of a key-major tile (queries i0.. along it) to probabilities: p = exp(fma(x, scale, mask) - max_i) / sum_i,
     * the scores rounded as {@link #scaleAndMask} rounds them. A key mask (the same for every query, mi == 0) is one
     * scalar per row; any other mask is gathered.
     */
    private static void probabilitiesT(float[] x, int o, int n, Shape g, int b, int h, int i0, int j, float[] work, int maxAt, int invAt) {
        if (g.mask == null || g.mi == 0) {
            float m = g.mask == null ? 0f : g.mask[g.maskRow(b, h, 0) + j];
            FloatVector sv = FloatVector.broadcast(S, g.scale), mv = FloatVector.broadcast(S, m);
            int i = 0;
            for (; i <= n - VL; i += VL) {
                FloatVector s = g.mask == null ? FloatVector.fromArray(S, x, o + i).mul(sv) : FloatVector.fromArray(S, x, o + i).fma(sv, mv);
                VecMath.exp(s.sub(FloatVector.fromArray(S, work, maxAt + i))).mul(FloatVector.fromArray(S, work, invAt + i)).intoArray(x, o + i);
            }
            for (; i < n; i++) {
                float s = g.mask == null ? x[o + i] * g.scale : Math.fma(x[o + i], g.scale, m);
                x[o + i] = VecMath.exp(s - work[maxAt + i]) * work[invAt + i];
            }
        } else {
            for (int i = 0; i < n; i++) {
                float s = Math.fma(x[o + i], g.scale, g.mask[g.maskRow(b, h, i0 + i) + j]);
                x[o + i] = VecMath.exp(s - work[maxAt + i]) * work[invAt + i];
            }
        }
    }

    /** dp = scale * p * (dp - dot_i) along a key-major row, in place in dp. */
    private static void softmaxGradT(float[] p, float[] dp, int o, int n, float[] work, int dotAt, float scale) {
        int i = 0;
        for (; i <= n - VL; i += VL) {
            FloatVector.fromArray(S, dp, o + i).sub(FloatVector.fromArray(S, work, dotAt + i)).mul(FloatVector.fromArray(S, p, o + i)).mul(scale).intoArray(dp, o + i);
        }
        for (; i < n; i++) dp[o + i] = (dp[o + i] - work[dotAt + i]) * p[o + i] * scale;
    }

    /** x = scale * x + mask row (b, h, i) from key j0, in place (the rounding of the fused softmax kernel). */
    private static void scaleAndMask(float[] x, int o, int cols, Shape g, int b, int h, int i, int j0) {
        FloatVector sv = FloatVector.broadcast(S, g.scale);
        int j = 0;
        if (g.mask == null) {
            for (; j <= cols - VL; j += VL) FloatVector.fromArray(S, x, o + j).mul(sv).intoArray(x, o + j);
            for (; j < cols; j++) x[o + j] *= g.scale;
        } else {
            int m = g.maskRow(b, h, i) + j0;
            for (; j <= cols - VL; j += VL) FloatVector.fromArray(S, x, o + j).fma(sv, FloatVector.fromArray(S, g.mask, m + j)).intoArray(x, o + j);
            for (; j < cols; j++) x[o + j] = Math.fma(x[o + j], g.scale, g.mask[m + j]);
        }
    }

    private static float dot(float[] a, float[] b, int o, int n) {
        FloatVector acc = FloatVector.zero(S);
        int j = 0;
        for (; j <= n - VL; j += VL) acc = FloatVector.fromArray(S, a, o + j).fma(FloatVector.fromArray(S, b, o + j), acc);
        float sum = VecKernels.laneSum(acc);
        for (; j < n; j++) sum = Math.fma(a[o + j], b[o + j], sum);
        return sum;
    }
}
