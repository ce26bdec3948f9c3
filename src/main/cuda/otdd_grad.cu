// Gradient of the (debiased) Sinkhorn divergence / OTDD feature term with respect to the target points y.
// CPU twins: dev.orcaj.ot.CostMatrix.softmaxTimes (soft-max barycentres) and
// dev.orcaj.ot.SinkhornDivergence.gradientWrtY (the combination), for p = 2:
//   dS/dy_j = b_j 2s [ (y_j - sum_i P_ji x_i) - (y_j - sum_k Q_jk y_k) ]
// softmax_times computes out_i = sum_j w_ij v_j, w_ij = exp(h_j - C_ij/eps - lse_i), lse_i = -softmin_i / eps, with
// the costs recomputed from the points (no n x m matrix). Grid: (ceil(n/32), ceil(dv/32)); each block keeps a
// 32 x 32 output tile and, per 32-point tile of y, forms the weight tile in shared memory and multiplies it by the
// matching 32 x 32 tile of v. Costs are recomputed once per output column tile (dv/32 times): simple, and this
// runs once per Sinkhorn solve.
#include "common.cuh"
#include "ot_tile.cuh"

extern "C" __global__ void softmax_times(const float* __restrict__ x, const float* __restrict__ y,
                                         const float* __restrict__ sx, const float* __restrict__ sy,
                                         const int* __restrict__ lx, const int* __restrict__ ly,
                                         const float* __restrict__ labelTable, int nLabelsY,
                                         const float* __restrict__ h, const float* __restrict__ softmin,
                                         const float* __restrict__ v, float* __restrict__ out,
                                         int n, int m, int d, int dv, float eps, float featureScale, float labelScale, int p) {
    __shared__ float xs[TK][TI + 1], ys[TK][TJ + 1];
    __shared__ float w[TI][TJ + 1], vt[TJ][33];
    int tx = threadIdx.x & 15, ty = threadIdx.x >> 4;
    int i0 = blockIdx.x * TI, c0 = blockIdx.y * 32;
    float negInv = -1.f / eps;
    float acc[2][2] = {{0.f, 0.f}, {0.f, 0.f}};
    for (int j0 = 0; j0 < m; j0 += TJ) {
        float dot[2][2];
        tile_dots(x, y, n, m, d, i0, j0, xs, ys, dot);
#pragma unroll
        for (int a = 0; a < 2; a++) {
#pragma unroll
            for (int b = 0; b < 2; b++) {
                int i = i0 + ty * 2 + a, j = j0 + tx * 2 + b;
                float wij = 0.f;
                if (i < n && j < m) {
                    float c = ground_cost(sx[i], sy[j], dot[a][b], lx, ly, labelTable, nLabelsY, i, j, featureScale, labelScale, p);
                    wij = expf(fmaf(c, negInv, h[j]) + softmin[i] / eps); // lse_i = -softmin_i / eps
                }
                w[ty * 2 + a][tx * 2 + b] = wij;
            }
        }
        for (int t = threadIdx.x; t < TJ * 32; t += blockDim.x) {
            int r = t / 32, cc = t % 32;
            int j = j0 + r, c = c0 + cc;
            vt[r][cc] = j < m && c < dv ? v[(size_t) j * dv + c] : 0.f;
        }
        __syncthreads();
#pragma unroll 8
        for (int jj = 0; jj < TJ; jj++) {
            float w0 = w[ty * 2][jj], w1 = w[ty * 2 + 1][jj];
            float v0 = vt[jj][tx * 2], v1 = vt[jj][tx * 2 + 1];
            acc[0][0] = fmaf(w0, v0, acc[0][0]);
            acc[0][1] = fmaf(w0, v1, acc[0][1]);
            acc[1][0] = fmaf(w1, v0, acc[1][0]);
            acc[1][1] = fmaf(w1, v1, acc[1][1]);
        }
        __syncthreads();
    }
#pragma unroll
    for (int a = 0; a < 2; a++) {
#pragma unroll
        for (int b = 0; b < 2; b++) {
            int i = i0 + ty * 2 + a, c = c0 + tx * 2 + b;
            if (i < n && c < dv) out[(size_t) i * dv + c] = acc[a][b];
        }
    }
}

// g[j, k] = exp(logB_j) twoS (qy ? qy - px : y - px)  (SinkhornDivergence.gradientWrtY; qy null when not debiased)
extern "C" __global__ void otdd_grad_combine(const float* __restrict__ px, const float* __restrict__ qy, const float* __restrict__ y,
                                             const float* __restrict__ logB, float* __restrict__ g, int m, int d, float twoS) {
    int total = m * d;
    GRID_LOOP(t, total) {
        int j = t / d;
        float bj = expf(logB[j]) * twoS;
        g[t] = bj * (qy ? qy[t] - px[t] : y[t] - px[t]);
    }
}

// Squared norms |x_i|^2 of the rows of a contiguous [n, d] (inputs of the cost formula). One warp per row.
extern "C" __global__ void row_sq_norms(const float* __restrict__ x, float* __restrict__ out, int n, int d) {
    int lane = threadIdx.x & 31;
    int row = blockIdx.x * (blockDim.x >> 5) + (threadIdx.x >> 5);
    if (row >= n) return;
    float s = 0.f;
    for (int c = lane; c < d; c += 32) { float v = x[(size_t) row * d + c]; s += v * v; }
    s = warp_sum(s);
    if (lane == 0) out[row] = s;
}
