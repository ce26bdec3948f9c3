// Fused AdamW step over a flat parameter. CPU twin: dev.orcaj.optim.Adam#update with decoupled weight decay
// (dev.orcaj.optim.AdamW, torch.optim.AdamW): p = p (1 - lr wd) - stepSize m / (sqrt(v) / bias2Sqrt + eps),
// stepSize = lr / (1 - beta1^t), bias2Sqrt = sqrt(1 - beta2^t) (computed on the host in double).
// l2 is the coupled decay of plain Adam (0 for AdamW); shrink = 1 - lr wd (1 for Adam).
#include "common.cuh"

extern "C" __global__ void adamw_step(float* __restrict__ p, const float* __restrict__ g, float* __restrict__ m, float* __restrict__ v,
                                      int n, float beta1, float beta2, float eps, float l2, float shrink,
                                      float stepSize, float bias2Sqrt) {
    GRID_LOOP(i, n) {
        float w = p[i];
        float gi = g[i] + l2 * w;
        float mi = beta1 * m[i] + (1.f - beta1) * gi;
        float vi = beta2 * v[i] + (1.f - beta2) * gi * gi;
        m[i] = mi;
        v[i] = vi;
        p[i] = w * shrink - stepSize * mi / (sqrtf(vi) / bias2Sqrt + eps);
    }
}
