package dev.orcaj.backend.cuda;

import dev.orcaj.backend.ref.RefGemm;
import dev.orcaj.tensor.DType;
import dev.orcaj.tensor.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static dev.orcaj.backend.cuda.GpuAssume.assertClose;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * cuBLAS GEMM (whichever binding loaded) against RefGemm, row-major with every transpose combination, odd sizes,
 * beta accumulation and stride-0 batches. FP32: 2e-5 relative to the largest |C|. TF32 rounds inputs to 10-bit
 * mantissas (relative error 2^-11 per product, K = 200 products): 5e-3 relative. BF16 inputs are rounded here
 * first, so the reference sees the same inputs: 2e-5 relative.
 */
class GemmTest {
    private static CudaDevice dev;

    @BeforeEach
    void open() { dev = GpuAssume.device(); } // per test, so each one is reported as skipped with the reason

    private static float[] rnd(long seed, int n) { return Tensor.randn(DType.F32, new SplittableRandom(seed), 1, n).toFloatArray(); }

    @Test
    void everyTransposeComboFp32AndTf32() {
        int m = 33, n = 47, k = 200;
        System.out.println("GEMM path: " + dev.gemm().path());
        assertFalse(dev.gemm().path().isBlank());
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                float[] a = rnd(1, m * k), b = rnd(2, k * n), c0 = rnd(3, m * n);
                int lda = ta ? m : k, ldb = tb ? k : n;
                float[] expected = c0.clone();
                RefGemm.sgemm(ta, tb, m, n, k, 0.5f, a, 0, lda, b, 0, ldb, 2f, expected, 0, n);
                for (Gemm.Mode mode : new Gemm.Mode[] {Gemm.Mode.FP32, Gemm.Mode.TF32}) {
                    try (DeviceBuffer da = dev.upload(a); DeviceBuffer db = dev.upload(b); DeviceBuffer dc = dev.upload(c0)) {
                        dev.gemm().gemm(ta, tb, m, n, k, 0.5f, da, lda, db, ldb, 2f, dc, n, mode);
                        assertClose(expected, dev.download(dc, m * n), 1e-5, mode == Gemm.Mode.FP32 ? 2e-5 : 5e-3, mode + " ta=" + ta + " tb=" + tb);
                    }
                }
            }
        }
    }

    @Test
    void stridedBatchedWithABroadcastOperand() {
        int batch = 5, m = 16, n = 24, k = 40;
        float[] a = rnd(4, batch * m * k), w = rnd(5, k * n), expected = new float[batch * m * n];
        RefGemm.sgemmStridedBatched(false, false, m, n, k, 1f, a, 0, k, w, 0, n, 0f, expected, 0, n, batch, m * k, 0, m * n);
        try (DeviceBuffer da = dev.upload(a); DeviceBuffer dw = dev.upload(w); DeviceBuffer dc = dev.allocate(4L * batch * m * n)) {
            dev.gemm().gemmBatched(false, false, m, n, k, 1f, da, k, (long) m * k, dw, n, 0, 0f, dc, n, (long) m * n, batch, Gemm.Mode.FP32);
            assertClose(expected, dev.download(dc, batch * m * n), 1e-5, 2e-5, "batched, B broadcast");
        }
    }

    @Test
    void bf16InputsFp32Accumulation() {
        int m = 20, n = 28, k = 64;
        float[] a = Bf16.round(rnd(6, m * k)), b = Bf16.round(rnd(7, k * n)), expected = new float[m * n];
        RefGemm.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, expected, 0, n);
        try (DeviceBuffer da = dev.upload(Bf16.pack(a)); DeviceBuffer db = dev.upload(Bf16.pack(b)); DeviceBuffer dc = dev.allocate(4L * m * n)) {
            dev.gemm().gemm(false, false, m, n, k, 1f, da, k, db, n, 0f, dc, n, Gemm.Mode.BF16);
            assertClose(expected, dev.download(dc, m * n), 1e-5, 2e-5, "bf16");
        }
    }
}
