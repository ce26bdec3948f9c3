// Exact (erf) GELU, as BERT/RoBERTa/Swin use it. CPU twins: UnaryOp.GELU / GELU_GRAD (RefKernels.gelu,
// geluBackward). Phi(x) = erfc(-x/sqrt 2)/2 keeps the lower tail accurate, as RefKernels.phi.
#include "common.cuh"

__device__ __forceinline__ float phi(float x) { return 0.5f * erfcf(-x * 0.70710678118654752f); }

extern "C" __global__ void gelu_forward(const float* __restrict__ x, float* __restrict__ y, int n) {
    GRID_LOOP(i, n) y[i] = x[i] * phi(x[i]);
}

// dx = dy (Phi(x) + x exp(-x^2/2)/sqrt(2 pi)); dy null means 1 (the derivative itself, UnaryOp.GELU_GRAD).
extern "C" __global__ void gelu_backward(const float* __restrict__ x, const float* __restrict__ dy, float* __restrict__ dx, int n) {
    GRID_LOOP(i, n) {
        float v = x[i];
        float d = phi(v) + v * expf(-0.5f * v * v) * 0.39894228040143268f;
        dx[i] = dy ? dy[i] * d : d;
    }
}
