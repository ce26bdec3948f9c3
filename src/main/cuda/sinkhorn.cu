// Log-domain Sinkhorn soft-min straight from two point clouds, without an n x m cost matrix:
//   out_i = -eps * log sum_j exp(h_j - C(x_i, y_j) / eps),
//   C(x, y) = featureScale * (p == 2 ? s : sqrt(s)) + labelScale * labelTable[lx_i * nLabelsY + ly_j],
//   s = max(0, |x_i|^2 + |y_j|^2 - 2 x_i.y_j)
// CPU twins: dev.orcaj.ot.CostMatrix.softmin (CostMatrixF32 / SoftminKernels.softminRow) on a matrix built by
// CostMatrix.build with dev.orcaj.ot.GroundCost.combine (same squared-distance formula and clamp).
// Tiling: a block owns TI = 32 rows of x and streams TJ = 32 points of y at a time; the 32 x 32 dot tile is a
// small shared-memory GEMM over d in chunks of TK; each row keeps an online log-sum-exp (running max and
// rescaled sum, Milakov and Gimelshein 2018), merged over the 16 threads sharing a row at the end.
// 256 threads = 16 x 16, each computing a 2 x 2 sub-tile.
#include "common.cuh"
#include "ot_tile.cuh"

extern "C" __global__ void sinkhorn_softmin(const float* __restrict__ x, const float* __restrict__ y,
                                            const float* __restrict__ sx, const float* __restrict__ sy,
                                            const int* __restrict__ lx, const int* __restrict__ ly,
                                            const float* __restrict__ labelTable, int nLabelsY,
                                            const float* __restrict__ h, float* __restrict__ out,
                                            int n, int m, int d, float eps, float featureScale, float labelScale, int p) {
    __shared__ float xs[TK][TI + 1], ys[TK][TJ + 1];
    __shared__ float redM[TI][17], redS[TI][17];
    int tx = threadIdx.x & 15, ty = threadIdx.x >> 4;
    int i0 = blockIdx.x * TI;
    float negInv = -1.f / eps;
    float runM[2] = {-CUDART_INF_F, -CUDART_INF_F}, runS[2] = {0.f, 0.f};
    for (int j0 = 0; j0 < m; j0 += TJ) {
        float dot[2][2];
        tile_dots(x, y, n, m, d, i0, j0, xs, ys, dot);
#pragma unroll
        for (int a = 0; a < 2; a++) {
            int i = i0 + ty * 2 + a;
            if (i >= n) continue;
#pragma unroll
            for (int b = 0; b < 2; b++) {
                int j = j0 + tx * 2 + b;
                if (j >= m) continue;
                float c = ground_cost(sx[i], sy[j], dot[a][b], lx, ly, labelTable, nLabelsY, i, j, featureScale, labelScale, p);
                float val = fmaf(c, negInv, h[j]);
                if (val > runM[a]) { runS[a] = runS[a] * expf(runM[a] - val) + 1.f; runM[a] = val; }
                else if (val > -CUDART_INF_F) runS[a] += expf(val - runM[a]); // skip exp(-inf - -inf) = NaN
            }
        }
    }
#pragma unroll
    for (int a = 0; a < 2; a++) { redM[ty * 2 + a][tx] = runM[a]; redS[ty * 2 + a][tx] = runS[a]; }
    __syncthreads();
    if (threadIdx.x < TI) {
        int r = threadIdx.x, i = i0 + r;
        float mm = -CUDART_INF_F;
        for (int t = 0; t < 16; t++) mm = fmaxf(mm, redM[r][t]);
        float ss = 0.f;
        for (int t = 0; t < 16; t++) if (redS[r][t] > 0.f) ss += redS[r][t] * expf(redM[r][t] - mm);
        if (i < n) out[i] = -eps * (mm + logf(ss));
    }
}
