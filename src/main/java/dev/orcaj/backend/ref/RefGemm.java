package dev.orcaj.backend.ref;

/**
 * Naive reference GEMM: {@code C = alpha * op(A) * op(B) + beta * C}, row-major, each dot product accumulated in
 * double. Same argument conventions as {@link dev.orcaj.backend.cpu.Sgemm#sgemm}; the oracle of its tests.
 */
public final class RefGemm {
    private RefGemm() {}

    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double acc = 0;
                for (int p = 0; p < k; p++) {
                    float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    float bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    acc += (double) av * bv;
                }
                int ci = cOff + i * ldc + j;
                double prior = beta == 0f ? 0.0 : (double) beta * c[ci]; // beta == 0 ignores NaN garbage in C
                c[ci] = (float) (alpha * acc + prior);
            }
        }
    }

    public static void sgemmStridedBatched(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                           float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                           float beta, float[] c, int cOff, int ldc,
                                           int batch, int strideA, int strideB, int strideC) {
        for (int g = 0; g < batch; g++) {
            sgemm(transA, transB, m, n, k, alpha, a, aOff + g * strideA, lda, b, bOff + g * strideB, ldb,
                    beta, c, cOff + g * strideC, ldc);
        }
    }
}
