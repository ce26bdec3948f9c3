// Fused softmax cross-entropy over logits [N, K] with optional class weights and an ignore index.
// CPU twin: dev.orcaj.nn.Functional.crossEntropy (= -sum_i w_i log softmax(x_i)[y_i] / sum_i w_i) and its
// autograd gradient (softmax - onehot) * w_i / sum w. One block per row.
#include "common.cuh"

// lossRows[i] = w_i (logsumexp(x_i) - x_i[y_i]), 0 for ignored rows; the host sums and divides by sum w.
extern "C" __global__ void cross_entropy_forward(const float* __restrict__ logits, const int* __restrict__ labels,
                                                 const float* __restrict__ classWeights, float* __restrict__ lossRows,
                                                 int rows, int k, int ignoreIndex) {
    int r = blockIdx.x;
    if (r >= rows) return;
    int y = labels[r];
    if (y == ignoreIndex) { if (threadIdx.x == 0) lossRows[r] = 0.f; return; }
    const float* x = logits + (size_t) r * k;
    float m = -CUDART_INF_F;
    for (int c = threadIdx.x; c < k; c += blockDim.x) m = fmaxf(m, x[c]);
    m = block_max(m);
    float s = 0.f;
    for (int c = threadIdx.x; c < k; c += blockDim.x) s += expf(x[c] - m);
    s = block_sum(s);
    if (threadIdx.x == 0) lossRows[r] = (classWeights ? classWeights[y] : 1.f) * (m + logf(s) - x[y]);
}

// dlogits[i, c] = scale * w_i (softmax(x_i)_c - [c == y_i]); scale = upstream gradient / sum w.
extern "C" __global__ void cross_entropy_backward(const float* __restrict__ logits, const int* __restrict__ labels,
                                                  const float* __restrict__ classWeights, float* __restrict__ dlogits,
                                                  int rows, int k, int ignoreIndex, float scale) {
    int r = blockIdx.x;
    if (r >= rows) return;
    int y = labels[r];
    const float* x = logits + (size_t) r * k;
    float* d = dlogits + (size_t) r * k;
    if (y == ignoreIndex) { for (int c = threadIdx.x; c < k; c += blockDim.x) d[c] = 0.f; return; }
    float m = -CUDART_INF_F;
    for (int c = threadIdx.x; c < k; c += blockDim.x) m = fmaxf(m, x[c]);
    m = block_max(m);
    float s = 0.f;
    for (int c = threadIdx.x; c < k; c += blockDim.x) s += expf(x[c] - m);
    s = block_sum(s);
    float w = scale * (classWeights ? classWeights[y] : 1.f) / s;
    for (int c = threadIdx.x; c < k; c += blockDim.x) d[c] = w * expf(x[c] - m) - (c == y ? scale * (classWeights ? classWeights[y] : 1.f) : 0.f);
}
