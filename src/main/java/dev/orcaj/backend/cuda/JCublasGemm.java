package dev.orcaj.backend.cuda;

import jcuda.Pointer;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.runtime.cudaStream_t;

/** GEMM through JCublas2 (JCuda 12.6.0, native library linked against libcublas.so.12). */
final class JCublasGemm extends Gemm {
    private final cublasHandle handle = new cublasHandle();

    JCublasGemm(JCudaDevice device) {
        JCublas2.setExceptionsEnabled(true);
        JCublas2.cublasCreate(handle);
        JCublas2.cublasSetStream(handle, new cudaStream_t(device.stream()));
        // the compute type of each call decides TF32 or not; the math mode only allows what the call asks for
        JCublas2.cublasSetMathMode(handle, CudaTypes.TF32_TENSOR_OP_MATH);
    }

    @Override
    public String path() { return "JCublas2 (libcublas.so.12)"; }

    @Override
    void gemmEx(int opA, int opB, int m, int n, int k, float alpha, DeviceBuffer a, int aType, int lda, long strideA,
                DeviceBuffer b, int bType, int ldb, long strideB, float beta, DeviceBuffer c, int ldc, long strideC,
                int batch, int computeType) {
        Pointer al = Pointer.to(new float[] {alpha}), be = Pointer.to(new float[] {beta});
        if (batch == 1) {
            JCublas2.cublasGemmEx(handle, opA, opB, m, n, k, al, a.ptr, aType, lda, b.ptr, bType, ldb, be, c.ptr,
                    CudaTypes.R_32F, ldc, computeType, CudaTypes.GEMM_DEFAULT);
        } else {
            JCublas2.cublasGemmStridedBatchedEx(handle, opA, opB, m, n, k, al, a.ptr, aType, lda, strideA, b.ptr, bType, ldb, strideB,
                    be, c.ptr, CudaTypes.R_32F, ldc, strideC, batch, computeType, CudaTypes.GEMM_DEFAULT);
        }
    }

    @Override
    public void close() { JCublas2.cublasDestroy(handle); }
}
