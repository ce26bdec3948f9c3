// Reductions. CPU twins: RefBackend.reduce (SUM/MAX over any axes: the host moves reduced axes last with
// strided_copy, then reduce_rows) and CpuBackend.columnSums (leading-axes sums, e.g. bias gradients), and
// RefBackend.argmaxLast.
#include "common.cuh"

// One block per row of a contiguous [rows, cols]; op 0 = SUM, 1 = MAX (NaN propagates, as RefBackend).
extern "C" __global__ void reduce_rows(int op, const float* __restrict__ x, float* __restrict__ out, int rows, int cols) {
    int r = blockIdx.x;
    if (r >= rows) return;
    const float* row = x + (size_t) r * cols;
    if (op == 0) {
        float s = 0.f;
        for (int c = threadIdx.x; c < cols; c += blockDim.x) s += row[c];
        s = block_sum(s);
        if (threadIdx.x == 0) out[r] = s;
    } else {
        float m = -CUDART_INF_F;
        bool nan = false;
        for (int c = threadIdx.x; c < cols; c += blockDim.x) { float v = row[c]; nan |= isnan(v); m = fmaxf(m, v); }
        m = block_max(m);
        float anyNan = block_sum(nan ? 1.f : 0.f);
        if (threadIdx.x == 0) out[r] = anyNan > 0.f ? CUDART_NAN_F : m;
    }
}

// Sum over the leading rows of a contiguous [rows, cols]: one thread per column, coalesced row reads.
extern "C" __global__ void column_sums(const float* __restrict__ x, float* __restrict__ out, int rows, int cols) {
    GRID_LOOP(c, cols) {
        float s = 0.f;
        for (int r = 0; r < rows; r++) s += x[(size_t) r * cols + c];
        out[c] = s;
    }
}

// Index of the maximum of every row of a contiguous [rows, cols] (first on ties; NaN is never picked, so a row whose first entry is NaN differs from RefBackend, which keeps index 0).
extern "C" __global__ void argmax_rows(const float* __restrict__ x, int* __restrict__ out, int rows, int cols) {
    int r = blockIdx.x;
    if (r >= rows) return;
    const float* row = x + (size_t) r * cols;
    float best = -CUDART_INF_F;
    int bi = cols; // sentinel: a thread that saw nothing better than -inf
    for (int c = threadIdx.x; c < cols; c += blockDim.x) {
        float v = row[c];
        if (v > best || (bi == cols && v == best)) { best = v; bi = c; }
    }
    __shared__ float sv[1024];
    __shared__ int si[1024];
    sv[threadIdx.x] = best;
    si[threadIdx.x] = bi;
    __syncthreads();
    for (int s = blockDim.x >> 1; s > 0; s >>= 1) {
        if (threadIdx.x < s) {
            float ov = sv[threadIdx.x + s];
            int oi = si[threadIdx.x + s];
            if (ov > sv[threadIdx.x] || (ov == sv[threadIdx.x] && oi < si[threadIdx.x])) { sv[threadIdx.x] = ov; si[threadIdx.x] = oi; }
        }
        __syncthreads();
    }
    if (threadIdx.x == 0) out[r] = si[0] >= cols ? 0 : si[0];
}
