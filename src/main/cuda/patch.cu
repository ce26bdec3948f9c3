// Patch unfold / fold for convolutions with kernel = stride = k (Swin patch embedding, ORCA's 1D/2D embedders):
// a pure permuting copy, after which the convolution is one GEMM with the weight viewed [D, C*k*k].
// CPU twins: dev.orcaj.nn.Functional.patchUnfold2d / patchFold2d
//   unfold: [N, C, gh*k, gw*k] -> [N, gh*gw, C*k*k], out[n, gy*gw + gx, (c*k + ky)*k + kx] = x[n, c, gy*k + ky, gx*k + kx]
// Every element is read and written exactly once, so fold (the adjoint) needs no atomics.
#include "common.cuh"

__device__ __forceinline__ int image_index(int i, int c, int k, int gh, int gw) {
    // i enumerates the unfolded tensor [N, gh, gw, C, k, k] in row-major order
    int kx = i % k; i /= k;
    int ky = i % k; i /= k;
    int ch = i % c; i /= c;
    int gx = i % gw; i /= gw;
    int gy = i % gh; i /= gh;
    int n = i;
    int w = gw * k, h = gh * k;
    return ((n * c + ch) * h + gy * k + ky) * w + gx * k + kx;
}

extern "C" __global__ void patch_unfold2d(const float* __restrict__ x, float* __restrict__ out, int n, int c, int k, int gh, int gw) {
    int total = n * c * gh * gw * k * k;
    GRID_LOOP(i, total) out[i] = x[image_index(i, c, k, gh, gw)];
}

extern "C" __global__ void patch_fold2d(const float* __restrict__ p, float* __restrict__ out, int n, int c, int k, int gh, int gw) {
    int total = n * c * gh * gw * k * k;
    GRID_LOOP(i, total) out[image_index(i, c, k, gh, gw)] = p[i];
}
