package dev.orcaj.backend.cuda;

/**
 * The few CUDA / cuBLAS enum values the bindings use (library_types.h, cublas_api.h; the same numbers as
 * JCuda's cudaDataType / cublasComputeType / cublasMath constants).
 */
final class CudaTypes {
    private CudaTypes() {}

    static final int R_32F = 0, R_16F = 2, R_16BF = 14;
    static final int COMPUTE_32F = 68, COMPUTE_32F_FAST_TF32 = 77;
    static final int OP_N = 0, OP_T = 1;
    static final int GEMM_DEFAULT = -1;
    static final int DEFAULT_MATH = 0, TF32_TENSOR_OP_MATH = 3;
}
