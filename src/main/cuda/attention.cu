// Masked scaled dot-product attention forward, out = softmax(Q K^T * scale + mask) V per (batch, head), with an
// online (streaming) softmax over the keys (Milakov and Gimelshein 2018; the FlashAttention recurrence) so the
// S x S score matrix is never stored. CPU twin: dev.orcaj.nn.MultiHeadAttention (scores.softmax().matmul(v)),
// i.e. RefBackend.matmul + softmax + matmul. Backward is not fused: the engine's autograd recomputes it with GEMMs.
// q [B, H, Sq, D], k and v [B, H, Sk, D] contiguous; D <= 128. mask (nullable) is additive, addressed through
// element strides (mb, mh, mq, mk) so [B, 1, 1, Sk] key masks broadcast with stride 0. One warp per query row.
#include "common.cuh"

#define ATT_MAX_D 128

extern "C" __global__ void attention_forward(const float* __restrict__ q, const float* __restrict__ k, const float* __restrict__ v,
                                             const float* __restrict__ mask, int mb, int mh, int mq, int mk,
                                             float* __restrict__ out, int batch, int heads, int sq, int sk, int d, float scale) {
    int lane = threadIdx.x & 31;
    int row = blockIdx.x * (blockDim.x >> 5) + (threadIdx.x >> 5); // (b, h, i) flattened
    if (row >= batch * heads * sq) return;
    int i = row % sq, bh = row / sq, h = bh % heads, b = bh / heads;
    const float* qr = q + (size_t) row * d;
    const float* kb = k + (size_t) bh * sk * d;
    const float* vb = v + (size_t) bh * sk * d;
    float qv[ATT_MAX_D / 32], acc[ATT_MAX_D / 32];
#pragma unroll
    for (int t = 0; t < ATT_MAX_D / 32; t++) {
        int c = lane + 32 * t;
        qv[t] = c < d ? qr[c] * scale : 0.f;
        acc[t] = 0.f;
    }
    float m = -CUDART_INF_F, s = 0.f;
    for (int j = 0; j < sk; j++) {
        const float* kr = kb + (size_t) j * d;
        float dot = 0.f;
#pragma unroll
        for (int t = 0; t < ATT_MAX_D / 32; t++) {
            int c = lane + 32 * t;
            if (c < d) dot += qv[t] * kr[c];
        }
        dot = warp_sum(dot);
        if (mask) dot += mask[(size_t) b * mb + (size_t) h * mh + (size_t) i * mq + (size_t) j * mk];
        float mNew = fmaxf(m, dot);
        float corr = expf(m - mNew); // 0 on the first key (m = -inf)
        float w = expf(dot - mNew);
        s = s * corr + w;
        const float* vr = vb + (size_t) j * d;
#pragma unroll
        for (int t = 0; t < ATT_MAX_D / 32; t++) {
            int c = lane + 32 * t;
            if (c < d) acc[t] = acc[t] * corr + w * vr[c];
        }
        m = mNew;
    }
    float* orow = out + (size_t) row * d;
#pragma unroll
    for (int t = 0; t < ATT_MAX_D / 32; t++) {
        int c = lane + 32 * t;
        if (c < d) orow[c] = acc[t] / s;
    }
}
