// Shared tile code of sinkhorn.cu and otdd_grad.cu (not compiled on its own).
#pragma once

#define TI 32
#define TJ 32
#define TK 32

// dot[a][b] = x_{i0 + 2ty + a} . y_{j0 + 2tx + b} for the calling thread (256 threads, 16 x 16); rows past n or
// m read zeros. xs/ys are the block's shared staging tiles.
__device__ __forceinline__ void tile_dots(const float* __restrict__ x, const float* __restrict__ y, int n, int m, int d,
                                          int i0, int j0, float (*xs)[TI + 1], float (*ys)[TJ + 1], float dot[2][2]) {
    int tx = threadIdx.x & 15, ty = threadIdx.x >> 4;
    dot[0][0] = dot[0][1] = dot[1][0] = dot[1][1] = 0.f;
    for (int k0 = 0; k0 < d; k0 += TK) {
        // 256 threads load 32 x 32 of each operand: 4 elements each, coalesced along d
        for (int t = threadIdx.x; t < TI * TK; t += blockDim.x) {
            int r = t / TK, kk = t % TK;
            int gi = i0 + r, gj = j0 + r, gk = k0 + kk;
            xs[kk][r] = gi < n && gk < d ? x[(size_t) gi * d + gk] : 0.f;
            ys[kk][r] = gj < m && gk < d ? y[(size_t) gj * d + gk] : 0.f;
        }
        __syncthreads();
#pragma unroll 8
        for (int kk = 0; kk < TK; kk++) {
            float a0 = xs[kk][ty * 2], a1 = xs[kk][ty * 2 + 1];
            float b0 = ys[kk][tx * 2], b1 = ys[kk][tx * 2 + 1];
            dot[0][0] = fmaf(a0, b0, dot[0][0]);
            dot[0][1] = fmaf(a0, b1, dot[0][1]);
            dot[1][0] = fmaf(a1, b0, dot[1][0]);
            dot[1][1] = fmaf(a1, b1, dot[1][1]);
        }
        __syncthreads();
    }
}

// dev.orcaj.ot.GroundCost.combine
__device__ __forceinline__ float ground_cost(float sxi, float syj, float dot, const int* lx, const int* ly, const float* labelTable,
                                             int nLabelsY, int i, int j, float featureScale, float labelScale, int p) {
    float sq = fmaxf(0.f, sxi + syj - 2.f * dot);
    float c = featureScale * (p == 2 ? sq : sqrtf(sq));
    if (labelTable) c += labelScale * labelTable[lx[i] * nLabelsY + ly[j]];
    return c;
}
