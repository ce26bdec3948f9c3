package dev.orcaj.models;

import dev.orcaj.nn.Dropout;
import dev.orcaj.tensor.Tensor;

/**
 * Pieces of scaled dot-product attention (Vaswani et al. 2017, eq. 1) for bodies whose attention needs more than
 * {@link dev.orcaj.nn.MultiHeadAttention#attend}: dropout on the probabilities (BERT's attention_probs_dropout_prob
 * while training) and Swin's per-window bias.
 */
public final class Attention {
    private Attention() {}

    /** [N, S, D] -> [N, H, S, D/H]. */
    public static Tensor splitHeads(Tensor x, int heads) {
        int n = x.shape(0), s = x.shape(1), d = x.shape(2);
        return x.reshape(n, s, heads, d / heads).permute(0, 2, 1, 3);
    }

    /** [N, H, S, hd] -> [N, S, H*hd]. */
    public static Tensor mergeHeads(Tensor x) {
        int n = x.shape(0), h = x.shape(1), s = x.shape(2), hd = x.shape(3);
        return x.permute(0, 2, 1, 3).reshape(n, s, h * hd);
    }

    /** Raw scores q k^T / sqrt(head_dim) of head-split q, k [N, H, S, hd]: [N, H, S, S]. */
    public static Tensor scores(Tensor qh, Tensor kh) {
        return qh.matmul(kh.transpose(2, 3)).mul(1 / Math.sqrt(qh.shape(3)));
    }

    /** softmax(scores) (dropped out by {@code probsDropout} when training) times head-split values; merged heads. */
    public static Tensor weightedValues(Tensor scores, Tensor vh, Dropout probsDropout) {
        Tensor probs = scores.softmax();
        if (probsDropout != null) probs = probsDropout.forward(probs);
        return mergeHeads(probs.matmul(vh));
    }
}
