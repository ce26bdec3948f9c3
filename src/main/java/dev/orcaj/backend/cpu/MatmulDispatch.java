package dev.orcaj.backend.cpu;

import dev.orcaj.backend.Layout;
import dev.orcaj.tensor.DType;
import dev.orcaj.tensor.Tensor;

/**
 * Maps a (batched, possibly transposed or broadcast) F32 matmul onto {@link Sgemm} without copying operands:
 * a unit stride on the last axis means "no transpose" with lda = stride[-2], a unit stride on the second-to-last
 * means "transpose"; only other layouts are copied. A weight shared across the batch (stride-0 batch axes) with a
 * row-major activation collapses into a single large GEMM, which is the common case of a Linear layer.
 */
final class MatmulDispatch {
    private MatmulDispatch() {}

    /** How one operand's last two axes are read by GEMM. */
    private record Operand(float[] data, int offset, boolean trans, int ld, int[] batchStrides) {
        static Operand of(Tensor t) {
            int r = t.rank();
            int[] st = t.strides(), sh = t.shape();
            int rows = sh[r - 2], cols = sh[r - 1];
            int sRow = rows == 1 ? Math.max(cols, 1) : st[r - 2], sCol = cols == 1 ? 1 : st[r - 1];
            if (sCol == 1 && sRow >= cols) return new Operand(t.storage().readF(), t.offset(), false, sRow, java.util.Arrays.copyOf(st, r - 2));
            int sColT = cols == 1 ? Math.max(rows, 1) : st[r - 1], sRowT = rows == 1 ? 1 : st[r - 2];
            if (sRowT == 1 && sColT >= rows) return new Operand(t.storage().readF(), t.offset(), true, sColT, java.util.Arrays.copyOf(st, r - 2));
            Tensor c = StridedLoops.copy(t);
            return new Operand(c.storage().readF(), 0, false, cols, java.util.Arrays.copyOf(c.strides(), r - 2));
        }
    }

    static Tensor matmul(Tensor a, Tensor b) {
        int[] as = a.shape(), bs = b.shape();
        int r = as.length, m = as[r - 2], k = as[r - 1], n = bs[r - 1];
        int[] outShape = as.clone();
        outShape[r - 1] = n;
        Tensor out = Tensor.empty(DType.F32, outShape);
        if (out.numel() == 0) return out;
        float[] c = out.storage().f();
        int batch = out.numel() / (m * n);
        if (k == 0) return out;
        Operand oa = Operand.of(a), ob = Operand.of(b);
        if (batch > 1 && !oa.trans && allZero(ob.batchStrides) && rowsCollapse(a, oa.ld)) {
            Sgemm.sgemm(false, ob.trans, batch * m, n, k, 1f, oa.data, oa.offset, oa.ld, ob.data, ob.offset, ob.ld, 0f, c, 0, n);
            return out;
        }
        int[] batchShape = java.util.Arrays.copyOf(as, r - 2);
        int[] offA = batchOffsets(batchShape, oa.batchStrides), offB = batchOffsets(batchShape, ob.batchStrides);
        CpuPool.parallelFor(0, batch, 1, (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                Sgemm.sgemm(oa.trans, ob.trans, m, n, k, 1f, oa.data, oa.offset + offA[i], oa.ld, ob.data, ob.offset + offB[i], ob.ld, 0f, c, i * m * n, n);
            }
        });
        return out;
    }

    /**
     * y = x weight^T + bias as one GEMM over all rows of x: C starts as the bias rows and GEMM accumulates onto it
     * (beta = 1), so the bias costs no pass and no tensor of its own. Each element is rounded as in matmul-then-add.
     */
    static Tensor linear(Tensor x, Tensor weight, float[] bias) {
        int k = x.shape(-1), n = weight.shape(0);
        int[] outShape = x.shape();
        outShape[outShape.length - 1] = n;
        Tensor out = Tensor.empty(DType.F32, outShape);
        if (out.numel() == 0) return out;
        float[] c = out.storage().f();
        int rows = out.numel() / n;
        if (bias != null) for (int r = 0; r < rows; r++) System.arraycopy(bias, 0, c, r * n, n);
        if (k == 0) return out;
        Tensor x2 = x.rank() >= 2 ? x : new Tensor(x.storage(), new int[] {1, k}, new int[] {k, x.strides()[0]}, x.offset());
        Operand ox = Operand.of(x2);
        if (ox.trans || !rowsCollapse(x2, ox.ld)) {
            x2 = StridedLoops.copy(x2);
            ox = Operand.of(x2);
        }
        int[] ws = weight.strides();
        Operand ow = Operand.of(new Tensor(weight.storage(), new int[] {k, n}, new int[] {ws[1], ws[0]}, weight.offset()));
        Sgemm.sgemm(false, ow.trans, rows, n, k, 1f, ox.data, ox.offset, ox.ld, ow.data, ow.offset, ow.ld, bias == null ? 0f : 1f, c, 0, n);
        return out;
    }

    private static boolean allZero(int[] v) {
        for (int x : v) if (x != 0) return false;
        return true;
    }

    /** True when the batch axes and the row axis of a non-transposed operand form one row sequence of stride ld. */
    private static boolean rowsCollapse(Tensor a, int ld) {
        int[] sh = a.shape(), st = a.strides();
        int expected = ld * sh[sh.length - 2];
        for (int d = sh.length - 3; d >= 0; d--) {
            if (sh[d] != 1 && st[d] != expected) return false;
            expected *= sh[d];
        }
        return true;
    }

    private static int[] batchOffsets(int[] batchShape, int[] strides) {
        Tensor view = new Tensor(null, batchShape, strides, 0);
        return Layout.offsets(view);
    }
}
