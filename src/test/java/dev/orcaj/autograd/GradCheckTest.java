package dev.orcaj.autograd;

import dev.orcaj.nn.Functional;
import dev.orcaj.tensor.DType;
import dev.orcaj.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static dev.orcaj.autograd.GradCheck.check;
import static dev.orcaj.autograd.GradCheck.positive;
import static dev.orcaj.autograd.GradCheck.rand;

/** One gradient check per differentiable primitive and composite, on several shapes incl. broadcasting and views. */
class GradCheckTest {

    @Test
    void binaryOpsWithBroadcasting() {
        check("add", t -> t[0].add(t[1]), rand(1, 3, 4), rand(2, 4));
        check("add-3d", t -> t[0].add(t[1]), rand(1, 2, 1, 4), rand(2, 3, 1));
        check("sub", t -> t[0].sub(t[1]), rand(3, 2, 3), rand(4, 2, 1));
        check("mul", t -> t[0].mul(t[1]), rand(5, 2, 3, 4), rand(6, 1, 3, 1));
        check("mul-self", t -> t[0].mul(t[0]), rand(7, 5));
        check("div", t -> t[0].div(t[1]), rand(8, 3, 4), positive(9, 4));
        check("div-scalar-tensor", t -> t[0].div(t[1]), rand(10, 2, 2), positive(11, 1));
        Tensor mask = Tensor.of(new double[] {0, -1e4, 0}, 1, 3); // no gradient wanted: the add's rule skips it
        check("add-constant-mask", t -> t[0].add(mask).sub(mask.mul(0.5)), rand(18, 2, 3));
    }

    @Test
    void binaryOpsOnNonContiguousViews() {
        check("add-transposed", t -> t[0].transpose(0, 1).add(t[1]), rand(12, 4, 3), rand(13, 3, 4));
        check("mul-sliced", t -> t[0].slice(1, 1, 4).mul(t[1].permute(1, 0)), rand(14, 2, 5), rand(15, 3, 2));
        check("expand", t -> t[0].expand(3, 4).mul(t[1]), rand(16, 1, 4), rand(17, 3, 4));
    }

    @Test
    void unaryOps() {
        check("affine", t -> t[0].mul(2.5).add(-1).neg(), rand(20, 3, 4));
        check("exp", t -> t[0].exp(), rand(21, 2, 3));
        check("log", t -> t[0].log(), positive(22, 2, 3));
        check("sqrt", t -> t[0].sqrt(), positive(23, 4));
        check("rsqrt", t -> t[0].rsqrt(), positive(24, 4));
        check("tanh", t -> t[0].tanh(), rand(25, 2, 5));
        check("erf", t -> t[0].erf(), rand(26, 2, 5));
        check("relu", t -> t[0].relu(), positive(27, 6).sub(1.25).mul(3).detach()); // values away from 0
        check("gelu", t -> t[0].gelu(), rand(28, 3, 5).mul(2).detach());
        check("sigmoid", t -> t[0].sigmoid(), rand(29, 3, 5).mul(3).detach());
        check("abs", t -> t[0].abs(), positive(30, 5).mul(-1).detach());
        check("pow", t -> t[0].pow(2.5), positive(31, 2, 3));
        check("clamp", t -> t[0].clamp(-0.5, 0.5), Tensor.of(new double[] {-1, -0.2, 0.1, 0.3, 0.9, 2}, 2, 3));
        check("where", t -> t[0].maskedFill(Tensor.of(new double[] {1, 0, 0, 1}, 4), -3.0), rand(32, 3, 4));
        check("where-both", t -> dev.orcaj.autograd.Ops.where(Tensor.of(new double[] {1, 0, 1}, 3, 1), t[0], t[1]), rand(33, 3, 2), rand(34, 2));
        check("unary-on-view", t -> t[0].transpose(0, 1).tanh(), rand(35, 3, 4));
    }

    @Test
    void reductions() {
        check("sum-all", t -> t[0].sum(), rand(40, 3, 4));
        check("sum-axis", t -> t[0].sum(1), rand(41, 2, 3, 4));
        check("sum-axes-keep", t -> t[0].sumKeep(0, 2), rand(42, 2, 3, 4));
        check("mean", t -> t[0].mean(-1), rand(43, 3, 5));
        check("max", t -> t[0].max(1), rand(44, 3, 5));
        check("var", t -> t[0].var(-1), rand(45, 4, 6));
        check("logsumexp", t -> t[0].logSumExp(1), rand(46, 3, 7));
        check("sum-of-view", t -> t[0].permute(2, 0, 1).sum(0, 2), rand(47, 2, 3, 4));
    }

    @Test
    void scaledMaskedSoftmax() {
        Tensor keyMask = Tensor.of(new double[] {0, 0, -1e9, 0, 0, -1e9, 0, 0}, 2, 1, 1, 4);
        check("scaled-masked-softmax", t -> Ops.scaledMaskedSoftmax(t[0], 0.7, keyMask), rand(66, 2, 3, 2, 4));
        check("scaled-softmax-no-mask", t -> Ops.scaledMaskedSoftmax(t[0].transpose(0, 1), 1.3, null), rand(67, 5, 3));
        Tensor denseMask = rand(69, 3, 4).detach();
        check("scaled-masked-softmax-dense-mask", t -> Ops.scaledMaskedSoftmax(t[0], 0.5, denseMask), rand(68, 3, 4));
    }

    @Test
    void linear() {
        check("linear", t -> Ops.linear(t[0], t[1], t[2]), rand(70, 2, 3, 4), rand(71, 5, 4), rand(72, 5));
        check("linear-no-bias-strided", t -> Ops.linear(t[0].transpose(0, 1), t[1].transpose(0, 1), null), rand(73, 4, 3), rand(74, 4, 2));
        check("linear-vector", t -> Ops.linear(t[0], t[1], t[2]), rand(75, 4), rand(76, 3, 4), rand(77, 3));
    }

    @Test
    void matmul() {
        check("matmul-2d", t -> t[0].matmul(t[1]), rand(50, 3, 4), rand(51, 4, 5));
        check("matmul-batched", t -> t[0].matmul(t[1]), rand(52, 2, 3, 4), rand(53, 2, 4, 2));
        check("matmul-broadcast-weight", t -> t[0].matmul(t[1]), rand(54, 2, 3, 4), rand(55, 4, 3));
        check("matmul-transposed-operands", t -> t[0].transpose(-1, -2).matmul(t[1].transpose(-1, -2)), rand(56, 2, 4, 3), rand(57, 2, 5, 4));
        check("matmul-broadcast-batch", t -> t[0].matmul(t[1]), rand(58, 2, 1, 3, 4), rand(59, 3, 4, 2));
        // a weight shared by every batch entry: its gradient is one GEMM over the flattened rows
        check("matmul-shared-weight-transposed", t -> t[0].transpose(0, 1).matmul(t[1].transpose(0, 1)), rand(60, 3, 2, 4), rand(61, 5, 4));
        check("matmul-shared-weight-unit-batch", t -> t[0].matmul(t[1]), rand(62, 2, 2, 3, 4), rand(63, 1, 4, 2));
        check("matmul-2d-against-unit-batch", t -> t[0].matmul(t[1]), rand(64, 3, 4), rand(65, 1, 1, 4, 2));
    }

    @Test
    void fusedNnPrimitives() {
        check("softmax", t -> t[0].softmax(), rand(60, 3, 5));
        check("log-softmax", t -> t[0].logSoftmax(), rand(61, 2, 3, 4));
        check("softmax-view", t -> t[0].transpose(0, 1).softmax(), rand(62, 4, 3));
        check("layernorm", t -> t[0].layerNorm(t[1], t[2], 1e-5), rand(63, 3, 6), rand(64, 6), rand(65, 6));
        check("layernorm-no-affine", t -> t[0].layerNorm(null, null, 1e-5), rand(66, 2, 2, 5));
        check("embedding", t -> Functional.embedding(t[0], new int[] {2, 0, 2, 1}, 2, 2), rand(67, 3, 4));
        check("gather", t -> Ops.gatherLast(t[0], new int[] {1, 0, 3}), rand(68, 3, 4));
    }

    @Test
    void shapeOps() {
        check("concat", t -> Functional.concat(1, t[0], t[1]), rand(70, 2, 3), rand(71, 2, 2));
        check("stack", t -> Functional.stack(0, t[0], t[1]), rand(72, 2, 3), rand(73, 2, 3));
        check("pad", t -> Functional.pad(t[0], new int[] {1, 0}, new int[] {0, 2}, 0.5), rand(74, 2, 3));
        check("reshape-permute", t -> t[0].reshape(3, 2, 2).permute(1, 2, 0).reshape(4, 3), rand(75, 2, 6));
        check("slice", t -> t[0].slice(0, 1, 3), rand(76, 4, 2));
        check("patch-unfold-1d", t -> Functional.patchUnfold1d(t[0], 3), rand(77, 2, 2, 6));
        check("patch-fold-1d", t -> Functional.patchFold1d(t[0], 2, 3), rand(78, 2, 2, 6));
        check("patch-unfold-2d", t -> Functional.patchUnfold2d(t[0], 2), rand(79, 1, 2, 4, 4));
        check("patch-fold-2d", t -> Functional.patchFold2d(t[0], 2, 2, 2, 2), rand(80, 1, 4, 8));
        check("pixel-shuffle-1d", t -> Functional.pixelShuffle1d(t[0], 2), rand(81, 1, 4, 3));
        check("pixel-shuffle-2d", t -> Functional.pixelShuffle2d(t[0], 2), rand(82, 1, 8, 2, 2));
        check("resize-bilinear", t -> Functional.resizeBilinear(t[0], 5, 3), rand(83, 1, 2, 3, 4));
    }

    /** Finite differences through float32 rounding are meaningless, so the cast rule is checked exactly. */
    @Test
    void castPassesGradientBackInTheSourceDtype() {
        Tensor x = rand(84, 3).requiresGrad(true);
        x.to(DType.F32).mul(3).to(DType.F64).sum().backward();
        org.junit.jupiter.api.Assertions.assertEquals(DType.F64, x.grad().dtype());
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {3, 3, 3}, x.grad().toDoubleArray(), 0);
    }

    @Test
    void losses() {
        check("cross-entropy", t -> Functional.crossEntropy(t[0], new int[] {1, 0, 2}), rand(90, 3, 4));
        check("cross-entropy-weighted-ignore", t -> Functional.crossEntropy(t[0], new int[] {1, -100, 2, 0}, new double[] {0.5, 2, 1}, -100), rand(91, 4, 3));
        Tensor y = Tensor.of(new double[] {1, 0, 0, 1, 1, 0}, 2, 3);
        check("bce-with-logits", t -> Functional.bceWithLogits(t[0], y, null), rand(92, 2, 3));
        check("bce-pos-weight", t -> Functional.bceWithLogits(t[0], y, Tensor.of(new double[] {2, 0.5, 3}, 3)), rand(93, 2, 3));
        check("mse", t -> Functional.mse(t[0], t[1]), rand(94, 3, 2), rand(95, 3, 2));
        check("l1", t -> Functional.l1(t[0], t[1]), positive(96, 4), positive(97, 4).add(2).detach());
        check("dropout", t -> Functional.dropout(t[0], 0.3, true, new SplittableRandom(5)), rand(98, 4, 5));
    }
}
