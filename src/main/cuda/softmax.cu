// Softmax / log-softmax over the last axis of a contiguous [rows, cols], one block per row.
// CPU twins: RefBackend.softmax / softmaxBackward (RefKernels.softmaxRows, logSoftmaxRows, softmaxBackwardRows,
// logSoftmaxBackwardRows).
#include "common.cuh"

extern "C" __global__ void softmax_rows(const float* __restrict__ x, float* __restrict__ y, int rows, int cols, int logOut) {
    int r = blockIdx.x;
    if (r >= rows) return;
    const float* xr = x + (size_t) r * cols;
    float* yr = y + (size_t) r * cols;
    float m = -CUDART_INF_F;
    for (int c = threadIdx.x; c < cols; c += blockDim.x) m = fmaxf(m, xr[c]);
    m = block_max(m);
    float s = 0.f;
    for (int c = threadIdx.x; c < cols; c += blockDim.x) s += expf(xr[c] - m);
    s = block_sum(s);
    if (logOut) {
        float ls = logf(s);
        for (int c = threadIdx.x; c < cols; c += blockDim.x) yr[c] = xr[c] - m - ls;
    } else {
        float inv = 1.f / s;
        for (int c = threadIdx.x; c < cols; c += blockDim.x) yr[c] = expf(xr[c] - m) * inv;
    }
}

// softmax: dx = y (dy - <dy, y>);  log-softmax: dx = dy - exp(y) sum(dy)
extern "C" __global__ void softmax_backward_rows(const float* __restrict__ y, const float* __restrict__ dy, float* __restrict__ dx,
                                                 int rows, int cols, int logOut) {
    int r = blockIdx.x;
    if (r >= rows) return;
    size_t o = (size_t) r * cols;
    float dot = 0.f;
    for (int c = threadIdx.x; c < cols; c += blockDim.x) dot += logOut ? dy[o + c] : dy[o + c] * y[o + c];
    dot = block_sum(dot);
    for (int c = threadIdx.x; c < cols; c += blockDim.x) {
        dx[o + c] = logOut ? dy[o + c] - expf(y[o + c]) * dot : y[o + c] * (dy[o + c] - dot);
    }
}
