package dev.orcaj.backend.cuda;

import dev.orcaj.backend.Layout;
import dev.orcaj.backend.ref.RefBackend;
import dev.orcaj.backend.ref.RefGemm;
import dev.orcaj.tensor.DType;
import dev.orcaj.tensor.Shape;
import dev.orcaj.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static dev.orcaj.backend.cuda.GpuAssume.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CudaBackend's in-place matmul operand plans, executed on the CPU: each operand's storage span is handed to
 * RefGemm (same row-major conventions as the device Gemm) with the planned transpose, ld and batch stride, and the
 * result must equal RefBackend.matmul. Covers contiguous, transposed, stride-0 broadcast, sliced and 1-row views,
 * and checks that what cannot be read in place is refused (copied by the backend). Runs without a GPU.
 */
class GemmPlanTest {
    private static Tensor rnd(long seed, int... shape) { return Tensor.randn(DType.F32, new SplittableRandom(seed), 1, shape); }

    private static Tensor view(Tensor t, int[] perm) {
        int[] sh = t.shape(), st = t.strides(), ps = new int[perm.length], pt = new int[perm.length];
        for (int i = 0; i < perm.length; i++) { ps[i] = sh[perm[i]]; pt[i] = st[perm[i]]; }
        return new Tensor(t.storage(), ps, pt, t.offset());
    }

    /** Operand data as the device would see it: the plan's span, or a contiguous copy when there is no plan. */
    private record Operand(float[] data, boolean trans, int ld, int batchStride) {
        static Operand of(Tensor t) {
            CudaBackend.GemmPlan p = CudaBackend.GemmPlan.of(t);
            if (p == null) {
                float[] c = t.toFloatArray();
                return new Operand(c, false, t.shape(-1), t.shape(-2) * t.shape(-1));
            }
            Strided s = Strided.of(t);
            return new Operand(Arrays.copyOfRange(t.storage().readF(), s.spanStart(), s.spanStart() + s.spanLength()), p.trans(), p.ld(), (int) p.batchStride());
        }
    }

    private static void check(Tensor a, Tensor b, String what) {
        int r = a.rank(), m = a.shape(-2), k = a.shape(-1), n = b.shape(-1);
        int batch = Shape.numel(Arrays.copyOf(a.shape(), r - 2));
        Operand oa = Operand.of(a), ob = Operand.of(b);
        float[] c = new float[batch * m * n];
        RefGemm.sgemmStridedBatched(oa.trans, ob.trans, m, n, k, 1f, oa.data, 0, oa.ld, ob.data, 0, ob.ld, 0f, c, 0, n,
                batch, oa.batchStride, ob.batchStride, m * n);
        assertClose(new RefBackend().matmul(a, b).toFloatArray(), c, 1e-6, 1e-6, what);
    }

    @Test
    void plansReproduceTheReferenceMatmul() {
        Tensor a = rnd(1, 3, 5, 7), b = rnd(2, 3, 7, 4);
        assertNotNull(CudaBackend.GemmPlan.of(a));
        check(a, b, "contiguous");
        Tensor bt = view(rnd(3, 3, 4, 7), new int[] {0, 2, 1});
        assertTrue(CudaBackend.GemmPlan.of(bt).trans());
        check(a, bt, "transposed B");
        Tensor at = view(rnd(4, 3, 7, 5), new int[] {0, 2, 1});
        check(at, b, "transposed A");
        Tensor w = Layout.broadcastTo(rnd(5, 7, 4), new int[] {3, 7, 4});
        assertEquals(0, CudaBackend.GemmPlan.of(w).batchStride());
        check(a, w, "stride-0 batch");
        Tensor wide = rnd(6, 3, 5, 10);
        Tensor sliced = new Tensor(wide.storage(), new int[] {3, 5, 7}, wide.strides(), 2); // columns 2..8 of each row
        assertEquals(10, CudaBackend.GemmPlan.of(sliced).ld());
        check(sliced, b, "column slice (ld > cols)");
        Tensor oneRow = new Tensor(rnd(7, 3, 9).storage(), new int[] {3, 1, 7}, new int[] {9, 0, 1}, 1);
        check(oneRow, b, "one row with a zero row stride");
        Tensor heads = view(rnd(8, 2, 5, 3, 7), new int[] {0, 2, 1, 3}); // [2, 3, 5, 7] head split view
        assertNull(CudaBackend.GemmPlan.of(heads), "two strided batch axes need a copy");
        check(heads, rnd(9, 2, 3, 7, 4), "head-split view (copied)");
        Tensor rowsBroadcast = Layout.broadcastTo(rnd(10, 1, 7), new int[] {3, 5, 7});
        check(rowsBroadcast, b, "rows broadcast (copied or in place)");
    }
}
