// Row gathers and their adjoints. CPU twins: RefBackend.indexSelect / indexAdd (embedding lookup and its
// gradient) and RefBackend.gatherLast / scatterLast (picking the label logit in cross-entropy).
// Indices are checked on the host before launch (out-of-range ids throw there, as in RefBackend).
#include "common.cuh"

extern "C" __global__ void index_select_rows(const float* __restrict__ table, const int* __restrict__ ids, float* __restrict__ out,
                                             int nIds, int width) {
    int n = nIds * width;
    GRID_LOOP(i, n) out[i] = table[(size_t) ids[i / width] * width + i % width];
}

// out (zeroed by the host) += g rows at ids. atomicAdd: repeated ids sum in an unspecified order, so results can
// differ from the sequential CPU sum in the last bits.
extern "C" __global__ void index_add_rows(const float* __restrict__ g, const int* __restrict__ ids, float* __restrict__ out,
                                          int nIds, int width) {
    int n = nIds * width;
    GRID_LOOP(i, n) atomicAdd(&out[(size_t) ids[i / width] * width + i % width], g[i]);
}

extern "C" __global__ void gather_last(const float* __restrict__ a, const int* __restrict__ idx, float* __restrict__ out, int rows, int cols) {
    GRID_LOOP(r, rows) out[r] = a[(size_t) r * cols + idx[r]];
}

// out (zeroed by the host)[r, idx[r]] = g[r]
extern "C" __global__ void scatter_last(const float* __restrict__ g, const int* __restrict__ idx, float* __restrict__ out, int rows, int cols) {
    GRID_LOOP(r, rows) out[(size_t) r * cols + idx[r]] = g[r];
}
