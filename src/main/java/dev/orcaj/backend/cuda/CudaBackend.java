package dev.orcaj.backend.cuda;

import dev.orcaj.backend.Backend;
import dev.orcaj.backend.BinaryOp;
import dev.orcaj.backend.Layout;
import dev.orcaj.backend.ReduceOp;
import dev.orcaj.backend.UnaryOp;
import dev.orcaj.backend.cpu.CpuBackend;
import dev.orcaj.tensor.DType;
import dev.orcaj.tensor.Device;
import dev.orcaj.tensor.DeviceMemory;
import dev.orcaj.tensor.Shape;
import dev.orcaj.tensor.Storage;
import dev.orcaj.tensor.Tensor;

import java.util.Arrays;

/**
 * F32 ops on one GPU, on device-resident tensors (docs/CUDA.md): results stay on the device as storages backed by
 * {@link CudaMemory} (a host mirror is downloaded only when host code reads them), inputs resident here are used in
 * place, and host inputs are uploaded once per op (only the storage span a view touches). The backend is also the
 * {@link Device} its tensors live on, so {@link dev.orcaj.backend.Backends} routes every op with a resident operand
 * here. F64 runs on a CpuBackend it delegates to. GEMMs use fp32 compute unless {@code -Dorcaj.cuda.tf32=true}.
 */
public final class CudaBackend implements Backend, Device {
    private static final int ROW_BLOCK = 256;
    private final CudaDevice dev;
    private final Backend cpu = new CpuBackend();
    private final Gemm.Mode gemmMode = Boolean.getBoolean("orcaj.cuda.tf32") ? Gemm.Mode.TF32 : Gemm.Mode.FP32;

    public CudaBackend(CudaDevice device) { this.dev = device; }

    public CudaDevice device() { return dev; }

    @Override
    public String name() { return "cuda:" + dev.ordinal; }

    @Override
    public String toString() { return name(); }

    @Override
    public DeviceMemory allocateCopy(float[] src, int off, int n) { return new CudaMemory(this, dev.upload(src, off, n), n); }

    @Override
    public DeviceMemory allocateZeros(int n) {
        synchronized (dev) {
            DeviceBuffer b = dev.allocate(4L * n);
            dev.zero(b, n);
            return new CudaMemory(this, b, n);
        }
    }

    /**
     * Threads per block of the one-block-per-row kernels: the smallest power of two >= the row length, from one
     * warp up to ROW_BLOCK (a 2-class logit row or a 16-wide LayerNorm row leaves no 224 threads idle; the kernels
     * loop over any row length with any power-of-two block, argmax_rows' tree needs the power of two).
     */
    static int rowBlock(int cols) {
        int b = 32;
        while (b < cols && b < ROW_BLOCK) b <<= 1;
        return b;
    }

    private static boolean f32(Tensor... ts) {
        for (Tensor t : ts) if (t != null && t.dtype() != DType.F32) return false;
        return true;
    }

    /**
     * An operand on the device: a buffer and the kernel View of the tensor in it. {@code owned} buffers are
     * temporaries (an upload of a host tensor, a gathered copy) released on close; borrowed ones are slices of a
     * resident storage's buffer.
     */
    private record Operand(DeviceBuffer buf, int[] view, boolean owned) implements AutoCloseable {
        @Override public void close() { if (owned) buf.close(); }
    }

    /** The device buffer of t's storage when it lives on this device (host writes uploaded first), else null. */
    private DeviceBuffer resident(Tensor t) {
        DeviceMemory m = t.storage().deviceMemory(this);
        return m == null ? null : ((CudaMemory) m).buffer;
    }

    /** t's view on the device: its storage span (borrowed when resident, else uploaded) and the View relative to the span. */
    private Operand stage(Tensor t) {
        Strided s = Strided.of(t);
        if (s == null) { // negative strides or rank > 8: gathered on the host
            Tensor c = cpu.copy(t, DType.F32);
            return new Operand(dev.upload(c.storage().readF(), 0, c.numel()), Strided.contiguous(c.numel()), true);
        }
        DeviceBuffer r = resident(t);
        if (r != null) return new Operand(r.slice(4L * s.spanStart()), s.view(), false);
        return new Operand(dev.upload(t.storage().readF(), s.spanStart(), s.spanLength()), s.view(), true);
    }

    /** t's elements contiguous in row-major order on the device (in place when t is a contiguous resident view). */
    private Operand dense(Tensor t) {
        int n = t.numel();
        if (t.isContiguous()) {
            DeviceBuffer r = resident(t);
            if (r != null) return new Operand(r.slice(4L * t.offset()), Strided.contiguous(n), false);
            return new Operand(dev.upload(t.storage().readF(), t.offset(), n), Strided.contiguous(n), true);
        }
        return new Operand(gathered(t), Strided.contiguous(n), true);
    }

    /** A fresh contiguous device copy of t. */
    private DeviceBuffer gathered(Tensor t) {
        int n = t.numel();
        try (Operand s = stage(t)) {
            DeviceBuffer out = dev.allocate(4L * n);
            if (n > 0) dev.launch(Kernel.STRIDED_COPY, CudaDevice.gridFor(n), 256, s.view, s.buf, out, n);
            return out;
        }
    }

    /** A tensor of this device over {@code out} (the op's fresh result; no transfer). */
    private Tensor result(DeviceBuffer out, int[] shape) {
        int n = Shape.numel(shape);
        return new Tensor(Storage.onDevice(new CudaMemory(this, out, n), n), shape, Shape.contiguousStrides(shape), 0);
    }

    @Override
    public Tensor copy(Tensor a, DType dtype) {
        if (dtype != DType.F32 || a.dtype() != DType.F32) return cpu.copy(a, dtype);
        synchronized (dev) {
            return result(gathered(a), a.shape());
        }
    }

    /** Constant fill of the output, then the input written into its interior view (strided_scatter). */
    @Override
    public Tensor pad(Tensor a, int[] before, int[] after, double value) {
        if (!f32(a)) return cpu.pad(a, before, after, value);
        int[] outShape = a.shape();
        for (int i = 0; i < outShape.length; i++) outShape[i] += before[i] + after[i];
        int[] st = Shape.contiguousStrides(outShape);
        int offset = 0;
        for (int i = 0; i < st.length; i++) offset += before[i] * st[i];
        int n = Shape.numel(outShape);
        synchronized (dev) {
            DeviceBuffer out = dev.allocate(4L * n);
            if (n > 0) dev.launch(Kernel.FILL, CudaDevice.gridFor(n), 256, out, n, (float) value);
            scatterInto(a, Strided.view(a.shape(), st, offset), out);
            return result(out, outShape);
        }
    }

    /** Each part written into its slice of the output along the axis (strided_scatter). */
    @Override
    public Tensor concat(Tensor[] parts, int axis) {
        if (!f32(parts)) return cpu.concat(parts, axis);
        int[] outShape = parts[0].shape();
        outShape[axis] = 0;
        for (Tensor p : parts) outShape[axis] += p.shape(axis);
        int[] st = Shape.contiguousStrides(outShape);
        synchronized (dev) {
            DeviceBuffer out = dev.allocate(4L * Shape.numel(outShape));
            int start = 0;
            for (Tensor p : parts) {
                scatterInto(p, Strided.view(p.shape(), st, start * st[axis]), out);
                start += p.shape(axis);
            }
            return result(out, outShape);
        }
    }

    private void scatterInto(Tensor src, int[] view, DeviceBuffer out) {
        int n = src.numel();
        if (n == 0) return;
        try (Operand s = dense(src)) {
            dev.launch(Kernel.STRIDED_SCATTER, CudaDevice.gridFor(n), 256, view, s.buf, out, n);
        }
    }

    /** The linear layer's GEMM straight on x's rows when x is contiguous (the interface default copies x first). */
    @Override
    public Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        if (!x.isContiguous() || !f32(x, weight, bias)) return Backend.super.linear(x, weight, bias);
        int k = x.shape(-1), n = weight.shape(0);
        int[] outShape = x.shape();
        outShape[outShape.length - 1] = n;
        Tensor rows = new Tensor(x.storage(), new int[] {x.numel() / Math.max(k, 1), k}, new int[] {k, 1}, x.offset());
        Tensor wt = new Tensor(weight.storage(), new int[] {k, n}, new int[] {weight.strides()[1], weight.strides()[0]}, weight.offset());
        Tensor y = matmul(rows, wt);
        if (bias != null) y = binary(BinaryOp.ADD, y, bias);
        return new Tensor(y.storage(), outShape, Shape.contiguousStrides(outShape), y.offset());
    }

    /** cross_entropy_forward (per-row weighted losses), cross_entropy_backward (the gradient), one row sum. */
    @Override
    public Tensor[] crossEntropy(Tensor logits, int[] labels, double[] classWeights, int ignoreIndex, double weightSum) {
        int rows = logits.shape(0), k = logits.shape(1);
        float[] w = null;
        if (classWeights != null) {
            w = new float[k];
            for (int c = 0; c < k; c++) w[c] = (float) classWeights[c];
        }
        synchronized (dev) {
            try (Operand x = dense(logits); DeviceBuffer y = dev.upload(labels); DeviceBuffer cw = w == null ? null : dev.upload(w);
                 DeviceBuffer lossRows = dev.allocate(4L * rows)) {
                DeviceBuffer grad = dev.allocate(4L * rows * k), sum = dev.allocate(4);
                dev.launch(Kernel.CROSS_ENTROPY_FORWARD, rows, rowBlock(k), x.buf, y, cw, lossRows, rows, k, ignoreIndex);
                dev.launch(Kernel.CROSS_ENTROPY_BACKWARD, rows, rowBlock(k), x.buf, y, cw, grad, rows, k, ignoreIndex, (float) (1 / weightSum));
                dev.launch(Kernel.REDUCE_ROWS, 1, rowBlock(rows), 0, lossRows, sum, 1, rows);
                Tensor loss = unary(UnaryOp.AFFINE, result(sum, new int[0]), 1 / weightSum, 0);
                return new Tensor[] {loss, result(grad, new int[] {rows, k})};
            }
        }
    }

    @Override
    public void adamStep(Tensor p, Tensor g, Tensor m, Tensor v, double beta1, double beta2, double eps, double stepSize,
                         double bias2Sqrt, double shrink, double l2) {
        int n = p.numel();
        synchronized (dev) {
            try (Operand dp = dense(p); Operand dg = dense(g); Operand dm = dense(m); Operand dv = dense(v)) {
                if (dp.owned || dm.owned || dv.owned) throw new IllegalStateException("adamStep: parameter and state must be contiguous on " + name());
                if (n > 0) dev.launch(Kernel.ADAMW_STEP, CudaDevice.gridFor(n), 256, dp.buf, dg.buf, dm.buf, dv.buf, n, (float) beta1, (float) beta2,
                        (float) eps, (float) l2, (float) shrink, (float) stepSize, (float) bias2Sqrt);
            }
        }
        p.storage().deviceWritten();
        m.storage().deviceWritten();
        v.storage().deviceWritten();
    }

    @Override
    public Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        if (!f32(a, b)) return cpu.binary(op, a, b);
        int[] shape = Shape.broadcast(op.name().toLowerCase(), a.shape(), b.shape());
        int n = Shape.numel(shape);
        synchronized (dev) {
            DeviceBuffer out = dev.allocate(4L * n);
            if (a.isContiguous() && b.isContiguous() && Arrays.equals(a.shape(), shape) && Arrays.equals(b.shape(), shape)) {
                try (Operand da = dense(a); Operand db = dense(b)) {
                    if (n > 0) dev.launch(Kernel.BINARY_CONTIGUOUS, CudaDevice.gridFor(n), 256, op.ordinal(), da.buf, db.buf, out, n);
                }
            } else {
                try (Operand sa = stage(Layout.broadcastTo(a, shape)); Operand sb = stage(Layout.broadcastTo(b, shape))) {
                    if (n > 0) dev.launch(Kernel.BINARY_STRIDED, CudaDevice.gridFor(n), 256, op.ordinal(), sa.view, sa.buf, sb.view, sb.buf, out, n);
                }
            }
            return result(out, shape);
        }
    }

    @Override
    public Tensor unary(UnaryOp op, Tensor a, double p, double q) {
        if (!f32(a)) return cpu.unary(op, a, p, q);
        int n = a.numel();
        synchronized (dev) {
            DeviceBuffer out = dev.allocate(4L * n);
            if (op == UnaryOp.GELU || op == UnaryOp.GELU_GRAD) {
                try (Operand x = dense(a)) {
                    if (n == 0) return result(out, a.shape());
                    if (op == UnaryOp.GELU) dev.launch(Kernel.GELU_FORWARD, CudaDevice.gridFor(n), 256, x.buf, out, n);
                    else dev.launch(Kernel.GELU_BACKWARD, CudaDevice.gridFor(n), 256, x.buf, null, out, n);
                }
            } else {
                try (Operand s = stage(a)) {
                    if (n > 0) dev.launch(Kernel.UNARY_STRIDED, CudaDevice.gridFor(n), 256, op.ordinal(), s.view, s.buf, out, n, (float) p, (float) q);
                }
            }
            return result(out, a.shape());
        }
    }

    @Override
    public Tensor where(Tensor mask, Tensor a, Tensor b) {
        if (!f32(mask, a, b)) return cpu.where(mask, a, b);
        int[] shape = Shape.broadcast("where", Shape.broadcast("where", mask.shape(), a.shape()), b.shape());
        int n = Shape.numel(shape);
        synchronized (dev) {
            try (Operand sm = stage(Layout.broadcastTo(mask, shape)); Operand sa = stage(Layout.broadcastTo(a, shape));
                 Operand sb = stage(Layout.broadcastTo(b, shape))) {
                DeviceBuffer out = dev.allocate(4L * n);
                if (n > 0) dev.launch(Kernel.WHERE_STRIDED, CudaDevice.gridFor(n), 256, sm.view, sm.buf, sa.view, sa.buf, sb.view, sb.buf, out, n);
                return result(out, shape);
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
            DeviceBuffer out = dev.allocate(4L * outN);
            if (op == ReduceOp.SUM && prefix && a.isContiguous()) { // bias gradients: sums over leading axes
                try (Operand x = dense(a)) {
                    if (outN > 0) dev.launch(Kernel.COLUMN_SUMS, CudaDevice.gridFor(outN), 256, x.buf, out, inner, outN);
                }
            } else { // reduced axes moved last (a view), gathered contiguous on the device, reduced per row
                int[] sh = a.shape(), st = a.strides(), psh = new int[r], pst = new int[r];
                for (int i = 0; i < r; i++) { psh[i] = sh[perm[i]]; pst[i] = st[perm[i]]; }
                try (Operand x = dense(new Tensor(a.storage(), psh, pst, a.offset()))) {
                    if (outN > 0) dev.launch(Kernel.REDUCE_ROWS, outN, rowBlock(inner), op == ReduceOp.SUM ? 0 : 1, x.buf, out, outN, inner);
                }
            }
            return result(out, outShape);
        }
    }

    /** The indices cross the bus (host code uses them: metrics, predictions). */
    @Override
    public int[] argmaxLast(Tensor a) {
        if (!f32(a)) return cpu.argmaxLast(a);
        int cols = a.shape(-1), rows = Layout.rows(a);
        if (rows == 0) return new int[0];
        synchronized (dev) {
            try (Operand x = dense(a); DeviceBuffer out = dev.allocate(4L * rows)) {
                dev.launch(Kernel.ARGMAX_ROWS, rows, rowBlock(cols), x.buf, out, rows, cols);
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
        synchronized (dev) {
            DeviceBuffer out = dev.allocate(4L * batch * m * n);
            if (m == 0 || n == 0 || batch == 0) return result(out, outShape);
            try (GemmOperand ga = GemmOperand.of(this, a); GemmOperand gb = GemmOperand.of(this, b)) {
                if (k == 0) dev.zero(out, batch * m * n);
                else dev.gemm().gemmBatched(ga.trans, gb.trans, m, n, k, 1f, ga.op.buf, ga.ld, ga.batchStride, gb.op.buf, gb.ld,
                        gb.batchStride, 0f, out, n, (long) m * n, batch, gemmMode);
                return result(out, outShape);
            }
        }
    }

    /**
     * A matmul operand on the device in a form cuBLAS takes without copies when possible: the last two axes
     * row-major (ld = row stride) or transposed (column-major), and all batch axes collapsing to one stride
     * (0 for broadcast); a resident operand is read in place. Anything else is made contiguous first.
     */
    private record GemmOperand(Operand op, boolean trans, int ld, long batchStride) implements AutoCloseable {
        static GemmOperand of(CudaBackend be, Tensor t) {
            GemmPlan p = GemmPlan.of(t);
            if (p != null) return new GemmOperand(be.stage(t), p.trans(), p.ld(), p.batchStride());
            int rows = t.shape(-2), cols = t.shape(-1);
            return new GemmOperand(be.dense(t), false, Math.max(cols, 1), (long) rows * cols);
        }

        @Override public void close() { op.close(); }
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
            try (Operand x = dense(a)) {
                DeviceBuffer y = dev.allocate(4L * a.numel());
                if (rows > 0) dev.launch(Kernel.SOFTMAX_ROWS, rows, rowBlock(cols), x.buf, y, rows, cols, log ? 1 : 0);
                return result(y, a.shape());
            }
        }
    }

    @Override
    public Tensor softmaxBackward(Tensor y, Tensor dy, boolean log) {
        if (!f32(y, dy)) return cpu.softmaxBackward(y, dy, log);
        int cols = y.shape(-1), rows = Layout.rows(y);
        synchronized (dev) {
            try (Operand yd = dense(y); Operand g = dense(dy)) {
                DeviceBuffer dx = dev.allocate(4L * y.numel());
                if (rows > 0) dev.launch(Kernel.SOFTMAX_BACKWARD_ROWS, rows, rowBlock(cols), yd.buf, g.buf, dx, rows, cols, log ? 1 : 0);
                return result(dx, y.shape());
            }
        }
    }

    @Override
    public Tensor geluBackward(Tensor x, Tensor dy) {
        if (!f32(x, dy)) return cpu.geluBackward(x, dy);
        if (!x.isContiguous() || !dy.isContiguous() || !Arrays.equals(x.shape(), dy.shape())) {
            return binary(BinaryOp.MUL, dy, unary(UnaryOp.GELU_GRAD, x, 0, 0));
        }
        int n = x.numel();
        synchronized (dev) {
            try (Operand xd = dense(x); Operand g = dense(dy)) {
                DeviceBuffer out = dev.allocate(4L * n);
                if (n > 0) dev.launch(Kernel.GELU_BACKWARD, CudaDevice.gridFor(n), 256, xd.buf, g.buf, out, n);
                return result(out, x.shape());
            }
        }
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
            try (Operand xd = dense(x); Operand g = gamma == null ? null : dense(gamma); Operand b = beta == null ? null : dense(beta)) {
                DeviceBuffer y = dev.allocate(4L * x.numel()), mean = dev.allocate(4L * rows), rstd = dev.allocate(4L * rows);
                if (rows > 0) dev.launch(Kernel.LAYERNORM_FORWARD, rows, rowBlock(cols), xd.buf, g == null ? null : g.buf, b == null ? null : b.buf,
                        y, mean, rstd, rows, cols, (float) eps);
                return new Tensor[] {result(y, x.shape()), result(mean, rowShape), result(rstd, rowShape)};
            }
        }
    }

    @Override
    public Tensor[] layerNormBackward(Tensor dy, Tensor x, Tensor gamma, Tensor mean, Tensor rstd) {
        if (!f32(dy, x, gamma, mean, rstd)) return cpu.layerNormBackward(dy, x, gamma, mean, rstd);
        int cols = x.shape(-1), rows = Layout.rows(x);
        synchronized (dev) {
            try (Operand g = dense(dy); Operand xd = dense(x); Operand gm = gamma == null ? null : dense(gamma);
                 Operand mu = dense(mean); Operand rs = dense(rstd)) {
                DeviceBuffer dx = dev.allocate(4L * x.numel());
                if (rows > 0) dev.launch(Kernel.LAYERNORM_BACKWARD_DX, rows, rowBlock(cols), g.buf, xd.buf, gm == null ? null : gm.buf, mu.buf, rs.buf, dx, rows, cols);
                if (gamma == null) return new Tensor[] {result(dx, x.shape()), null, null};
                DeviceBuffer dg = dev.allocate(4L * cols), db = dev.allocate(4L * cols);
                dev.launch(Kernel.LAYERNORM_BACKWARD_PARAMS, CudaDevice.gridFor(cols), 256, g.buf, xd.buf, mu.buf, rs.buf, dg, db, rows, cols);
                return new Tensor[] {result(dx, x.shape()), result(dg, new int[] {cols}), result(db, new int[] {cols})};
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
            DeviceBuffer out = dev.allocate(4L * n);
            if (n == 0) return result(out, outShape);
            try (Operand t = dense(table); DeviceBuffer id = dev.upload(ids)) {
                dev.launch(Kernel.INDEX_SELECT_ROWS, CudaDevice.gridFor(n), 256, t.buf, id, out, ids.length, width);
                return result(out, outShape);
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
            DeviceBuffer out = dev.allocate(4L * n);
            dev.zero(out, n);
            if (ids.length * width == 0) return result(out, outShape);
            try (Operand gd = dense(g); DeviceBuffer id = dev.upload(ids)) {
                dev.launch(Kernel.INDEX_ADD_ROWS, CudaDevice.gridFor((long) ids.length * width), 256, gd.buf, id, out, ids.length, width);
                return result(out, outShape);
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
        int[] outShape = Arrays.copyOf(a.shape(), a.rank() - 1);
        synchronized (dev) {
            DeviceBuffer out = dev.allocate(4L * rows);
            if (rows == 0) return result(out, outShape);
            try (Operand x = dense(a); DeviceBuffer id = dev.upload(idx)) {
                dev.launch(Kernel.GATHER_LAST, CudaDevice.gridFor(rows), 256, x.buf, id, out, rows, cols);
                return result(out, outShape);
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
            DeviceBuffer out = dev.allocate(4L * n);
            dev.zero(out, n);
            if (rows == 0) return result(out, outShape);
            try (Operand gd = dense(g); DeviceBuffer id = dev.upload(idx)) {
                dev.launch(Kernel.SCATTER_LAST, CudaDevice.gridFor(rows), 256, gd.buf, id, out, rows, cols);
                return result(out, outShape);
            }
        }
    }
}
