package dev.orcaj.nn;

import dev.orcaj.autograd.Ops;
import dev.orcaj.tensor.Tensor;

/**
 * The one scaled dot-product attention of the engine (Vaswani et al. 2017, eq. 1):
 * dropout(softmax(scale * Q K^T + additive)) V. BERT calls it with a constant key mask, Swin with its learned relative
 * position bias plus the shifted-window mask folded into one additive term. The probabilities always come from the
 * fused {@link Ops#scaledMaskedSoftmax}; a learned (grad-requiring) additive term is added to the scaled scores first
 * because the fused op treats its mask as a constant.
 *
 * <p>{@link #attend} with a constant additive term and no active probability dropout (BERT in ORCA's default
 * training, every forward at inference) runs the whole of eq. 1 as the one primitive {@link Ops#attention}, which
 * keeps no [B, H, S, S] tensor for the backward (the CPU backend's blockwise FlashAttention kernel). Probability
 * dropout or a learned additive term (Swin) take the composed route of {@link #scaledDotProduct}.
 */
public final class Attention {
    /** Off only to measure or test against the composed route (system property orcaj.attention.fused=false). */
    private static volatile boolean fused = !"false".equals(System.getProperty("orcaj.attention.fused"));

    private Attention() {}

    /** Chooses the primitive (true, the default) or the composed route for {@link #attend}: benchmarks and tests. */
    public static void setFused(boolean on) { fused = on; }

    /**
     * Projected q, k, v [B, S, D] split into {@code heads}; {@code additive} broadcastable to [B, H, S, S] or null;
     * {@code probsDropout} (HF attention_probs_dropout_prob) or null. Returns the merged heads [B, S, D].
     */
    public static Tensor attend(Tensor q, Tensor k, Tensor v, int heads, Tensor additive, Dropout probsDropout) {
        int b = q.shape(0), s = q.shape(1), d = q.shape(2), hd = d / heads;
        boolean constantAdditive = additive == null || !additive.requiresGrad();
        if (fused && constantAdditive && (probsDropout == null || !probsDropout.isActive())) {
            return Ops.attention(q, k, v, heads, 1 / Math.sqrt(hd), additive);
        }
        Tensor qh = q.reshape(b, s, heads, hd).permute(0, 2, 1, 3);
        Tensor khT = k.reshape(b, s, heads, hd).permute(0, 2, 3, 1);
        Tensor vh = v.reshape(b, s, heads, hd).permute(0, 2, 1, 3);
        return scaledDotProduct(qh, khT, vh, 1 / Math.sqrt(hd), additive, probsDropout).permute(0, 2, 1, 3).reshape(b, s, d);
    }

    /**
     * Head-split form: qh [.., S, hd], khT (keys transposed) [.., hd, Sk], vh [.., Sk, hd]; {@code additive}
     * broadcastable to the scores [.., S, Sk] or null. Returns [.., S, hd].
     */
    public static Tensor scaledDotProduct(Tensor qh, Tensor khT, Tensor vh, double scale, Tensor additive, Dropout probsDropout) {
        Tensor scores = qh.matmul(khT);
        Tensor probs = additive != null && additive.requiresGrad()
                ? Ops.scaledMaskedSoftmax(scores.mul(scale).add(additive), 1, null)
                : Ops.scaledMaskedSoftmax(scores, scale, additive);
        if (probsDropout != null) probs = probsDropout.forward(probs);
        return probs.matmul(vh);
    }
}
