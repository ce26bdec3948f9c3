/* Stand-in for libcublas.so.13 used by FfmCublasTest: same exported signatures as cublas_api.h, records the
 * arguments of the last call so the test can check the FFM binding's types, order and the row-major mapping. */
static long long rec[32];
static void *stream;

long long stub_arg(int i) { return rec[i]; }
void *stub_stream(void) { return stream; }

int cublasCreate_v2(void **handle) { *handle = (void *) 0x5eed; return 0; }
int cublasDestroy_v2(void *handle) { return handle == (void *) 0x5eed ? 0 : 7; }
int cublasSetStream_v2(void *handle, void *s) { stream = s; return handle == (void *) 0x5eed ? 0 : 7; }
int cublasSetMathMode(void *handle, int mode) { rec[31] = mode; return 0; }

int cublasGemmEx(void *h, int ta, int tb, int m, int n, int k, const void *alpha, const void *A, int at, int lda,
                 const void *B, int bt, int ldb, const void *beta, void *C, int ct, int ldc, int compute, int algo) {
    long long v[] = {1, ta, tb, m, n, k, (long long) (*(const float *) alpha * 1000), at, lda, bt, ldb,
                     (long long) (*(const float *) beta * 1000), ct, ldc, compute, algo, 0, 0, 0, 1};
    for (int i = 0; i < 20; i++) rec[i] = v[i];
    return h == (void *) 0x5eed ? 0 : 7;
}

int cublasGemmStridedBatchedEx(void *h, int ta, int tb, int m, int n, int k, const void *alpha, const void *A, int at,
                               int lda, long long sa, const void *B, int bt, int ldb, long long sb, const void *beta,
                               void *C, int ct, int ldc, long long sc, int batch, int compute, int algo) {
    long long v[] = {2, ta, tb, m, n, k, (long long) (*(const float *) alpha * 1000), at, lda, bt, ldb,
                     (long long) (*(const float *) beta * 1000), ct, ldc, compute, algo, sa, sb, sc, batch};
    for (int i = 0; i < 20; i++) rec[i] = v[i];
    return h == (void *) 0x5eed ? 0 : 7;
}
