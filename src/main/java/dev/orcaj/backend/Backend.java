package dev.orcaj.backend;

import dev.orcaj.tensor.DType;
import dev.orcaj.tensor.Tensor;

/**
 * The op set on raw tensors (any strides in, fresh contiguous tensors out). Backends know nothing of autograd:
 * they never read or set gradient state. {@code dev.orcaj.backend.ref.RefBackend} is the definition of
 * correctness; faster backends must agree with it (tests compare them).
 */
public interface Backend {
    String name();

    /** Contiguous copy, converting to {@code dtype}. */
    Tensor copy(Tensor a, DType dtype);

    /** Broadcasting binary op; a and b have the same dtype. */
    Tensor binary(BinaryOp op, Tensor a, Tensor b);

    Tensor unary(UnaryOp op, Tensor a, double p, double q);

    /** mask != 0 ? a : b, all three broadcast together; the result has a's dtype. */
    Tensor where(Tensor mask, Tensor a, Tensor b);

    /** Reduces the axes flagged in {@code axes}; the result keeps them with size 1. */
    Tensor reduce(ReduceOp op, Tensor a, boolean[] axes);

    /** Index of the maximum along the last axis for every row of a [rows, cols] view (first on ties). */
    int[] argmaxLast(Tensor a);

    /** a [B..., M, K] times b [B..., K, N] with identical batch shapes (possibly stride-0 broadcast views). */
    Tensor matmul(Tensor a, Tensor b);

    /** Input gradient of GELU, dy * GELU'(x) (one pass; x and dy have the same shape). */
    Tensor geluBackward(Tensor x, Tensor dy);

    /**
     * A linear layer, y = x weight^T + bias: x [..., K], weight [N, K] (PyTorch layout), bias [N] or null; y [..., N].
     * Defined by the backend's own copy, matmul and add; fast backends fold the bias into the GEMM.
     */
    default Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        int k = x.shape(-1), n = weight.shape(0);
        int[] outShape = x.shape();
        outShape[outShape.length - 1] = n;
        Tensor xc = copy(x, x.dtype());
        Tensor rows = new Tensor(xc.storage(), new int[] {xc.numel() / Math.max(k, 1), k}, new int[] {k, 1}, 0);
        Tensor wt = new Tensor(weight.storage(), new int[] {k, n}, new int[] {weight.strides()[1], weight.strides()[0]}, weight.offset());
        Tensor y = matmul(rows, wt);
        if (bias != null) y = binary(BinaryOp.ADD, y, bias);
        return new Tensor(y.storage(), outShape, dev.orcaj.tensor.Shape.contiguousStrides(outShape), y.offset());
    }

    /** Softmax (or log-softmax) over the last axis. */
    Tensor softmax(Tensor a, boolean log);

    /** Input gradient of softmax (or log-softmax) given its output y and output gradient dy. */
    Tensor softmaxBackward(Tensor y, Tensor dy, boolean log);

    /**
     * Attention probabilities softmax(scale * a + mask) over the last axis in one op; {@code mask} (additive,
     * broadcastable to a, a's dtype) may be null.
     */
    Tensor scaledMaskedSoftmax(Tensor a, double scale, Tensor mask);

    /** Input gradient of {@link #scaledMaskedSoftmax} given its output y and dy: scale * y * (dy - sum(dy * y)). */
    Tensor scaledSoftmaxBackward(Tensor y, Tensor dy, double scale);

    /**
     * Multi-head attention core softmax(scale * Q_h K_h^T + mask) V_h (Vaswani et al. 2017, eq. 1) of every head h:
     * q [B, Sq, H*hd], k and v [B, Sk, H*hd] with head h in columns [h*hd, (h+1)*hd); {@code mask} additive,
     * constant, broadcastable to [B, H, Sq, Sk] (or null). Returns {out [B, Sq, H*hd], saved}: {@code saved} is what
     * this backend's {@link #attentionBackward} needs besides the inputs and out (null here; the CPU backend's
     * blockwise kernel keeps the per-row log-sum-exp [B, H, Sq] instead of the probabilities).
     * This default is the reference: the unfused composition from the backend's own matmul and softmax, which
     * materialises the [B, H, Sq, Sk] scores and probabilities.
     */
    default Tensor[] attention(Tensor q, Tensor k, Tensor v, int heads, double scale, Tensor mask) {
        Tensor p = scaledMaskedSoftmax(matmul(headsView(q, heads), lastTwoSwapped(headsView(k, heads))), scale, mask);
        return new Tensor[] {mergedHeads(matmul(p, headsView(v, heads))), null};
    }

    /**
     * Gradients {dq, dk, dv} (shaped like q, k, v) of {@link #attention} given its output, its {@code saved} and dOut
     * [B, Sq, H*hd]. The reference recomputes the probabilities P and composes dV = P^T dO, dP = dO V^T,
     * dS = scale * P * (dP - rowsum(dP * P)), dQ = dS K, dK = dS^T Q.
     */
    default Tensor[] attentionBackward(Tensor q, Tensor k, Tensor v, int heads, double scale, Tensor mask, Tensor out, Tensor saved, Tensor dOut) {
        Tensor qh = headsView(q, heads), kh = headsView(k, heads), vh = headsView(v, heads), dOh = headsView(dOut, heads);
        Tensor p = scaledMaskedSoftmax(matmul(qh, lastTwoSwapped(kh)), scale, mask);
        Tensor dv = matmul(lastTwoSwapped(p), dOh);
        Tensor ds = scaledSoftmaxBackward(p, matmul(dOh, lastTwoSwapped(vh)), scale);
        return new Tensor[] {mergedHeads(matmul(ds, kh)), mergedHeads(matmul(lastTwoSwapped(ds), qh)), mergedHeads(dv)};
    }

    /** The view [B, H, S, hd] of x [B, S, H*hd] (no copy, no tape). */
    private static Tensor headsView(Tensor x, int heads) {
        int[] st = x.strides();
        int hd = x.shape(2) / heads;
        return new Tensor(x.storage(), new int[] {x.shape(0), heads, x.shape(1), hd}, new int[] {st[0], hd * st[2], st[1], st[2]}, x.offset());
    }

    private static Tensor lastTwoSwapped(Tensor x) {
        int[] sh = x.shape(), st = x.strides();
        int r = sh.length;
        int t = sh[r - 1]; sh[r - 1] = sh[r - 2]; sh[r - 2] = t;
        t = st[r - 1]; st[r - 1] = st[r - 2]; st[r - 2] = t;
        return new Tensor(x.storage(), sh, st, x.offset());
    }

    /** Contiguous [B, S, H*hd] from heads [B, H, S, hd]. */
    private Tensor mergedHeads(Tensor h) {
        int[] sh = h.shape(), st = h.strides();
        Tensor bshd = copy(new Tensor(h.storage(), new int[] {sh[0], sh[2], sh[1], sh[3]}, new int[] {st[0], st[2], st[1], st[3]}, h.offset()), h.dtype());
        int[] merged = {sh[0], sh[2], sh[1] * sh[3]};
        return new Tensor(bshd.storage(), merged, dev.orcaj.tensor.Shape.contiguousStrides(merged), bshd.offset());
    }

    /** LayerNorm over the last axis: returns {y, mean, rstd}; gamma and beta may be null. */
    Tensor[] layerNorm(Tensor x, Tensor gamma, Tensor beta, double eps);

    /** Returns {dx, dgamma, dbeta} (the last two null when gamma is null). */
    Tensor[] layerNormBackward(Tensor dy, Tensor x, Tensor gamma, Tensor mean, Tensor rstd);

    /** Rows {@code table[ids[i]]}: [ids.length, rest of table's shape]. */
    Tensor indexSelect(Tensor table, int[] ids);

    /** Scatter-add of rows of g [ids.length, rest] into a zero tensor of {@code rows} rows (indexSelect's adjoint). */
    Tensor indexAdd(Tensor g, int[] ids, int rows);

    /** out[r] = a[r, idx[r]] for a [rows, cols]. */
    Tensor gatherLast(Tensor a, int[] idx);

    /** gatherLast's adjoint: zeros [rows, cols] with out[r, idx[r]] = g[r]. */
    Tensor scatterLast(Tensor g, int[] idx, int cols);

    /** Concatenation along an axis (all other dims equal). */
    Tensor concat(Tensor[] parts, int axis);

    /**
     * One Adam/AdamW step in place on contiguous F32 p, m, v given g (optim.Adam's float32 update, with its
     * precomputed stepSize = lr / (1 - beta1^t), bias2Sqrt = sqrt(1 - beta2^t), decoupled decay factor
     * {@code shrink} and coupled decay {@code l2}). Only device backends implement it: optim.Adam runs host
     * parameters itself and calls this for parameters resident on a device, so their state never leaves it.
     */
    default void adamStep(Tensor p, Tensor g, Tensor m, Tensor v, double beta1, double beta2, double eps, double stepSize,
                          double bias2Sqrt, double shrink, double l2) {
        throw new UnsupportedOperationException(name() + " has no fused Adam step (optim.Adam updates host parameters itself)");
    }

    /**
     * Fused weighted cross-entropy of logits [N, K] (rows labelled {@code ignoreIndex} skipped, class weights null =
     * 1, {@code weightSum} = sum of the used rows' weights): {loss (a scalar), d loss / d logits}. Only device backends
     * implement it; nn.Functional.crossEntropy composes log-softmax, gather and a weighted sum on the host (its
     * reference) and calls this for logits resident on a device.
     */
    default Tensor[] crossEntropy(Tensor logits, int[] labels, double[] classWeights, int ignoreIndex, double weightSum) {
        throw new UnsupportedOperationException(name() + " has no fused cross-entropy (nn.Functional composes it on the host)");
    }

    /** Constant padding: {@code before[i]} and {@code after[i]} elements on each axis. */
    Tensor pad(Tensor a, int[] before, int[] after, double value);
}
