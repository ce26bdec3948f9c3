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
