package dev.orcaj.nn;

import dev.orcaj.autograd.GradCheck;
import dev.orcaj.tensor.DType;
import dev.orcaj.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * nn.Attention, the one attention BERT and Swin call, against softmax(q k^T * scale + a) v composed from plain ops,
 * on both of its routes: a constant additive term (fused into the softmax) and a learned one (Swin's relative
 * position bias, added to the scores first so it receives a gradient).
 */
class AttentionTest {
    final int b = 2, h = 3, s = 5, hd = 4;
    final Tensor q = GradCheck.rand(1, b, h, s, hd), kT = GradCheck.rand(2, b, h, hd, s), v = GradCheck.rand(3, b, h, s, hd);
    final Tensor additive = GradCheck.rand(4, 1, h, s, s).mul(3); // per-head bias broadcast over the batch
    final double scale = 1 / Math.sqrt(hd);

    Tensor composed(Tensor a) { return q.matmul(kT).mul(scale).add(a).softmax().matmul(v); }

    static double maxDiff(Tensor x, Tensor y) {
        double[] a = x.toDoubleArray(), c = y.toDoubleArray();
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - c[i]));
        return m;
    }

    @Test
    void constantAndLearnedAdditiveTermsGiveTheComposedAttention() {
        Tensor expected = composed(additive);
        assertTrue(maxDiff(expected, Attention.scaledDotProduct(q, kT, v, scale, additive, null)) < 1e-12, "constant (fused) route");
        Tensor learned = additive.detach().requiresGrad(true);
        assertTrue(maxDiff(expected, Attention.scaledDotProduct(q, kT, v, scale, learned, null)) < 1e-12, "learned route");
        Tensor withMask = MultiHeadAttention.keyMask(new float[] {1, 1, 1, 0, 0, 1, 1, 1, 1, 0}, b, s, DType.F64);
        assertTrue(maxDiff(composed(withMask), Attention.scaledDotProduct(q, kT, v, scale, withMask, null)) < 1e-12, "key mask");
    }

    @Test
    void gradientsReachQueriesKeysValuesAndALearnedBias() {
        GradCheck.check("attention", t -> Attention.scaledDotProduct(t[0], t[1], t[2], scale, t[3], null), q, kT, v, additive);
    }

    @Test
    void attendSplitsAndMergesHeads() {
        Tensor x = GradCheck.rand(5, b, s, h * hd);
        Tensor heads = x.reshape(b, s, h, hd).permute(0, 2, 1, 3);
        Tensor expected = heads.matmul(heads.transpose(2, 3)).mul(scale).softmax().matmul(heads).permute(0, 2, 1, 3).reshape(b, s, h * hd);
        assertTrue(maxDiff(expected, Attention.attend(x, x, x, h, null, null)) < 1e-12);
    }
}
