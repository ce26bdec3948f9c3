// LayerNorm over the last axis of a contiguous [rows, cols] (biased variance, two passes: mean, then the
// centred sum of squares, so no E[x^2] - E[x]^2 cancellation). CPU twins: RefBackend.layerNorm /
// layerNormBackward (RefKernels.layerNormRows / layerNormBackwardRows). gamma/beta may be null (0).
#include "common.cuh"

extern "C" __global__ void layernorm_forward(const float* __restrict__ x, const float* __restrict__ gamma, const float* __restrict__ beta,
                                             float* __restrict__ y, float* __restrict__ mean, float* __restrict__ rstd,
                                             int rows, int cols, float eps) {
    int r = blockIdx.x;
    if (r >= rows) return;
    size_t o = (size_t) r * cols;
    float s = 0.f;
    for (int c = threadIdx.x; c < cols; c += blockDim.x) s += x[o + c];
    float mu = block_sum(s) / cols;
    float v = 0.f;
    for (int c = threadIdx.x; c < cols; c += blockDim.x) { float d = x[o + c] - mu; v += d * d; }
    float rs = rsqrtf(block_sum(v) / cols + eps);
    for (int c = threadIdx.x; c < cols; c += blockDim.x) {
        float t = (x[o + c] - mu) * rs;
        if (gamma) t *= gamma[c];
        if (beta) t += beta[c];
        y[o + c] = t;
    }
    if (threadIdx.x == 0) { mean[r] = mu; rstd[r] = rs; }
}

// dx = rstd (g - mean(g) - xhat mean(g xhat)) with g = dy * gamma, xhat = (x - mean) rstd. One block per row.
extern "C" __global__ void layernorm_backward_dx(const float* __restrict__ dy, const float* __restrict__ x, const float* __restrict__ gamma,
                                                 const float* __restrict__ mean, const float* __restrict__ rstd, float* __restrict__ dx,
                                                 int rows, int cols) {
    int r = blockIdx.x;
    if (r >= rows) return;
    size_t o = (size_t) r * cols;
    float mu = mean[r], rs = rstd[r];
    float sg = 0.f, sgx = 0.f;
    for (int c = threadIdx.x; c < cols; c += blockDim.x) {
        float g = dy[o + c] * (gamma ? gamma[c] : 1.f);
        sg += g;
        sgx += g * (x[o + c] - mu) * rs;
    }
    sg = block_sum(sg) / cols;
    sgx = block_sum(sgx) / cols;
    for (int c = threadIdx.x; c < cols; c += blockDim.x) {
        float g = dy[o + c] * (gamma ? gamma[c] : 1.f);
        dx[o + c] = rs * (g - sg - (x[o + c] - mu) * rs * sgx);
    }
}

// dgamma[c] = sum_r dy xhat, dbeta[c] = sum_r dy: one thread per column (coalesced over c).
extern "C" __global__ void layernorm_backward_params(const float* __restrict__ dy, const float* __restrict__ x, const float* __restrict__ mean,
                                                     const float* __restrict__ rstd, float* __restrict__ dgamma, float* __restrict__ dbeta,
                                                     int rows, int cols) {
    GRID_LOOP(c, cols) {
        float g = 0.f, b = 0.f;
        for (int r = 0; r < rows; r++) {
            size_t i = (size_t) r * cols + c;
            g += dy[i] * (x[i] - mean[r]) * rstd[r];
            b += dy[i];
        }
        dgamma[c] = g;
        dbeta[c] = b;
    }
}
