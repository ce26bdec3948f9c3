package dev.orcaj.backend.cuda;

/**
 * Row-major GEMM on device buffers through cuBLAS: {@code C = alpha op(A) op(B) + beta C}, conventions as
 * {@link dev.orcaj.backend.cpu.Sgemm#sgemm} (lda/ldb/ldc are row strides). cuBLAS is column-major, so the
 * row-major product is issued as the column-major {@code C^T = op(B)^T op(A)^T} (swap the operands, swap m and n).
 * Two bindings: JCublas2 (needs libcublas.so.12, what JCuda 12.6.0 links against) and, when that fails to load,
 * a small Java FFM binding of libcublas.so.13 ({@link FfmCublas}). {@link #path()} names the one in use.
 */
public abstract class Gemm implements AutoCloseable {
    /** Element types and compute modes offered to callers. */
    public enum Mode {
        /** fp32 in/out, fp32 compute (matches the CPU backends up to summation order). */
        FP32(CudaTypes.R_32F, CudaTypes.COMPUTE_32F),
        /** fp32 in/out, TF32 tensor-core compute (10-bit mantissa products; faster, less precise). */
        TF32(CudaTypes.R_32F, CudaTypes.COMPUTE_32F_FAST_TF32),
        /** bf16 A and B, fp32 C and accumulation (benchmarks / mixed precision; caller supplies bf16 buffers). */
        BF16(CudaTypes.R_16BF, CudaTypes.COMPUTE_32F);

        final int inputType;
        final int computeType;

        Mode(int inputType, int computeType) {
            this.inputType = inputType;
            this.computeType = computeType;
        }
    }

    /** "JCublas2 (libcublas.so.12)" or "FFM (libcublas.so.13)". */
    public abstract String path();

    /** Column-major cublasGemmStridedBatchedEx with host-pointer alpha/beta (batch 1 uses cublasGemmEx). */
    abstract void gemmEx(int opA, int opB, int m, int n, int k, float alpha, DeviceBuffer a, int aType, int lda, long strideA,
                         DeviceBuffer b, int bType, int ldb, long strideB, float beta, DeviceBuffer c, int ldc, long strideC,
                         int batch, int computeType);

    /** Row-major single GEMM. */
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, DeviceBuffer a, int lda,
                     DeviceBuffer b, int ldb, float beta, DeviceBuffer c, int ldc, Mode mode) {
        gemmBatched(transA, transB, m, n, k, alpha, a, lda, 0, b, ldb, 0, beta, c, ldc, 0, 1, mode);
    }

    /** Row-major strided batched GEMM; element strides between batch items (0 broadcasts an operand). */
    public void gemmBatched(boolean transA, boolean transB, int m, int n, int k, float alpha, DeviceBuffer a, int lda, long strideA,
                            DeviceBuffer b, int ldb, long strideB, float beta, DeviceBuffer c, int ldc, long strideC, int batch, Mode mode) {
        if (m == 0 || n == 0 || batch == 0) return;
        gemmEx(transB ? CudaTypes.OP_T : CudaTypes.OP_N, transA ? CudaTypes.OP_T : CudaTypes.OP_N, n, m, k, alpha,
                b, mode.inputType, ldb, strideB, a, mode.inputType, lda, strideA, beta, c, ldc, strideC, batch, mode.computeType);
    }

    @Override
    public abstract void close();

    /** JCublas2 when its native library loads, else FFM on libcublas.so.13; throws naming both failures. */
    static Gemm open(JCudaDevice device) {
        String jcublasFailure;
        try {
            Gemm g = new JCublasGemm(device);
            Cuda.LOG.info(device + ": GEMM via " + g.path());
            return g;
        } catch (LinkageError | RuntimeException e) {
            jcublasFailure = Cuda.firstLine(e);
        }
        try {
            Gemm g = new FfmCublas(device);
            Cuda.LOG.info(device + ": GEMM via " + g.path() + " (JCublas2 unavailable: " + jcublasFailure + ")");
            return g;
        } catch (LinkageError | RuntimeException e) {
            throw new IllegalStateException("no cuBLAS: JCublas2 failed (" + jcublasFailure + "), FFM libcublas.so.13 failed ("
                    + Cuda.firstLine(e) + ")", e);
        }
    }
}
