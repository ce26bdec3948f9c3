package dev.orcaj.backend.cpu;

import dev.orcaj.backend.BinaryOp;
import dev.orcaj.backend.Layout;
import dev.orcaj.backend.ReduceOp;
import dev.orcaj.backend.UnaryOp;
import dev.orcaj.backend.ref.RefBackend;
import dev.orcaj.tensor.DType;
import dev.orcaj.tensor.Shape;
import dev.orcaj.tensor.Tensor;

/**
 * The fast F32 CPU backend: packed Vector-API GEMM, vectorized row kernels (softmax, layer norm, GELU) and
 * stride-aware elementwise loops, parallel over {@link CpuPool}. Anything without a fast path (and all F64 work)
 * falls back to the reference loops it extends: correct, only slower. Tests compare every path with
 * {@link RefBackend}.
 */
public final class CpuBackend extends RefBackend {
    @Override
    public String name() { return "cpu"; }

    private static boolean f32(Tensor... ts) {
        for (Tensor t : ts) if (t != null && t.dtype() != DType.F32) return false;
        return true;
    }

    /** Data of a contiguous F32 tensor starting at index 0 (copies when needed). */
    private static float[] dense(Tensor t) {
        if (t.isContiguous() && t.offset() == 0 && t.storage().length() == t.numel()) return t.storage().readF();
        return StridedLoops.copy(t).storage().f();
    }

    @Override
    public Tensor copy(Tensor a, DType dtype) {
        if (dtype == DType.F32 && f32(a)) return StridedLoops.copy(a);
        return super.copy(a, dtype);
    }

    @Override
    public Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        if (!f32(a, b)) return super.binary(op, a, b);
        int[] shape = Shape.broadcast(op.name().toLowerCase(), a.shape(), b.shape());
        return StridedLoops.binary(op, Layout.broadcastTo(a, shape), Layout.broadcastTo(b, shape));
    }

    @Override
    public Tensor unary(UnaryOp op, Tensor a, double p, double q) {
        if (!f32(a)) return super.unary(op, a, p, q);
        float[] x = dense(a);
        Tensor out = Tensor.empty(DType.F32, a.shape());
        float[] y = out.storage().f();
        int n = y.length;
        switch (op) {
            case GELU -> VecKernels.gelu(x, y, n);
            case EXP -> VecKernels.exp(x, y, n);
            case GELU_GRAD -> { // the derivative is the fused backward kernel applied to a unit upstream gradient
                float[] ones = new float[n];
                java.util.Arrays.fill(ones, 1f);
                VecKernels.geluBackward(x, ones, y, n);
            }
            case AFFINE -> {
                float s = (float) p, c = (float) q;
                CpuPool.parallelFor(0, n, 1 << 15, (lo, hi) -> { for (int i = lo; i < hi; i++) y[i] = s * x[i] + c; });
            }
            default -> CpuPool.parallelFor(0, n, 1 << 13, (lo, hi) -> { for (int i = lo; i < hi; i++) y[i] = (float) op.apply(x[i], p, q); });
        }
        return out;
    }

    @Override
    public Tensor reduce(ReduceOp op, Tensor a, boolean[] axes) {
        if (!f32(a)) return super.reduce(op, a, axes);
        int r = a.rank();
        if (op == ReduceOp.SUM && a.isContiguous() && isLeadingPrefix(axes)) return columnSums(a, axes);
        // Move reduced axes last (a view), make it contiguous, reduce rows: one code path for any axis set.
        int[] perm = new int[r];
        int j = 0, inner = 1;
        int[] outShape = a.shape();
        for (int i = 0; i < r; i++) if (!axes[i]) perm[j++] = i;
        for (int i = 0; i < r; i++) if (axes[i]) { perm[j++] = i; inner *= a.shape(i); outShape[i] = 1; }
        Tensor moved = new Tensor(a.storage(), permuted(a.shape(), perm), permuted(a.strides(), perm), a.offset());
        float[] x = dense(moved);
        Tensor out = Tensor.empty(DType.F32, outShape);
        float[] y = out.storage().f();
        int rows = y.length, cols = inner;
        CpuPool.parallelFor(0, rows, Math.max(1, (1 << 14) / Math.max(cols, 1)), (lo, hi) -> {
            for (int row = lo; row < hi; row++) {
                int base = row * cols;
                if (op == ReduceOp.SUM) {
                    y[row] = (float) VecKernels.sum(x, base, cols);
                } else {
                    float m = Float.NEGATIVE_INFINITY;
                    for (int c = 0; c < cols; c++) { float v = x[base + c]; if (v > m || Float.isNaN(v)) m = v; }
                    y[row] = m;
                }
            }
        });
        return out;
    }

    private static boolean isLeadingPrefix(boolean[] axes) {
        int i = 0;
        while (i < axes.length && axes[i]) i++;
        for (int j = i; j < axes.length; j++) if (axes[j]) return false;
        return i > 0 && i < axes.length;
    }

    /**
     * Sum over leading axes of a contiguous tensor (bias gradients: [B, S, D] -> [D]) without transposing: rows are
     * added into per-column accumulators in a fixed order, columns split over the pool.
     */
    private static Tensor columnSums(Tensor a, boolean[] axes) {
        int[] outShape = a.shape();
        int reduced = 1;
        for (int i = 0; i < axes.length; i++) if (axes[i]) { reduced *= outShape[i]; outShape[i] = 1; }
        int rows = reduced;
        Tensor out = Tensor.empty(DType.F32, outShape);
        float[] x = a.storage().readF(), y = out.storage().f();
        int cols = y.length, off = a.offset();
        CpuPool.parallelFor(0, cols, 256, (lo, hi) -> {
            double[] acc = new double[hi - lo];
            for (int row = 0; row < rows; row++) {
                int base = off + row * cols;
                for (int c = lo; c < hi; c++) acc[c - lo] += x[base + c];
            }
            for (int c = lo; c < hi; c++) y[c] = (float) acc[c - lo];
        });
        return out;
    }

    private static int[] permuted(int[] v, int[] perm) {
        int[] o = new int[v.length];
        for (int i = 0; i < v.length; i++) o[i] = v[perm[i]];
        return o;
    }

    @Override
    public Tensor matmul(Tensor a, Tensor b) {
        if (!f32(a, b)) return super.matmul(a, b);
        return MatmulDispatch.matmul(a, b);
    }

    @Override
    public Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        if (!f32(x, weight, bias)) return super.linear(x, weight, bias);
        return MatmulDispatch.linear(x, weight, bias == null ? null : dense(bias));
    }

    @Override
    public Tensor softmax(Tensor a, boolean log) {
        if (!f32(a)) return super.softmax(a, log);
        float[] x = dense(a);
        Tensor out = Tensor.empty(DType.F32, a.shape());
        int cols = a.shape(-1), rows = Layout.rows(a);
        if (log) VecKernels.logSoftmaxRows(x, 0, out.storage().f(), 0, rows, cols);
        else VecKernels.softmaxRows(x, 0, out.storage().f(), 0, rows, cols);
        return out;
    }

    @Override
    public Tensor softmaxBackward(Tensor y, Tensor dy, boolean log) {
        if (!f32(y, dy)) return super.softmaxBackward(y, dy, log);
        Tensor dx = Tensor.empty(DType.F32, y.shape());
        int cols = y.shape(-1), rows = Layout.rows(y);
        if (log) VecKernels.logSoftmaxBackwardRows(dense(y), dense(dy), dx.storage().f(), rows, cols);
        else VecKernels.softmaxBackwardRows(dense(y), dense(dy), dx.storage().f(), rows, cols);
        return dx;
    }

    @Override
    public Tensor geluBackward(Tensor x, Tensor dy) {
        if (!f32(x, dy)) return super.geluBackward(x, dy);
        Tensor dx = Tensor.empty(DType.F32, x.shape());
        VecKernels.geluBackward(dense(x), dense(dy), dx.storage().f(), dx.numel());
        return dx;
    }

    @Override
    public Tensor scaledMaskedSoftmax(Tensor a, double scale, Tensor mask) {
        if (!f32(a, mask)) return super.scaledMaskedSoftmax(a, scale, mask);
        int cols = a.shape(-1), rows = Layout.rows(a);
        Tensor out = Tensor.empty(DType.F32, a.shape());
        float[] m = null;
        int[] maskRows = null;
        if (mask != null) {
            // the mask stays in its broadcast form ([B, 1, 1, S] against [B, H, S, S]): one offset per row
            Tensor mv = Layout.broadcastTo(mask, a.shape());
            if (cols > 1 && mv.strides()[mv.rank() - 1] != 1) mv = StridedLoops.copy(mv);
            int[] rowShape = java.util.Arrays.copyOf(mv.shape(), mv.rank() - 1), rowStrides = java.util.Arrays.copyOf(mv.strides(), mv.rank() - 1);
            maskRows = Layout.offsets(new Tensor(null, rowShape, rowStrides, mv.offset()));
            m = mv.storage().readF();
        }
        VecKernels.scaledMaskedSoftmaxRows(dense(a), (float) scale, m, maskRows, out.storage().f(), rows, cols);
        return out;
    }

    @Override
    public Tensor scaledSoftmaxBackward(Tensor y, Tensor dy, double scale) {
        if (!f32(y, dy)) return super.scaledSoftmaxBackward(y, dy, scale);
        Tensor dx = Tensor.empty(DType.F32, y.shape());
        VecKernels.softmaxBackwardRows(dense(y), dense(dy), dx.storage().f(), Layout.rows(y), y.shape(-1), (float) scale);
        return dx;
    }

    @Override
    public Tensor[] attention(Tensor q, Tensor k, Tensor v, int heads, double scale, Tensor mask) {
        if (!f32(q, k, v, mask)) return super.attention(q, k, v, heads, scale, mask);
        FlashAttention.Shape g = attentionShape(q, k, heads, scale, mask);
        Tensor out = Tensor.empty(DType.F32, q.shape()), rowStats = Tensor.empty(DType.F32, g.batch(), heads, g.sq(), 2);
        FlashAttention.forward(g, dense(q), dense(k), dense(v), out.storage().f(), rowStats.storage().f());
        return new Tensor[] {out, rowStats};
    }

    @Override
    public Tensor[] attentionBackward(Tensor q, Tensor k, Tensor v, int heads, double scale, Tensor mask, Tensor out, Tensor saved, Tensor dOut) {
        if (!f32(q, k, v, mask, out, dOut) || saved == null) return super.attentionBackward(q, k, v, heads, scale, mask, out, saved, dOut);
        FlashAttention.Shape g = attentionShape(q, k, heads, scale, mask);
        Tensor dq = Tensor.empty(DType.F32, q.shape()), dk = Tensor.empty(DType.F32, k.shape()), dv = Tensor.empty(DType.F32, v.shape());
        FlashAttention.backward(g, dense(q), dense(k), dense(v), dense(out), dense(saved), dense(dOut), dq.storage().f(), dk.storage().f(), dv.storage().f());
        return new Tensor[] {dq, dk, dv};
    }

    /** The kernel's geometry; the mask is read in its broadcast form ([B, 1, 1, Sk]: one row per batch entry). */
    private static FlashAttention.Shape attentionShape(Tensor q, Tensor k, int heads, double scale, Tensor mask) {
        int b = q.shape(0), sq = q.shape(1), sk = k.shape(1), hd = q.shape(2) / heads;
        if (mask == null) return new FlashAttention.Shape(b, heads, sq, sk, hd, (float) scale, null, 0, 0, 0, 0);
        Tensor m = Layout.broadcastTo(mask, new int[] {b, heads, sq, sk});
        if (sk > 1 && m.strides()[3] != 1) m = Layout.broadcastTo(StridedLoops.copy(m), m.shape());
        int[] st = m.strides();
        return new FlashAttention.Shape(b, heads, sq, sk, hd, (float) scale, m.storage().readF(), m.offset(), st[0], st[1], st[2]);
    }

    @Override
    public Tensor[] layerNorm(Tensor x, Tensor gamma, Tensor beta, double eps) {
        if (!f32(x, gamma, beta)) return super.layerNorm(x, gamma, beta, eps);
        int cols = x.shape(-1), rows = Layout.rows(x);
        int[] rowShape = x.shape();
        rowShape[rowShape.length - 1] = 1;
        Tensor y = Tensor.empty(DType.F32, x.shape()), mean = Tensor.empty(DType.F32, rowShape), rstd = Tensor.empty(DType.F32, rowShape);
        VecKernels.layerNormRows(dense(x), gamma == null ? null : dense(gamma), beta == null ? null : dense(beta), (float) eps,
                y.storage().f(), mean.storage().f(), rstd.storage().f(), rows, cols);
        return new Tensor[] {y, mean, rstd};
    }

    @Override
    public Tensor[] layerNormBackward(Tensor dy, Tensor x, Tensor gamma, Tensor mean, Tensor rstd) {
        if (!f32(dy, x, gamma, mean, rstd)) return super.layerNormBackward(dy, x, gamma, mean, rstd);
        int cols = x.shape(-1), rows = Layout.rows(x);
        Tensor dx = Tensor.empty(DType.F32, x.shape());
        Tensor dg = gamma == null ? null : Tensor.zeros(cols), db = gamma == null ? null : Tensor.zeros(cols);
        VecKernels.layerNormBackwardRows(dense(dy), dense(x), gamma == null ? null : dense(gamma), dense(mean), dense(rstd),
                dx.storage().f(), dg == null ? null : dg.storage().f(), db == null ? null : db.storage().f(), rows, cols);
        return new Tensor[] {dx, dg, db};
    }

    @Override
    public Tensor indexSelect(Tensor table, int[] ids) {
        if (!f32(table)) return super.indexSelect(table, ids);
        int rows = table.shape(0), width = rows == 0 ? 0 : table.numel() / rows;
        float[] src = dense(table);
        int[] outShape = table.shape();
        outShape[0] = ids.length;
        Tensor out = Tensor.empty(DType.F32, outShape);
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= rows) throw new IndexOutOfBoundsException("indexSelect: index " + ids[i] + " out of range [0, " + rows + ")");
            System.arraycopy(src, ids[i] * width, out.storage().f(), i * width, width);
        }
        return out;
    }

    @Override
    public Tensor indexAdd(Tensor g, int[] ids, int rows) {
        if (!f32(g)) return super.indexAdd(g, ids, rows);
        int width = ids.length == 0 ? 0 : g.numel() / ids.length;
        float[] src = dense(g);
        int[] outShape = g.shape();
        outShape[0] = rows;
        Tensor out = Tensor.empty(DType.F32, outShape);
        float[] o = out.storage().f();
        for (int i = 0; i < ids.length; i++) {
            int ob = ids[i] * width, sb = i * width;
            for (int c = 0; c < width; c++) o[ob + c] += src[sb + c];
        }
        return out;
    }
}
