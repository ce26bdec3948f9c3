package dev.orcaj.nn;

import dev.orcaj.tensor.Tensor;

import java.util.SplittableRandom;

/**
 * Multi-head self-attention (Vaswani et al. 2017, eq. 1): {@link Attention#attend} of the q, k, v projections,
 * heads concatenated and projected. Parameter names follow HF BERT: query, key, value, and output dense ("out").
 */
public final class MultiHeadAttention extends Module {
    public final Linear query, key, value, out;
    public final int heads;

    public MultiHeadAttention(int dim, int heads, SplittableRandom rng) {
        if (dim % heads != 0) throw new IllegalArgumentException("attention: hidden size " + dim + " not divisible by " + heads + " heads");
        this.heads = heads;
        query = child("query", new Linear(dim, dim, true, rng));
        key = child("key", new Linear(dim, dim, true, rng));
        value = child("value", new Linear(dim, dim, true, rng));
        out = child("out", new Linear(dim, dim, true, rng));
    }

    /** x [B, S, D]; additiveMask broadcastable to [B, H, S, S] (0 = attend, large negative = masked) or null. */
    public Tensor forward(Tensor x, Tensor additiveMask) {
        Tensor ctx = Attention.attend(query.forward(x), key.forward(x), value.forward(x), heads, additiveMask, null);
        return out.forward(ctx);
    }

    /**
     * Additive key mask from a 0/1 attention mask [B, S]: 0 where attended, {@code -big} where padded, shaped
     * [B, 1, 1, S]. HF uses finfo(float32).min; any value that underflows exp() gives the same softmax.
     */
    public static Tensor keyMask(float[] mask01, int b, int s, dev.orcaj.tensor.DType dtype) {
        double[] m = new double[b * s];
        for (int i = 0; i < m.length; i++) m[i] = mask01[i] != 0 ? 0 : -3.4028234663852886e38;
        return Tensor.of(m, b, 1, 1, s).to(dtype);
    }
}
