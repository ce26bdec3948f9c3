// Shared device helpers for the ORCA-J kernels (included by the .cu files; not compiled on its own).
#pragma once
#include <cuda_runtime.h>
#include <math_constants.h>

#define ORCAJ_MAX_RANK 8

// A strided view of up to ORCAJ_MAX_RANK axes: shape, element strides, element offset. Passed by value
// (the Java side packs it as 1 + 8 + 8 + 1 ints; see dev.orcaj.backend.cuda.Strided).
struct View {
    int rank;
    int shape[ORCAJ_MAX_RANK];
    int stride[ORCAJ_MAX_RANK];
    int offset;
};

// Storage index of the i-th element (row-major order) of a view. Fully unrolled over the maximum rank so the
// struct is indexed with constants and stays in parameter space (a dynamic index would copy it to local memory).
__device__ __forceinline__ int view_index(const View& v, int i) {
    int p = v.offset;
#pragma unroll
    for (int d = ORCAJ_MAX_RANK - 1; d >= 0; d--) {
        if (d < v.rank) {
            int s = v.shape[d];
            p += (i % s) * v.stride[d];
            i /= s;
        }
    }
    return p;
}

__device__ __forceinline__ float warp_sum(float v) {
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
    return v;
}

__device__ __forceinline__ float warp_max(float v) {
    for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, o));
    return v;
}

// Block-wide sum / max (blockDim.x a multiple of 32, at most 1024); every thread gets the result.
__device__ __forceinline__ float block_sum(float v) {
    __shared__ float part[32];
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = (blockDim.x + 31) >> 5;
    v = warp_sum(v);
    __syncthreads();
    if (lane == 0) part[warp] = v;
    __syncthreads();
    v = lane < warps ? part[lane] : 0.f;
    return warp_sum(v);
}

__device__ __forceinline__ float block_max(float v) {
    __shared__ float part[32];
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = (blockDim.x + 31) >> 5;
    v = warp_max(v);
    __syncthreads();
    if (lane == 0) part[warp] = v;
    __syncthreads();
    v = lane < warps ? part[lane] : -CUDART_INF_F;
    return warp_max(v);
}

// Grid-stride loop over n elements.
#define GRID_LOOP(i, n) for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < (n); i += blockDim.x * gridDim.x)
