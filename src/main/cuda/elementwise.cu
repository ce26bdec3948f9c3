// Elementwise and broadcasting kernels. CPU twins: RefBackend.copy/unary/binary/where (dev.orcaj.backend.ref),
// with the op definitions of dev.orcaj.backend.UnaryOp.apply and BinaryOp.apply. Inputs are strided views
// (broadcast = stride 0), outputs contiguous. GELU/GELU_GRAD live in gelu.cu.
#include "common.cuh"

// Codes = UnaryOp.ordinal(): AFFINE EXP LOG SQRT RSQRT TANH ERF RELU GELU GELU_GRAD SIGMOID ABS SIGN STEP POW CLAMP IN_RANGE
__device__ __forceinline__ float unary_apply(int op, float x, float p, float q) {
    switch (op) {
        case 0: return fmaf(p, x, q);
        case 1: return expf(x);
        case 2: return logf(x);
        case 3: return sqrtf(x);
        case 4: return rsqrtf(x);
        case 5: return tanhf(x);
        case 6: return erff(x);
        case 7: return x > 0.f ? x : 0.f;
        case 10: return x >= 0.f ? 1.f / (1.f + expf(-x)) : expf(x) / (1.f + expf(x));
        case 11: return fabsf(x);
        case 12: return x > 0.f ? 1.f : (x < 0.f ? -1.f : x); // signum keeps +-0 and NaN
        case 13: return x > 0.f ? 1.f : 0.f;
        case 14: return powf(x, p);
        case 15: return fminf(fmaxf(x, p), q);
        case 16: return x >= p && x <= q ? 1.f : 0.f;
        default: return CUDART_NAN_F; // 8, 9: gelu.cu
    }
}

// Codes = BinaryOp.ordinal(): ADD SUB MUL DIV
__device__ __forceinline__ float binary_apply(int op, float a, float b) {
    switch (op) {
        case 0: return a + b;
        case 1: return a - b;
        case 2: return a * b;
        default: return a / b;
    }
}

extern "C" __global__ void strided_copy(View x, const float* __restrict__ src, float* __restrict__ out, int n) {
    GRID_LOOP(i, n) out[i] = src[view_index(x, i)];
}

// The adjoint layout of strided_copy: contiguous src written into a strided view of out (pad's interior,
// concat's slices). CPU twin: RefBackend.pad / RefBackend.concat. The view must not overlap itself.
extern "C" __global__ void strided_scatter(View y, const float* __restrict__ src, float* __restrict__ out, int n) {
    GRID_LOOP(i, n) out[view_index(y, i)] = src[i];
}

extern "C" __global__ void unary_strided(int op, View x, const float* __restrict__ src, float* __restrict__ out, int n, float p, float q) {
    GRID_LOOP(i, n) out[i] = unary_apply(op, src[view_index(x, i)], p, q);
}

// a and b are views already broadcast to the output shape (same rank and shape, stride 0 on broadcast axes).
extern "C" __global__ void binary_strided(int op, View a, const float* __restrict__ pa, View b, const float* __restrict__ pb,
                                          float* __restrict__ out, int n) {
    GRID_LOOP(i, n) out[i] = binary_apply(op, pa[view_index(a, i)], pb[view_index(b, i)]);
}

// Fast path: both operands contiguous with the output's shape.
extern "C" __global__ void binary_contiguous(int op, const float* __restrict__ a, const float* __restrict__ b, float* __restrict__ out, int n) {
    GRID_LOOP(i, n) out[i] = binary_apply(op, a[i], b[i]);
}

extern "C" __global__ void where_strided(View m, const float* __restrict__ pm, View a, const float* __restrict__ pa,
                                         View b, const float* __restrict__ pb, float* __restrict__ out, int n) {
    GRID_LOOP(i, n) out[i] = pm[view_index(m, i)] != 0.f ? pa[view_index(a, i)] : pb[view_index(b, i)];
}

extern "C" __global__ void fill(float* __restrict__ out, int n, float value) {
    GRID_LOOP(i, n) out[i] = value;
}
