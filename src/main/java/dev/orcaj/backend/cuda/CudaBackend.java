package dev.orcaj.backend.cuda;

import dev.orcaj.backend.Backend;
import dev.orcaj.backend.BinaryOp;
import dev.orcaj.backend.Layout;
import dev.orcaj.backend.ReduceOp;
import dev.orcaj.backend.UnaryOp;
import dev.orcaj.backend.cpu.CpuBackend;
import dev.orcaj.tensor.DType;
import dev.orcaj.tensor.Shape;
import dev.orcaj.tensor.Tensor;

import java.util.Arrays;

/**
 * F32 ops on one GPU. First version, host-resident tensors: each op uploads the storage span its inputs touch
 * (through pinned staging), runs the kernels of src/main/cuda on the device's stream, and downloads the result
 * into a fresh host tensor. That is correct for every op but pays PCIe both ways per op, so it only wins on large
 * GEMMs; device-resident storage needs engine changes (docs/CUDA.md). Pure data movement (copy, concat, pad) and
 * F64 run on a CpuBackend it delegates to, where a round trip could only be slower. GEMMs use fp32 compute unless
 * {@code -Dorcaj.cuda.tf32=true}.
 */
public final class CudaBackend implements Backend {
    private static final int ROW_BLOCK = 256;
    private final CudaDevice dev;
    private final Backend cpu = new CpuBackend();
    private final Gemm.Mode gemmMode = Boolean.getBoolean("orcaj.cuda.tf32") ? Gemm.Mode.TF32 : Gemm.Mode.FP32;

    public CudaBackend(CudaDevice device) { this.dev = device; }

    public CudaDevice device() { return dev; }

    @Override
    public String name() { return "cuda:" + dev.ordinal; }

    @Override
    public Tensor copy(Tensor a, DType dtype) { return cpu.copy(a, dtype); }

    @Override
    public Tensor concat(Tensor[] parts, int axis) { return cpu.concat(parts, axis); }

    @Override
    public Tensor pad(Tensor a, int[] before, int[] after, double value) { return cpu.pad(a, before, after, value); }

    private static boolean f32(Tensor... ts) {
        for (Tensor t : ts) if (t != null && t.dtype() != DType.F32) return false;
        return true;
    }

    /** The tensor's view on the device: its storage span uploaded, plus the View struct (host copy when not stageable). */
    private record OnDevice(DeviceBuffer buf, int[] view) implements AutoCloseable {
        @Override public void close() { buf.close(); }
    }

    private OnDevice stage(Tensor t) {
        Strided s = Strided.of(t);
        if (s == null) {
            Tensor c = cpu.copy(t, DType.F32);
            return new OnDevice(dev.upload(c.storage().f, 0, c.numel()), Strided.contiguous(c.numel()));
        }
        return new OnDevice(dev.upload(t.storage().f, s.spanStart(), s.spanLength()), s.view());
    }

    /** A contiguous device copy of t's elements in row-major order. */
    DeviceBuffer dense(Tensor t) {
        if (t.isContiguous()) return dev.upload(t.storage().f, t.offset(), t.numel());
        try (OnDevice s = stage(t)) {
            DeviceBuffer out = dev.allocate(4L * t.numel());
            dev.launch(Kernel.STRIDED_COPY, CudaDevice.gridFor(t.numel()), 256, s.view, s.buf, out, t.numel());
            return out;
        }
    }

    private Tensor fetch(DeviceBuffer b, int[] shape) {
        Tensor out = Tensor.empty(DType.F32, shape);
        dev.download(b, out.storage().f, 0, out.numel());
        return out;
    }

    @Override
    public Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        if (!f32(a, b)) return cpu.binary(op, a, b);
        int[] shape = Shape.broadcast(op.name().toLowerCase(), a.shape(), b.shape());
        int n = Shape.numel(shape);
        synchronized (dev) {
            try (DeviceBuffer out = dev.allocate(4L * n)) {
                if (a.isContiguous() && b.isContiguous() && Arrays.equals(a.shape(), shape) && Arrays.equals(b.shape(), shape)) {
                    try (DeviceBuffer da = dense(a); DeviceBuffer db = dense(b)) {
                        dev.launch(Kernel.BINARY_CONTIGUOUS, CudaDevice.gridFor(n), 256, op.ordinal(), da, db, out, n);
                        return fetch(out, shape);
                    }
                }
                try (OnDevice sa = stage(Layout.broadcastTo(a, shape)); OnDevice sb = stage(Layout.broadcastTo(b, shape))) {
                    dev.launch(Kernel.BINARY_STRIDED, CudaDevice.gridFor(n), 256, op.ordinal(), sa.view, sa.buf, sb.view, sb.buf, out, n);
                    return fetch(out, shape);
                }
            }
        }
    }

    @Override
    public Tensor unary(UnaryOp op, Tensor a, double p, double q) {
        if (!f32(a)) return cpu.unary(op, a, p, q);
        int n = a.numel();
        synchronized (dev) {
            try (DeviceBuffer out = dev.allocate(4L * n)) {
                if (op == UnaryOp.GELU || op == UnaryOp.GELU_GRAD) {
                    try (DeviceBuffer x = dense(a)) {
                        if (op == UnaryOp.GELU) dev.launch(Kernel.GELU_FORWARD, CudaDevice.gridFor(n), 256, x, out, n);
                        else dev.launch(Kernel.GELU_BACKWARD, CudaDevice.gridFor(n), 256, x, null, out, n);
                    }
                } else {
                    try (OnDevice s = stage(a)) {
                        dev.launch(Kernel.UNARY_STRIDED, CudaDevice.gridFor(n), 256, op.ordinal(), s.view, s.buf, out, n, (float) p, (float) q);
                    }
                }
                return fetch(out, a.shape());
            }
        }
    }

    @Override
    public Tensor where(Tensor mask, Tensor a, Tensor b) {
        if (!f32(mask, a, b)) return cpu.where(mask, a, b);
        int[] shape = Shape.broadcast("where", Shape.broadcast("where", mask.shape(), a.shape()), b.shape());
        int n = Shape.numel(shape);
        synchronized (dev) {
            try (OnDevice sm = stage(Layout.broadcastTo(mask, shape)); OnDevice sa = stage(Layout.broadcastTo(a, shape));
                 OnDevice sb = stage(Layout.broadcastTo(b, shape)); DeviceBuffer out = dev.allocate(4L * n)) {
                dev.launch(Kernel.WHERE_STRIDED, CudaDevice.gridFor(n), 256, sm.view, sm.buf, sa.view, sa.buf, sb.view, sb.buf, out, n);
                return fetch(out, shape);
            }
        }
    }

    @Override
    public Tensor reduce(ReduceOp op, Tensor a, boolean[] axes) {
        if (!f32(a) || a.rank() > Strided.MAX_RANK) return cpu.reduce(op, a, axes);
        int r = a.rank();
        int[] outShape = a.shape();
        int[] perm = new int[r];
        int j = 0, inner = 1, leading = 0;
        while (leading < r && axes[leading]) leading++;
        boolean prefix = leading > 0 && leading < r;
        for (int i = leading; i < r; i++) if (axes[i]) prefix = false;
        for (int i = 0; i < r; i++) if (!axes[i]) perm[j++] = i;
        for (int i = 0; i < r; i++) if (axes[i]) { perm[j++] = i; inner *= a.shape(i); outShape[i] = 1; }
        int outN = Shape.numel(outShape);
        synchronized (dev) {
            try (DeviceBuffer out = dev.allocate(4L * outN)) {
                if (op == ReduceOp.SUM && prefix && a.isContiguous()) { // bias gradients: sums over leading axes
                    try (DeviceBuffer x = dense(a)) {
                        dev.launch(Kernel.COLUMN_SUMS, CudaDevice.gridFor(outN), 256, x, out, inner, outN);
                    }
                } else { // reduced axes moved last (a view), gathered contiguous on the device, reduced per row
                    int[] sh = a.shape(), st = a.strides(), psh = new int[r], pst = new int[r];
                    for (int i = 0; i < r; i++) { psh[i] = sh[perm[i]]; pst[i] = st[perm[i]]; }
                    try (DeviceBuffer x = dense(new Tensor(a.storage(), psh, pst, a.offset()))) {
                        if (outN > 0) dev.launch(Kernel.REDUCE_ROWS, outN, ROW_BLOCK, op == ReduceOp.SUM ? 0 : 1, x, out, outN, inner);
                    }
                }
                return fetch(out, outShape);
            }
        }
    }

    @Override
    public int[] argmaxLast(Tensor a) {
        if (!f32(a)) return cpu.argmaxLast(a);
        int cols = a.shape(-1), rows = Layout.rows(a);
        if (rows == 0) return new int[0];
        synchronized (dev) {
            try (DeviceBuffer x = dense(a); DeviceBuffer out = dev.allocate(4L * rows)) {
                dev.launch(Kernel.ARGMAX_ROWS, rows, ROW_BLOCK, x, out, rows, cols);
                return dev.downloadInts(out, rows);
            }
        }
    }

    @Override
    public Tensor matmul(Tensor a, Tensor b) {
        if (!f32(a, b)) return cpu.matmul(a, b);
        int[] as = a.shape(), bs = b.shape();
        int r = as.length, m = as[r - 2], k = as[r - 1], n = bs[r - 1];
        int[] outShape = as.clone();
        outShape[r - 1] = n;
        int batch = Shape.numel(Arrays.copyOf(as, r - 2));
        if (m == 0 || n == 0 || batch == 0) return Tensor.zeros(outShape);
        synchronized (dev) {
            try (GemmOperand ga = GemmOperand.of(this, a); GemmOperand gb = GemmOperand.of(this, b);
                 DeviceBuffer out = dev.allocate(4L * batch * m * n)) {
                if (k == 0) dev.zero(out, batch * m * n);
                else dev.gemm().gemmBatched(ga.trans, gb.trans, m, n, k, 1f, ga.buf, ga.ld, ga.batchStride, gb.buf, gb.ld,
                        gb.batchStride, 0f, out, n, (long) m * n, batch, gemmMode);
                return fetch(out, outShape);
            }
        }
    }

    /**
     * A matmul operand on the device in a form cuBLAS takes without copies when possible: the last two axes
     * row-major (ld = row stride) or transposed (column-major), and all batch axes collapsing to one stride
     * (0 for broadcast). Anything else is made contiguous first.
     */
    private record GemmOperand(DeviceBuffer buf, boolean trans, int ld, long batchStride) implements AutoCloseable {
        static GemmOperand of(CudaBackend be, Tensor t) {
            GemmPlan p = GemmPlan.of(t);
            if (p != null) {
                Strided s = Strided.of(t);
                return new GemmOperand(be.dev.upload(t.storage().f, s.spanStart(), s.spanLength()), p.trans(), p.ld(), p.batchStride());
            }
            int rows = t.shape(-2), cols = t.shape(-1);
            return new GemmOperand(be.dense(t), false, Math.max(cols, 1), (long) rows * cols);
        }

        @Override public void close() { buf.close(); }
    }

    /**
     * How cuBLAS can read a matmul operand in place, relative to the start of its storage span: the last two axes
     * row-major (ld = row stride) or transposed (column-major, ld = column stride), and all batch axes collapsing to
     * one stride (0 for broadcast). {@link #of} is null when a copy is needed.
     */
    record GemmPlan(boolean trans, int ld, long batchStride) {
        static GemmPlan of(Tensor t) {
            int r = t.rank();
            int[] sh = t.shape(), st = t.strides();
            int rows = sh[r - 2], cols = sh[r - 1];
            Long bstride = uniformBatchStride(sh, st);
            boolean rowMajor = (st[r - 1] == 1 || cols == 1) && st[r - 2] >= Math.max(cols, 1);
            boolean colMajor = (st[r - 2] == 1 || rows == 1) && st[r - 1] >= Math.max(rows, 1);
            if (bstride == null || Strided.of(t) == null || !(rowMajor || colMajor)) return null;
            int ld = rowMajor ? Math.max(st[r - 2], Math.max(cols, 1)) : Math.max(st[r - 1], Math.max(rows, 1));
            return new GemmPlan(!rowMajor, ld, bstride);
        }

        /** One stride stepping through the flattened batch axes, or null when they do not collapse. */
        private static Long uniformBatchStride(int[] sh, int[] st) {
            long stride = -1;
            for (int d = sh.length - 3; d >= 0; d--) {
                if (sh[d] == 1) continue;
                if (stride < 0) { stride = st[d]; continue; }
                return null; // more than one non-trivial batch axis: only collapse when contiguous (handled by dense)
            }
            return stride < 0 ? 0L : stride;
        }
    }

    @Override
    public Tensor softmax(Tensor a, boolean log) {
        if (!f32(a)) return cpu.softmax(a, log);
        int cols = a.shape(-1), rows = Layout.rows(a);
        synchronized (dev) {
            try (DeviceBuffer x = dense(a); DeviceBuffer y = dev.allocate(4L * a.numel())) {
                if (rows > 0) dev.launch(Kernel.SOFTMAX_ROWS, rows, ROW_BLOCK, x, y, rows, cols, log ? 1 : 0);
                return fetch(y, a.shape());
            }
        }
    }

    @Override
    public Tensor softmaxBackward(Tensor y, Tensor dy, boolean log) {
        if (!f32(y, dy)) return cpu.softmaxBackward(y, dy, log);
        int cols = y.shape(-1), rows = Layout.rows(y);
        synchronized (dev) {
            try (DeviceBuffer yd = dense(y); DeviceBuffer g = dense(dy); DeviceBuffer dx = dev.allocate(4L * y.numel())) {
                if (rows > 0) dev.launch(Kernel.SOFTMAX_BACKWARD_ROWS, rows, ROW_BLOCK, yd, g, dx, rows, cols, log ? 1 : 0);
                return fetch(dx, y.shape());
            }
        }
    }

    @Override
    public Tensor geluBackward(Tensor x, Tensor dy) {
        if (!f32(x, dy)) return cpu.geluBackward(x, dy);
        return binary(BinaryOp.MUL, dy, unary(UnaryOp.GELU_GRAD, x, 0, 0));
    }

    /** Composed from this backend's scale, add and softmax kernels (no fused device kernel yet). */
    @Override
    public Tensor scaledMaskedSoftmax(Tensor a, double scale, Tensor mask) {
        if (!f32(a, mask)) return cpu.scaledMaskedSoftmax(a, scale, mask);
        Tensor scores = unary(UnaryOp.AFFINE, a, scale, 0);
        return softmax(mask == null ? scores : binary(BinaryOp.ADD, scores, mask), false);
    }

    @Override
    public Tensor scaledSoftmaxBackward(Tensor y, Tensor dy, double scale) {
        if (!f32(y, dy)) return cpu.scaledSoftmaxBackward(y, dy, scale);
        return unary(UnaryOp.AFFINE, softmaxBackward(y, dy, false), scale, 0);
    }

    @Override
    public Tensor[] layerNorm(Tensor x, Tensor gamma, Tensor beta, double eps) {
        if (!f32(x, gamma, beta)) return cpu.layerNorm(x, gamma, beta, eps);
        int cols = x.shape(-1), rows = Layout.rows(x);
        int[] rowShape = x.shape();
        rowShape[rowShape.length - 1] = 1;
        synchronized (dev) {
            try (DeviceBuffer xd = dense(x); DeviceBuffer g = gamma == null ? null : dense(gamma); DeviceBuffer b = beta == null ? null : dense(beta);
                 DeviceBuffer y = dev.allocate(4L * x.numel()); DeviceBuffer mean = dev.allocate(4L * rows); DeviceBuffer rstd = dev.allocate(4L * rows)) {
                if (rows > 0) dev.launch(Kernel.LAYERNORM_FORWARD, rows, ROW_BLOCK, xd, g, b, y, mean, rstd, rows, cols, (float) eps);
                return new Tensor[] {fetch(y, x.shape()), fetch(mean, rowShape), fetch(rstd, rowShape)};
            }
        }
    }

    @Override
    public Tensor[] layerNormBackward(Tensor dy, Tensor x, Tensor gamma, Tensor mean, Tensor rstd) {
        if (!f32(dy, x, gamma, mean, rstd)) return cpu.layerNormBackward(dy, x, gamma, mean, rstd);
        int cols = x.shape(-1), rows = Layout.rows(x);
        synchronized (dev) {
            try (DeviceBuffer g = dense(dy); DeviceBuffer xd = dense(x); DeviceBuffer gm = gamma == null ? null : dense(gamma);
                 DeviceBuffer mu = dense(mean); DeviceBuffer rs = dense(rstd); DeviceBuffer dx = dev.allocate(4L * x.numel());
                 DeviceBuffer dg = dev.allocate(4L * cols); DeviceBuffer db = dev.allocate(4L * cols)) {
                if (rows > 0) dev.launch(Kernel.LAYERNORM_BACKWARD_DX, rows, ROW_BLOCK, g, xd, gm, mu, rs, dx, rows, cols);
                if (gamma == null) return new Tensor[] {fetch(dx, x.shape()), null, null};
                dev.launch(Kernel.LAYERNORM_BACKWARD_PARAMS, CudaDevice.gridFor(cols), 256, g, xd, mu, rs, dg, db, rows, cols);
                return new Tensor[] {fetch(dx, x.shape()), fetch(dg, new int[] {cols}), fetch(db, new int[] {cols})};
            }
        }
    }

    @Override
    public Tensor indexSelect(Tensor table, int[] ids) {
        if (!f32(table)) return cpu.indexSelect(table, ids);
        int rows = table.shape(0), width = rows == 0 ? 0 : table.numel() / rows;
        for (int id : ids) if (id < 0 || id >= rows) throw new IndexOutOfBoundsException("indexSelect: index " + id + " out of range [0, " + rows + ")");
        int[] outShape = table.shape();
        outShape[0] = ids.length;
        int n = ids.length * width;
        synchronized (dev) {
            try (DeviceBuffer t = dense(table); DeviceBuffer id = dev.upload(ids); DeviceBuffer out = dev.allocate(4L * n)) {
                if (n > 0) dev.launch(Kernel.INDEX_SELECT_ROWS, CudaDevice.gridFor(n), 256, t, id, out, ids.length, width);
                return fetch(out, outShape);
            }
        }
    }

    @Override
    public Tensor indexAdd(Tensor g, int[] ids, int rows) {
        if (!f32(g)) return cpu.indexAdd(g, ids, rows);
        int width = ids.length == 0 ? 0 : g.numel() / ids.length;
        for (int id : ids) if (id < 0 || id >= rows) throw new IndexOutOfBoundsException("indexAdd: index " + id + " out of range [0, " + rows + ")");
        int[] outShape = g.shape();
        outShape[0] = rows;
        int n = Shape.numel(outShape);
        synchronized (dev) {
            try (DeviceBuffer gd = dense(g); DeviceBuffer id = dev.upload(ids); DeviceBuffer out = dev.allocate(4L * n)) {
                dev.zero(out, n);
                if (ids.length * width > 0) dev.launch(Kernel.INDEX_ADD_ROWS, CudaDevice.gridFor((long) ids.length * width), 256, gd, id, out, ids.length, width);
                return fetch(out, outShape);
            }
        }
    }

    @Override
    public Tensor gatherLast(Tensor a, int[] idx) {
        if (!f32(a)) return cpu.gatherLast(a, idx);
        int cols = a.shape(-1), rows = Layout.rows(a);
        for (int r = 0; r < rows; r++) {
            if (idx[r] < 0 || idx[r] >= cols) throw new IndexOutOfBoundsException("gather: index " + idx[r] + " out of range [0, " + cols + ") at row " + r);
        }
        synchronized (dev) {
            try (DeviceBuffer x = dense(a); DeviceBuffer id = dev.upload(idx); DeviceBuffer out = dev.allocate(4L * rows)) {
                if (rows > 0) dev.launch(Kernel.GATHER_LAST, CudaDevice.gridFor(rows), 256, x, id, out, rows, cols);
                return fetch(out, Arrays.copyOf(a.shape(), a.rank() - 1));
            }
        }
    }

    @Override
    public Tensor scatterLast(Tensor g, int[] idx, int cols) {
        if (!f32(g)) return cpu.scatterLast(g, idx, cols);
        int[] gs = g.shape();
        int[] outShape = Arrays.copyOf(gs, gs.length + 1);
        outShape[gs.length] = cols;
        int rows = idx.length, n = Shape.numel(outShape);
        for (int r = 0; r < rows; r++) {
            if (idx[r] < 0 || idx[r] >= cols) throw new IndexOutOfBoundsException("scatter: index " + idx[r] + " out of range [0, " + cols + ") at row " + r);
        }
        synchronized (dev) {
            try (DeviceBuffer gd = dense(g); DeviceBuffer id = dev.upload(idx); DeviceBuffer out = dev.allocate(4L * n)) {
                dev.zero(out, n);
                if (rows > 0) dev.launch(Kernel.SCATTER_LAST, CudaDevice.gridFor(rows), 256, gd, id, out, rows, cols);
                return fetch(out, outShape);
            }
        }
    }
}
