// CPU emulation of the few CUDA device features the ORCA-J kernels use, so their logic (indexing, tiling, block
// reductions, warp shuffles, online log-sum-exp) can be checked on machines without a GPU. Each CUDA thread is a
// std::thread; blocks run one after another; __syncthreads and warp shuffles use std::barrier; threads that return
// early drop out of the barriers (as exited CUDA threads do). Not a simulator of timing or memory models.
#pragma once
#include <atomic>
#include <barrier>
#include <cmath>
#include <cstddef>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

struct dim3 { unsigned x = 1, y = 1, z = 1; };
inline thread_local dim3 threadIdx, blockIdx;
inline dim3 blockDim, gridDim;

#define __global__
#define __device__
#define __forceinline__ inline
#define __shared__ static

namespace emu {
inline std::unique_ptr<std::barrier<>> block_barrier;
inline std::vector<std::unique_ptr<std::barrier<>>> warp_barriers;
inline float shfl_slots[1024];

template <class F>
void launch(dim3 grid, unsigned block, F kernel) {
    gridDim = grid;
    blockDim = dim3{block, 1, 1};
    for (unsigned by = 0; by < grid.y; by++) {
        for (unsigned bx = 0; bx < grid.x; bx++) {
            block_barrier = std::make_unique<std::barrier<>>(block);
            warp_barriers.clear();
            for (unsigned w = 0; w < (block + 31) / 32; w++) warp_barriers.push_back(std::make_unique<std::barrier<>>(std::min(32u, block - 32 * w)));
            std::vector<std::thread> ts;
            for (unsigned t = 0; t < block; t++) {
                ts.emplace_back([=] {
                    threadIdx = dim3{t, 0, 0};
                    blockIdx = dim3{bx, by, 0};
                    kernel();
                    block_barrier->arrive_and_drop();
                    warp_barriers[t / 32]->arrive_and_drop();
                });
            }
            for (auto& th : ts) th.join();
        }
    }
}
}  // namespace emu

inline void __syncthreads() { emu::block_barrier->arrive_and_wait(); }

inline float __shfl_xor_sync(unsigned, float v, int laneMask) {
    unsigned t = threadIdx.x, w = t / 32;
    emu::shfl_slots[t] = v;
    emu::warp_barriers[w]->arrive_and_wait();
    float r = emu::shfl_slots[(t & ~31u) | ((t & 31u) ^ (unsigned) laneMask)];
    emu::warp_barriers[w]->arrive_and_wait();
    return r;
}

inline float atomicAdd(float* p, float v) { return std::atomic_ref<float>(*p).fetch_add(v); }
inline float rsqrtf(float x) { return 1.0f / std::sqrt(x); }
using std::isnan;
