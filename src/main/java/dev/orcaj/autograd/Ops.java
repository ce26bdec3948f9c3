package dev.orcaj.autograd;

import dev.orcaj.backend.Backend;
import dev.orcaj.backend.Backends;
import dev.orcaj.backend.BinaryOp;
import dev.orcaj.backend.ReduceOp;
import dev.orcaj.backend.UnaryOp;
import dev.orcaj.tensor.DType;
import dev.orcaj.tensor.Device;
import dev.orcaj.tensor.Storage;
import dev.orcaj.tensor.Shape;
import dev.orcaj.tensor.Tensor;

import java.util.Arrays;

/**
 * The differentiable primitives: each runs the backend forward and records one gradient rule (the rules live here,
 * one per primitive, written with tensor ops). Everything else in the engine composes these.
 */
public final class Ops {
    private Ops() {}

    public enum Binary { ADD, SUB, MUL, DIV }

    public enum Unary { EXP, LOG, SQRT, RSQRT, TANH, ERF, RELU, GELU, SIGMOID, ABS }

    public enum Reduce { SUM, MAX }

    /** Routes by residence: a device operand takes the op to its device (see Backends#forTensors). */
    private static Backend be(Tensor... ts) { return Backends.forTensors(ts); }

    private static void sameDtype(String op, Tensor a, Tensor b) {
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(op + ": dtype mismatch " + a.dtype() + " " + Shape.str(a.shape()) + " vs " + b.dtype() + " " + Shape.str(b.shape()));
        }
    }

    // ------------------------------------------------------------------ views and copies

    /** Contiguous data without recording (for reading values out). */
    public static Tensor contiguousData(Tensor t) { return t.isContiguous() ? t : be(t).copy(t, t.dtype()); }

    public static Tensor copy(Tensor a) {
        Tensor out = be(a).copy(a, a.dtype());
        return Autograd.record("copy", out, g -> new Tensor[] {g}, a);
    }

    public static Tensor cast(Tensor a, DType dtype) {
        Tensor out = Backends.forDtype(DType.F64).copy(a, dtype);
        DType from = a.dtype();
        return Autograd.record("cast", out, g -> new Tensor[] {Backends.REF.copy(g, from)}, a);
    }

    /**
     * A contiguous copy of {@code a} resident on {@code device} (the host for Device.CPU); the gradient flows back
     * to a's device.
     */
    public static Tensor toDevice(Tensor a, Device device) {
        Device from = a.storage().device();
        if (from == device) return a;
        Tensor c = contiguousData(a);
        float[] host = c.storage().readF();
        Tensor out;
        if (device == Device.CPU) {
            out = Tensor.of(Arrays.copyOfRange(host, c.offset(), c.offset() + c.numel()), a.shape());
        } else {
            if (a.dtype() != DType.F32) throw new IllegalArgumentException("to(" + device.name() + "): only F32 tensors can live on a device, got " + a.dtype());
            Storage s = Storage.onDevice(device.allocateCopy(host, c.offset(), c.numel()), c.numel());
            out = new Tensor(s, a.shape(), Shape.contiguousStrides(a.shape()), 0);
        }
        return Autograd.record("to", out, g -> new Tensor[] {toDevice(g, from)}, a);
    }

    public static Tensor reshape(Tensor a, int[] newShape) {
        int[] shape = inferShape(a, newShape);
        Tensor src = a.isContiguous() ? a : be(a).copy(a, a.dtype());
        Tensor out = new Tensor(src.storage(), shape, Shape.contiguousStrides(shape), src.offset());
        int[] orig = a.shape();
        return Autograd.record("reshape", out, g -> new Tensor[] {g.reshape(orig)}, a);
    }

    private static int[] inferShape(Tensor a, int[] newShape) {
        int[] s = newShape.clone();
        int infer = -1, known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException("reshape: more than one -1 in " + Shape.str(newShape));
                infer = i;
            } else known *= s[i];
        }
        if (infer >= 0) s[infer] = known == 0 ? 0 : a.numel() / known;
        if (Shape.numel(s) != a.numel()) {
            throw new IllegalArgumentException("reshape: cannot view " + Shape.str(a.shape()) + " (" + a.numel() + " elements) as " + Shape.str(newShape));
        }
        return s;
    }

    public static Tensor permute(Tensor a, int[] perm) {
        int r = a.rank();
        if (perm.length != r) throw new IllegalArgumentException("permute: " + Arrays.toString(perm) + " does not match rank of " + Shape.str(a.shape()));
        int[] shape = new int[r], strides = new int[r], inverse = new int[r];
        boolean[] seen = new boolean[r];
        int[] as = a.shape(), st = a.strides();
        for (int i = 0; i < r; i++) {
            int p = Shape.axis("permute", perm[i], r);
            if (seen[p]) throw new IllegalArgumentException("permute: repeated axis in " + Arrays.toString(perm));
            seen[p] = true;
            shape[i] = as[p];
            strides[i] = st[p];
            inverse[p] = i;
        }
        Tensor out = new Tensor(a.storage(), shape, strides, a.offset());
        return Autograd.record("permute", out, g -> new Tensor[] {g.permute(inverse)}, a);
    }

    public static Tensor slice(Tensor a, int axis, int start, int end) {
        int ax = Shape.axis("slice", axis, a.rank());
        int[] shape = a.shape(), st = a.strides();
        if (start < 0 || end > shape[ax] || start > end) {
            throw new IllegalArgumentException("slice: [" + start + ", " + end + ") out of range for axis " + axis + " of " + Shape.str(shape));
        }
        int before = start, after = shape[ax] - end;
        shape[ax] = end - start;
        Tensor out = new Tensor(a.storage(), shape, st, a.offset() + start * st[ax]);
        return Autograd.record("slice", out, g -> {
            int[] b = new int[g.rank()], e = new int[g.rank()];
            b[ax] = before;
            e[ax] = after;
            return new Tensor[] {pad(g, b, e, 0)};
        }, a);
    }

    public static Tensor expand(Tensor a, int[] newShape) {
        Tensor out = dev.orcaj.backend.Layout.broadcastTo(a, newShape);
        int[] orig = a.shape();
        return Autograd.record("expand", out, g -> new Tensor[] {sumTo(g, orig)}, a);
    }

    /** Sums a broadcast gradient back down to {@code shape} (the adjoint of broadcasting). */
    public static Tensor sumTo(Tensor g, int[] shape) {
        int[] gs = g.shape();
        if (Arrays.equals(gs, shape)) return g;
        int lead = gs.length - shape.length;
        boolean[] axes = new boolean[gs.length];
        boolean any = false;
        for (int i = 0; i < gs.length; i++) {
            axes[i] = i < lead || (shape[i - lead] == 1 && gs[i] != 1);
            any |= axes[i];
        }
        Tensor r = any ? reduceRaw(ReduceOp.SUM, g, axes) : g;
        return r.reshape(shape);
    }

    private static Tensor reduceRaw(ReduceOp op, Tensor g, boolean[] axes) {
        Tensor out = be(g).reduce(op, g, axes);
        return Autograd.record("reduce", out, gg -> new Tensor[] {gg.expand(g.shape())}, g);
    }

    // ------------------------------------------------------------------ elementwise

    public static Tensor binary(Binary op, Tensor a, Tensor b) {
        sameDtype(op.name().toLowerCase(), a, b);
        Tensor out = be(a, b).binary(BinaryOp.valueOf(op.name()), a, b);
        int[] as = a.shape(), bs = b.shape();
        return Autograd.record(op.name().toLowerCase(), out, g -> switch (op) {
            // an input that needs no gradient (an attention mask) gets none: its sumTo would be a wasted pass
            case ADD -> new Tensor[] {a.requiresGrad() ? sumTo(g, as) : null, b.requiresGrad() ? sumTo(g, bs) : null};
            case SUB -> new Tensor[] {a.requiresGrad() ? sumTo(g, as) : null, b.requiresGrad() ? sumTo(g.neg(), bs) : null};
            case MUL -> new Tensor[] {a.requiresGrad() ? sumTo(g.mul(b), as) : null, b.requiresGrad() ? sumTo(g.mul(a), bs) : null};
            case DIV -> new Tensor[] {a.requiresGrad() ? sumTo(g.div(b), as) : null,
                    b.requiresGrad() ? sumTo(g.mul(a).div(b.mul(b)).neg(), bs) : null};
        }, a, b);
    }

    /** scale * x + shift. */
    public static Tensor affine(Tensor a, double scale, double shift) {
        Tensor out = be(a).unary(UnaryOp.AFFINE, a, scale, shift);
        return Autograd.record("affine", out, g -> new Tensor[] {scale == 1 ? g : g.mul(scale)}, a);
    }

    private static Tensor raw(UnaryOp op, Tensor a, double p, double q) { return be(a).unary(op, a, p, q); }

    public static Tensor unary(Unary op, Tensor a) {
        Tensor y = raw(UnaryOp.valueOf(op.name()), a, 0, 0);
        return Autograd.record(op.name().toLowerCase(), y, g -> new Tensor[] {switch (op) {
            case EXP -> g.mul(y);
            case LOG -> g.div(a);
            case SQRT -> g.mul(0.5).div(y);
            case RSQRT -> g.mul(y.mul(y).mul(y)).mul(-0.5);
            case TANH -> g.mul(y.mul(y).neg().add(1));
            case ERF -> g.mul(a.mul(a).neg().exp().mul(2 / Math.sqrt(Math.PI)));
            case RELU -> g.mul(raw(UnaryOp.STEP, a, 0, 0));
            case GELU -> be(a, g).geluBackward(a, g); // fused: no derivative tensor, no second pass
            case SIGMOID -> g.mul(y.mul(y.neg().add(1)));
            case ABS -> g.mul(raw(UnaryOp.SIGN, a, 0, 0));
        }}, a);
    }

    public static Tensor pow(Tensor a, double p) {
        Tensor out = raw(UnaryOp.POW, a, p, 0);
        return Autograd.record("pow", out, g -> new Tensor[] {g.mul(raw(UnaryOp.POW, a, p - 1, 0)).mul(p)}, a);
    }

    public static Tensor clamp(Tensor a, double lo, double hi) {
        if (lo > hi) throw new IllegalArgumentException("clamp: lo " + lo + " > hi " + hi);
        Tensor out = raw(UnaryOp.CLAMP, a, lo, hi);
        return Autograd.record("clamp", out, g -> new Tensor[] {g.mul(raw(UnaryOp.IN_RANGE, a, lo, hi))}, a);
    }

    /** mask != 0 ? a : b (broadcasting); the mask is not differentiated. */
    public static Tensor where(Tensor mask, Tensor a, Tensor b) {
        sameDtype("where", a, b);
        Tensor out = be(a, b, mask).where(mask, a, b);
        int[] as = a.shape(), bs = b.shape();
        return Autograd.record("where", out, g -> {
            Tensor zero = Tensor.zeros(g.dtype());
            return new Tensor[] {null, sumTo(where(mask, g, zero), as), sumTo(where(mask, zero, g), bs)};
        }, mask.detach(), a, b);
    }

    // ------------------------------------------------------------------ reductions

    private static boolean[] axesMask(String op, Tensor a, int[] axes) {
        boolean[] m = new boolean[a.rank()];
        if (axes.length == 0) Arrays.fill(m, true);
        for (int ax : axes) m[Shape.axis(op, ax, a.rank())] = true;
        return m;
    }

    private static int[] dropAxes(int[] keepShape, boolean[] m) {
        int n = 0;
        for (boolean b : m) if (!b) n++;
        int[] s = new int[n];
        for (int i = 0, j = 0; i < m.length; i++) if (!m[i]) s[j++] = keepShape[i];
        return s;
    }

    /** Sum or max over {@code axes} (all axes when empty). Max distributes the gradient evenly over ties. */
    public static Tensor reduce(Reduce op, Tensor a, int[] axes, boolean keepDim) {
        boolean[] m = axesMask(op.name().toLowerCase(), a, axes);
        Tensor kept = be(a).reduce(ReduceOp.valueOf(op.name()), a, m);
        int[] inShape = a.shape();
        Tensor recorded = Autograd.record(op.name().toLowerCase(), kept, g -> {
            Tensor ge = g.expand(inShape);
            if (op == Reduce.SUM) return new Tensor[] {ge};
            Tensor isMax = be(a, kept).binary(BinaryOp.SUB, a, kept);
            isMax = raw(UnaryOp.IN_RANGE, isMax, 0, 0);
            Tensor count = be(isMax).reduce(ReduceOp.SUM, isMax, m);
            return new Tensor[] {ge.mul(isMax).div(count)};
        }, a);
        return keepDim ? recorded : recorded.reshape(dropAxes(kept.shape(), m));
    }

    public static Tensor mean(Tensor a, int[] axes, boolean keepDim) {
        boolean[] m = axesMask("mean", a, axes);
        int n = 1;
        for (int i = 0; i < m.length; i++) if (m[i]) n *= a.shape(i);
        return reduce(Reduce.SUM, a, axes, keepDim).mul(1.0 / n);
    }

    public static int[] argmax(Tensor a, int axis) {
        int ax = Shape.axis("argmax", axis, a.rank());
        Tensor moved = ax == a.rank() - 1 ? a : a.detach().transpose(ax, -1);
        return be(a).argmaxLast(moved);
    }

    // ------------------------------------------------------------------ linear algebra and fused nn primitives

    /** Batched matrix product with broadcasting of leading axes (a 1D operand is not supported: reshape it). */
    public static Tensor matmul(Tensor a, Tensor b) {
        sameDtype("matmul", a, b);
        if (a.rank() < 2 || b.rank() < 2) throw new IllegalArgumentException("matmul: operands must have rank >= 2, got " + Shape.str(a.shape()) + " and " + Shape.str(b.shape()));
        int[] as = a.shape(), bs = b.shape();
        if (as[as.length - 1] != bs[bs.length - 2]) {
            throw new IllegalArgumentException("matmul: inner dimensions differ: " + Shape.str(as) + " x " + Shape.str(bs));
        }
        int[] batch = Shape.broadcast("matmul", Arrays.copyOf(as, as.length - 2), Arrays.copyOf(bs, bs.length - 2));
        int[] ae = concat(batch, as[as.length - 2], as[as.length - 1]), bexp = concat(batch, bs[bs.length - 2], bs[bs.length - 1]);
        Tensor av = dev.orcaj.backend.Layout.broadcastTo(a, ae), bv = dev.orcaj.backend.Layout.broadcastTo(b, bexp);
        Tensor out = be(a, b).matmul(av, bv);
        return Autograd.record("matmul", out, g -> new Tensor[] {
                a.requiresGrad() ? sumTo(g.matmul(b.detach().transpose(-1, -2)), as) : null,
                b.requiresGrad() ? matmulSharedGrad(a.detach(), g, bs) : null}, a, b);
    }

    /**
     * A linear layer y = x weight^T + bias (x [..., K], weight [N, K] as PyTorch stores it, bias [N] or null) as one
     * primitive, so the bias is folded into the GEMM. Gradients: dx = g weight, dweight = G^T X over the flattened
     * rows (one GEMM), dbias = column sums of g.
     */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        sameDtype("linear", x, weight);
        if (bias != null) sameDtype("linear", x, bias);
        if (weight.rank() != 2 || x.rank() < 1 || x.shape(-1) != weight.shape(1)) {
            throw new IllegalArgumentException("linear: input " + Shape.str(x.shape()) + " does not match weight " + Shape.str(weight.shape()) + " ([out, in])");
        }
        if (bias != null && (bias.rank() != 1 || bias.shape(0) != weight.shape(0))) {
            throw new IllegalArgumentException("linear: bias " + Shape.str(bias.shape()) + " does not match weight " + Shape.str(weight.shape()));
        }
        Tensor out = be(x, weight, bias).linear(x, weight, bias);
        int k = weight.shape(1), n = weight.shape(0);
        return Autograd.record("linear", out, g -> new Tensor[] {
                x.requiresGrad() ? g.reshape(-1, n).matmul(weight.detach()).reshape(x.shape()) : null,
                weight.requiresGrad() ? g.reshape(-1, n).transpose(0, 1).matmul(x.detach().reshape(-1, k)) : null,
                bias != null && bias.requiresGrad() ? sumTo(g, bias.shape()) : null}, x, weight, bias);
    }

    /**
     * Gradient of a matmul operand b [.., K, N] given a [.., M, K] and the output gradient g. When b is one matrix
     * shared by every batch entry (a Linear weight against [B, S, K] activations), sum_i a_i^T g_i is a single
     * GEMM over the flattened rows, A^T G with A [B*M, K] and G [B*M, N]: no per-batch products of depth M and no
     * [batch, K, N] temporary to reduce afterwards.
     */
    private static Tensor matmulSharedGrad(Tensor a, Tensor g, int[] bs) {
        int k = a.shape(-1), n = g.shape(-1);
        boolean shared = true;
        for (int i = 0; i < bs.length - 2; i++) shared &= bs[i] == 1;
        if (!shared || g.rank() == 2) return sumTo(a.transpose(-1, -2).matmul(g), bs);
        Tensor flatA = a.rank() == g.rank() ? a.reshape(-1, k) : a.expand(concat(Arrays.copyOf(g.shape(), g.rank() - 2), a.shape(-2), k)).reshape(-1, k);
        return flatA.transpose(0, 1).matmul(g.reshape(-1, n)).reshape(bs);
    }

    private static int[] concat(int[] lead, int x, int y) {
        int[] s = Arrays.copyOf(lead, lead.length + 2);
        s[lead.length] = x;
        s[lead.length + 1] = y;
        return s;
    }

    public static Tensor softmax(Tensor a, boolean log) {
        Tensor y = be(a).softmax(a, log);
        return Autograd.record(log ? "logSoftmax" : "softmax", y, g -> new Tensor[] {be(y, g).softmaxBackward(y, g, log)}, a);
    }

    /**
     * softmax(scale * a + mask) over the last axis: the attention probabilities of Vaswani et al. (2017) eq. 1 with
     * scale = 1 / sqrt(d_head) and an additive key mask (null = none), in one pass instead of scale, add, softmax
     * (three [B, H, S, S] tensors at S = 512). The mask is a constant: it is not differentiated.
     */
    public static Tensor scaledMaskedSoftmax(Tensor a, double scale, Tensor mask) {
        if (mask != null) {
            sameDtype("scaledMaskedSoftmax", a, mask);
            if (mask.requiresGrad()) throw new IllegalArgumentException("scaledMaskedSoftmax: the mask is a constant; detach it (got a tensor that requires grad)");
            if (!Arrays.equals(Shape.broadcast("scaledMaskedSoftmax", a.shape(), mask.shape()), a.shape())) {
                throw new IllegalArgumentException("scaledMaskedSoftmax: mask " + Shape.str(mask.shape()) + " does not broadcast to " + Shape.str(a.shape()));
            }
        }
        Tensor y = be(a, mask).scaledMaskedSoftmax(a, scale, mask);
        return Autograd.record("scaledMaskedSoftmax", y, g -> new Tensor[] {be(y, g).scaledSoftmaxBackward(y, g, scale)}, a);
    }

    /**
     * Multi-head attention core softmax(scale * Q_h K_h^T + mask) V_h for every head (Vaswani et al. 2017, eq. 1) as
     * one primitive (Backend#attention): q [B, Sq, H*hd], k and v [B, Sk, H*hd], mask additive and constant,
     * broadcastable to [B, H, Sq, Sk], or null; returns [B, Sq, H*hd] with the heads merged. Nothing of size
     * Sq x Sk is kept for the backward: the CPU backend recomputes the probabilities blockwise from per-row stats.
     */
    public static Tensor attention(Tensor q, Tensor k, Tensor v, int heads, double scale, Tensor mask) {
        sameDtype("attention", q, k);
        sameDtype("attention", q, v);
        if (q.rank() != 3 || k.rank() != 3 || v.rank() != 3 || k.shape(0) != q.shape(0) || v.shape(0) != q.shape(0)
                || k.shape(1) != v.shape(1) || k.shape(2) != q.shape(2) || v.shape(2) != q.shape(2)) {
            throw new IllegalArgumentException("attention: expected q [B, Sq, D] and k, v [B, Sk, D], got " + Shape.str(q.shape()) + ", " + Shape.str(k.shape()) + ", " + Shape.str(v.shape()));
        }
        if (heads < 1 || q.shape(2) % heads != 0) throw new IllegalArgumentException("attention: width " + q.shape(2) + " is not divisible by " + heads + " heads");
        if (mask != null) {
            sameDtype("attention", q, mask);
            if (mask.requiresGrad()) throw new IllegalArgumentException("attention: the mask is a constant; detach it (got a tensor that requires grad)");
            int[] scores = {q.shape(0), heads, q.shape(1), k.shape(1)};
            if (!Arrays.equals(Shape.broadcast("attention", scores, mask.shape()), scores)) {
                throw new IllegalArgumentException("attention: mask " + Shape.str(mask.shape()) + " does not broadcast to the scores " + Shape.str(scores));
            }
        }
        Tensor[] r = be(q, k, v, mask).attention(q, k, v, heads, scale, mask);
        Tensor out = r[0], saved = r[1], qd = q.detach(), kd = k.detach(), vd = v.detach(), od = out.detach();
        return Autograd.record("attention", out, g -> be(qd, kd, vd, g).attentionBackward(qd, kd, vd, heads, scale, mask, od, saved, g), q, k, v);
    }

    public static Tensor layerNorm(Tensor x, Tensor gamma, Tensor beta, double eps) {
        int d = x.shape(-1);
        if (gamma != null && (gamma.rank() != 1 || gamma.shape(0) != d)) throw new IllegalArgumentException("layerNorm: gamma " + Shape.str(gamma.shape()) + " does not match last axis of " + Shape.str(x.shape()));
        if (beta != null && (beta.rank() != 1 || beta.shape(0) != d)) throw new IllegalArgumentException("layerNorm: beta " + Shape.str(beta.shape()) + " does not match last axis of " + Shape.str(x.shape()));
        Tensor[] r = be(x, gamma, beta).layerNorm(x, gamma, beta, eps);
        Tensor mean = r[1], rstd = r[2];
        return Autograd.record("layerNorm", r[0], g -> {
            Tensor[] gr = be(g, x, gamma).layerNormBackward(g, x, gamma, mean, rstd);
            return new Tensor[] {gr[0], gr[1], beta == null ? null : (gr[2] != null ? gr[2] : sumTo(g, beta.shape()))};
        }, x, gamma, beta);
    }

    /**
     * Fused weighted mean cross-entropy on the logits' device (Backend#crossEntropy): the loss and its logits
     * gradient in one pass each; the backward scales the saved gradient by the upstream scalar.
     */
    public static Tensor crossEntropy(Tensor logits, int[] labels, double[] classWeights, int ignoreIndex, double weightSum) {
        Tensor[] r = be(logits).crossEntropy(logits, labels, classWeights, ignoreIndex, weightSum);
        Tensor grad = r[1];
        return Autograd.record("crossEntropy", r[0], g -> new Tensor[] {grad.mul(g)}, logits);
    }

    /** Rows of a table ([V, ...]) by index; the output is [ids.length, ...]. */
    public static Tensor indexSelect(Tensor table, int[] ids) {
        Tensor out = be(table).indexSelect(table, ids);
        int rows = table.shape(0);
        return Autograd.record("indexSelect", out, g -> new Tensor[] {be(g).indexAdd(g, ids, rows)}, table);
    }

    /** out[..] = a[.., idx[..]] along the last axis; idx has one entry per row of a. */
    public static Tensor gatherLast(Tensor a, int[] idx) {
        int rows = dev.orcaj.backend.Layout.rows(a);
        if (idx.length != rows) throw new IllegalArgumentException("gather: " + idx.length + " indices for " + rows + " rows of " + Shape.str(a.shape()));
        Tensor out = be(a).gatherLast(a, idx);
        int cols = a.shape(-1);
        int[] as = a.shape();
        return Autograd.record("gather", out, g -> new Tensor[] {be(g).scatterLast(g, idx, cols).reshape(as)}, a);
    }

    public static Tensor concat(Tensor[] parts, int axis) {
        if (parts.length == 0) throw new IllegalArgumentException("concat: no tensors");
        int ax = Shape.axis("concat", axis, parts[0].rank());
        for (Tensor p : parts) {
            sameDtype("concat", parts[0], p);
            int[] s0 = parts[0].shape(), s = p.shape();
            s0[ax] = 0;
            s[ax] = 0;
            if (!Arrays.equals(s0, s)) throw new IllegalArgumentException("concat: shapes " + Shape.str(parts[0].shape()) + " and " + Shape.str(p.shape()) + " differ outside axis " + axis);
        }
        Tensor out = be(parts).concat(parts, ax);
        return Autograd.record("concat", out, g -> {
            Tensor[] gs = new Tensor[parts.length];
            int start = 0;
            for (int i = 0; i < parts.length; i++) {
                int len = parts[i].shape(ax);
                gs[i] = g.slice(ax, start, start + len);
                start += len;
            }
            return gs;
        }, parts);
    }

    public static Tensor pad(Tensor a, int[] before, int[] after, double value) {
        if (before.length != a.rank() || after.length != a.rank()) throw new IllegalArgumentException("pad: need one before/after entry per axis of " + Shape.str(a.shape()));
        for (int i = 0; i < before.length; i++) if (before[i] < 0 || after[i] < 0) throw new IllegalArgumentException("pad: negative padding " + Arrays.toString(before) + " / " + Arrays.toString(after));
        Tensor out = be(a).pad(a, before, after, value);
        int[] as = a.shape();
        return Autograd.record("pad", out, g -> {
            Tensor r = g;
            for (int i = 0; i < as.length; i++) if (before[i] != 0 || after[i] != 0) r = r.slice(i, before[i], before[i] + as[i]);
            return new Tensor[] {r};
        }, a);
    }
}
