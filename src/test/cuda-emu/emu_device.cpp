// A CPU "device" for the Java tests (EmulatedDevice): the real kernels of src/main/cuda under the emulation in
// cuda_runtime.h, launched by name with a cuLaunchKernel-style parameter array (void** pointing at each argument's
// value, exactly what the JCuda path packs), plus a column-major strided-batched GEMM with cuBLAS GemmEx argument
// conventions (fp32 or bf16 inputs, fp32 output) standing in for cuBLAS.
#include "elementwise.cu"
#include "reduce.cu"
#include "softmax.cu"
#include "layernorm.cu"
#include "gelu.cu"
#include "embedding.cu"
#include "patch.cu"
#include "cross_entropy.cu"
#include "adamw.cu"
#include "attention.cu"
#include "sinkhorn.cu"
#include "otdd_grad.cu"

#include <cstdint>
#include <cstring>
#include <type_traits>
#include <utility>

template <class... A, std::size_t... I>
static void call(void (*f)(A...), void** p, std::index_sequence<I...>) {
    f(*static_cast<std::remove_cv_t<std::remove_reference_t<A>>*>(p[I])...);
}

template <class... A>
static void invoke(void (*f)(A...), unsigned gx, unsigned gy, unsigned block, void** p) {
    emu::launch(dim3{gx, gy, 1}, block, [=] { call(f, p, std::index_sequence_for<A...>{}); });
}

#define KERNELS(X) X(strided_copy) X(strided_scatter) X(unary_strided) X(binary_strided) X(binary_contiguous) X(where_strided) X(fill) \
    X(reduce_rows) X(column_sums) X(argmax_rows) X(softmax_rows) X(softmax_backward_rows) X(layernorm_forward) \
    X(layernorm_backward_dx) X(layernorm_backward_params) X(gelu_forward) X(gelu_backward) X(index_select_rows) \
    X(index_add_rows) X(gather_last) X(scatter_last) X(patch_unfold2d) X(patch_fold2d) X(cross_entropy_forward) \
    X(cross_entropy_backward) X(adamw_step) X(attention_forward) X(sinkhorn_softmin) X(softmax_times) \
    X(otdd_grad_combine) X(row_sq_norms)

extern "C" int emu_launch(const char* name, unsigned gx, unsigned gy, unsigned block, void** params) {
#define DISPATCH(k) if (std::strcmp(name, #k) == 0) { invoke(k, gx, gy, block, params); return 0; }
    KERNELS(DISPATCH)
#undef DISPATCH
    return -1;
}

static float load(const void* p, int type, long long i) {
    if (type == 0) return static_cast<const float*>(p)[i];
    uint32_t bits = static_cast<uint32_t>(static_cast<const uint16_t*>(p)[i]) << 16; // bf16 (14)
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
}

// C = alpha op(A) op(B) + beta C, column-major, per batch item; op = 1 transposes.
extern "C" void emu_gemm(int opA, int opB, int m, int n, int k, float alpha, const void* A, int aType, int lda, long long sA,
                         const void* B, int bType, int ldb, long long sB, float beta, float* C, int ldc, long long sC, int batch) {
    for (int g = 0; g < batch; g++) {
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < m; i++) {
                double acc = 0;
                for (int p = 0; p < k; p++) {
                    float a = load(A, aType, g * sA + (opA ? (long long) i * lda + p : (long long) p * lda + i));
                    float b = load(B, bType, g * sB + (opB ? (long long) p * ldb + j : (long long) j * ldb + p));
                    acc += (double) a * b;
                }
                float* c = C + g * sC + (long long) j * ldc + i;
                *c = (float) (alpha * acc + (beta == 0.f ? 0.0 : (double) beta * *c));
            }
        }
    }
}
