// CPU emulation of the few CUDA device features the ORCA-J kernels use, so their logic (indexing, tiling, block
// reductions, warp shuffles, online log-sum-exp) can be checked on machines without a GPU (see namespace emu).
// Not a simulator of timing, of the memory model, or of races between blocks (blocks run in sequence).
#pragma once
#include <atomic>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <ucontext.h>
#include <vector>

struct dim3 { unsigned x = 1, y = 1, z = 1; };
inline dim3 threadIdx, blockIdx, blockDim, gridDim;

#define __global__
#define __device__
#define __forceinline__ inline
#define __shared__ static

// Each CUDA thread of a block is a fiber (ucontext) on the calling OS thread; a scheduler runs every ready fiber
// until it waits at __syncthreads (released when all live threads of the block wait) or at a warp shuffle
// (released when all live threads of the warp wait); a fiber that returns leaves both barriers, as an exited CUDA
// thread does. Blocks run one after another. Deterministic, and no OS thread switches.
namespace emu {
enum State { READY, AT_BLOCK, AT_WARP, DONE };
struct Fiber { ucontext_t ctx; std::vector<char> stack; State state = READY; };
inline std::vector<Fiber> fibers;
inline ucontext_t scheduler;
inline unsigned current = 0;
inline std::function<void()> body;
inline float shfl_slots[1024];

inline void yield(State s) {
    fibers[current].state = s;
    swapcontext(&fibers[current].ctx, &scheduler);
}

inline void trampoline() {
    body();
    fibers[current].state = DONE;
    swapcontext(&fibers[current].ctx, &scheduler);
}

template <class F>
void launch(dim3 grid, unsigned block, F kernel) {
    gridDim = grid;
    blockDim = dim3{block, 1, 1};
    body = kernel;
    if (fibers.size() != block) {
        fibers = std::vector<Fiber>(block);
        for (auto& f : fibers) f.stack.resize(256 * 1024);
    }
    for (unsigned by = 0; by < grid.y; by++) {
        for (unsigned bx = 0; bx < grid.x; bx++) {
            blockIdx = dim3{bx, by, 0};
            for (auto& f : fibers) {
                getcontext(&f.ctx);
                f.ctx.uc_stack.ss_sp = f.stack.data();
                f.ctx.uc_stack.ss_size = f.stack.size();
                f.ctx.uc_link = nullptr;
                makecontext(&f.ctx, trampoline, 0);
                f.state = READY;
            }
            for (;;) {
                bool ran = false;
                for (unsigned t = 0; t < block; t++) {
                    if (fibers[t].state != READY) continue;
                    current = t;
                    threadIdx = dim3{t, 0, 0};
                    swapcontext(&scheduler, &fibers[t].ctx);
                    ran = true;
                }
                bool live = false, allAtBlock = true;
                for (auto& f : fibers) {
                    if (f.state == DONE) continue;
                    live = true;
                    if (f.state != AT_BLOCK) allAtBlock = false;
                }
                if (!live) break;
                bool released = false;
                if (allAtBlock) {
                    for (auto& f : fibers) if (f.state == AT_BLOCK) f.state = READY;
                    released = true;
                }
                for (unsigned w = 0; w * 32 < block; w++) {
                    bool any = false, all = true;
                    for (unsigned t = w * 32; t < std::min(block, w * 32 + 32); t++) {
                        if (fibers[t].state == DONE) continue;
                        any = true;
                        if (fibers[t].state != AT_WARP) all = false;
                    }
                    if (any && all) {
                        for (unsigned t = w * 32; t < std::min(block, w * 32 + 32); t++) if (fibers[t].state == AT_WARP) fibers[t].state = READY;
                        released = true;
                    }
                }
                if (!ran && !released) { std::fprintf(stderr, "emulation: barrier deadlock\n"); std::abort(); }
            }
        }
    }
}
}  // namespace emu

inline void __syncthreads() { emu::yield(emu::AT_BLOCK); }

inline float __shfl_xor_sync(unsigned, float v, int laneMask) {
    unsigned t = threadIdx.x;
    emu::shfl_slots[t] = v;
    emu::yield(emu::AT_WARP);
    float r = emu::shfl_slots[(t & ~31u) | ((t & 31u) ^ (unsigned) laneMask)];
    emu::yield(emu::AT_WARP);
    return r;
}

inline float atomicAdd(float* p, float v) { float old = *p; *p = old + v; return old; } // fibers never interleave inside
inline float rsqrtf(float x) { return 1.0f / std::sqrt(x); }
using std::isnan;
