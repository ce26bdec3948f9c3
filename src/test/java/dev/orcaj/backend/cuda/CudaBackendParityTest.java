package dev.orcaj.backend.cuda;

import dev.orcaj.backend.Backend;
import dev.orcaj.backend.BinaryOp;
import dev.orcaj.backend.Layout;
import dev.orcaj.backend.ReduceOp;
import dev.orcaj.backend.UnaryOp;
import dev.orcaj.backend.ref.RefBackend;
import dev.orcaj.tensor.DType;
import dev.orcaj.tensor.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static dev.orcaj.backend.cuda.GpuAssume.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * CudaBackend against RefBackend (double loops, the definition of correctness) on every Backend op, with broadcast,
 * permuted and sliced operands. Tolerances: elementwise binary ops are correctly rounded on both sides (exact);
 * transcendental unary ops within a few float ulps (CUDA's expf/logf/erff are <= 2 ulp without fast-math: 1e-6 abs +
 * 4e-6 rel); sums and GEMMs accumulate in float in a different order: 2e-5 relative to the largest result magnitude
 * plus 1e-5 absolute (a wrong index or a missing term is far larger).
 */
class CudaBackendParityTest {
    private static Backend cuda;
    private static final Backend REF = new RefBackend();

    @BeforeEach
    void open() { // per test, so each one is reported as skipped with the reason
        CudaDevice d = GpuAssume.device();
        if (cuda == null) cuda = new CudaBackend(d);
    }

    private static Tensor rnd(long seed, int... shape) { return Tensor.randn(DType.F32, new SplittableRandom(seed), 1, shape); }

    private static Tensor permuted(Tensor t, int... perm) {
        int[] sh = t.shape(), st = t.strides(), ps = new int[perm.length], pt = new int[perm.length];
        for (int i = 0; i < perm.length; i++) { ps[i] = sh[perm[i]]; pt[i] = st[perm[i]]; }
        return new Tensor(t.storage(), ps, pt, t.offset());
    }

    @Test
    void binaryWithBroadcastAndPermutedViews() {
        Tensor a = rnd(1, 4, 1, 5), b = rnd(2, 3, 5), c = permuted(rnd(3, 5, 3, 4), 2, 1, 0);
        Tensor nonZero = REF.unary(UnaryOp.AFFINE, REF.unary(UnaryOp.ABS, b, 0, 0), 1, 0.5);
        for (BinaryOp op : BinaryOp.values()) {
            Tensor rhs = op == BinaryOp.DIV ? nonZero : b;
            assertClose(REF.binary(op, a, rhs), cuda.binary(op, a, rhs), 0, 0, op + " broadcast");
            assertClose(REF.binary(op, c, c), cuda.binary(op, c, c), 0, 0, op + " permuted");
            Tensor d = rnd(4, 4, 3, 5);
            assertClose(REF.binary(op, d, d), cuda.binary(op, d, d), 0, 0, op + " contiguous");
        }
    }

    @Test
    void everyUnaryOp() {
        Tensor x = REF.unary(UnaryOp.AFFINE, rnd(5, 7, 33), 1.5, 0), pos = REF.unary(UnaryOp.AFFINE, REF.unary(UnaryOp.ABS, x, 0, 0), 1, 0.1);
        Tensor view = permuted(x, 1, 0);
        for (UnaryOp op : UnaryOp.values()) {
            Tensor in = switch (op) { case LOG, SQRT, RSQRT, POW -> pos; default -> x; };
            double p = switch (op) { case AFFINE -> 0.75; case POW -> 1.7; case CLAMP, IN_RANGE -> -0.5; default -> 0; };
            double q = switch (op) { case AFFINE -> -0.25; case CLAMP, IN_RANGE -> 0.8; default -> 0; };
            assertClose(REF.unary(op, in, p, q), cuda.unary(op, in, p, q), 1e-6, 4e-6, op.toString());
            if (in == x) assertClose(REF.unary(op, view, p, q), cuda.unary(op, view, p, q), 1e-6, 4e-6, op + " on a transposed view");
        }
    }

    @Test
    void whereBroadcastsAllThree() {
        Tensor mask = REF.unary(UnaryOp.STEP, rnd(6, 4, 1), 0, 0), a = rnd(7, 4, 6), b = rnd(8, 6);
        assertClose(REF.where(mask, a, b), cuda.where(mask, a, b), 0, 0, "where");
    }

    @Test
    void reductionsOverAxisSets() {
        Tensor x = rnd(9, 6, 7, 130);
        boolean[][] sets = {{true, false, false}, {true, true, false}, {false, false, true}, {false, true, false}, {true, false, true}, {true, true, true}};
        for (boolean[] axes : sets) {
            for (ReduceOp op : ReduceOp.values()) {
                String what = op + " " + java.util.Arrays.toString(axes);
                assertClose(REF.reduce(op, x, axes), cuda.reduce(op, x, axes), 1e-5, 2e-5, what);
                assertClose(REF.reduce(op, permuted(x, 2, 0, 1), permute(axes)), cuda.reduce(op, permuted(x, 2, 0, 1), permute(axes)), 1e-5, 2e-5, what + " view");
            }
        }
    }

    private static boolean[] permute(boolean[] a) { return new boolean[] {a[2], a[0], a[1]}; }

    @Test
    void argmaxFirstOnTies() {
        Tensor x = Tensor.of(new float[] {1, 3, 3, 0, -1, -1, -5, -1, 2, 2, 2, 2}, 3, 4);
        assertArrayEquals(new int[] {1, 0, 0}, cuda.argmaxLast(x));
        Tensor r = rnd(10, 37, 301);
        assertArrayEquals(REF.argmaxLast(r), cuda.argmaxLast(r));
    }

    @Test
    void matmulPlainTransposedAndBroadcastBatches() {
        Tensor a = rnd(11, 3, 17, 64), b = rnd(12, 3, 64, 29);
        assertClose(REF.matmul(a, b), cuda.matmul(a, b), 1e-5, 2e-5, "batched");
        Tensor bt = permuted(rnd(13, 3, 29, 64), 0, 2, 1); // transposed operand, no copy expected
        assertClose(REF.matmul(a, bt), cuda.matmul(a, bt), 1e-5, 2e-5, "transposed B");
        Tensor at = permuted(rnd(14, 3, 64, 17), 0, 2, 1);
        assertClose(REF.matmul(at, b), cuda.matmul(at, b), 1e-5, 2e-5, "transposed A");
        Tensor w = Layout.broadcastTo(rnd(15, 64, 29), new int[] {3, 64, 29}); // stride-0 batch (a Linear weight)
        assertClose(REF.matmul(a, w), cuda.matmul(a, w), 1e-5, 2e-5, "broadcast B");
        Tensor a4 = rnd(16, 2, 3, 5, 8), b4 = permuted(rnd(17, 2, 3, 7, 8), 0, 1, 3, 2); // two batch axes
        assertClose(REF.matmul(a4, b4), cuda.matmul(a4, b4), 1e-5, 2e-5, "two batch axes");
        Tensor odd = rnd(18, 1, 1), odd2 = rnd(19, 1, 1);
        assertClose(REF.matmul(odd, odd2), cuda.matmul(odd, odd2), 1e-6, 1e-6, "1x1");
    }

    @Test
    void softmaxForwardAndBackward() {
        Tensor x = REF.unary(UnaryOp.AFFINE, rnd(20, 5, 9, 257), 4, 0), dy = rnd(21, 5, 9, 257);
        for (boolean log : new boolean[] {false, true}) {
            Tensor y = REF.softmax(x, log);
            assertClose(y, cuda.softmax(x, log), 1e-6, 2e-5, "softmax log=" + log);
            assertClose(REF.softmaxBackward(y, dy, log), cuda.softmaxBackward(y, dy, log), 1e-6, 2e-5, "softmax backward log=" + log);
        }
    }

    /** Backend#attention and its backward: CUDA has no kernel of its own and runs the default composition of its ops. */
    @Test
    void attentionForwardAndBackward() {
        Tensor q = rnd(26, 2, 13, 12), k = rnd(27, 2, 17, 12), v = rnd(28, 2, 17, 12), dOut = rnd(29, 2, 13, 12);
        float[] m = new float[2 * 17];
        for (int j = 11; j < 17; j++) m[17 + j] = -3.4028234663852886e38f; // entry 1: the last 6 keys are padding
        Tensor mask = Tensor.of(m, 2, 1, 1, 17);
        Tensor[] ref = REF.attention(q, k, v, 3, 0.5, mask), got = cuda.attention(q, k, v, 3, 0.5, mask);
        assertClose(ref[0], got[0], 1e-5, 2e-5, "attention");
        Tensor[] refGrads = REF.attentionBackward(q, k, v, 3, 0.5, mask, ref[0], ref[1], dOut);
        Tensor[] grads = cuda.attentionBackward(q, k, v, 3, 0.5, mask, got[0], got[1], dOut);
        for (int i = 0; i < 3; i++) assertClose(refGrads[i], grads[i], 1e-5, 2e-5, "attention backward " + "qkv".charAt(i));
    }

    @Test
    void layerNormForwardAndBackward() {
        Tensor x = REF.unary(UnaryOp.AFFINE, rnd(22, 6, 11, 384), 3, 2), g = rnd(23, 384), b = rnd(24, 384), dy = rnd(25, 6, 11, 384);
        for (boolean affine : new boolean[] {true, false}) {
            Tensor[] ref = REF.layerNorm(x, affine ? g : null, affine ? b : null, 1e-12);
            Tensor[] got = cuda.layerNorm(x, affine ? g : null, affine ? b : null, 1e-12);
            for (int i = 0; i < 3; i++) assertClose(ref[i], got[i], 1e-5, 2e-5, "layerNorm output " + i + " affine=" + affine);
            Tensor[] rb = REF.layerNormBackward(dy, x, affine ? g : null, ref[1], ref[2]);
            Tensor[] gb = cuda.layerNormBackward(dy, x, affine ? g : null, ref[1], ref[2]);
            assertClose(rb[0], gb[0], 1e-5, 2e-5, "layerNorm dx affine=" + affine);
            if (affine) {
                assertClose(rb[1], gb[1], 1e-4, 2e-5, "layerNorm dgamma");
                assertClose(rb[2], gb[2], 1e-4, 2e-5, "layerNorm dbeta");
            }
        }
    }

    @Test
    void gathersAndTheirAdjoints() {
        Tensor table = rnd(26, 50, 3, 8);
        int[] ids = {4, 0, 49, 4, 4, 17};
        assertClose(REF.indexSelect(table, ids), cuda.indexSelect(table, ids), 0, 0, "indexSelect");
        Tensor g = rnd(27, 6, 3, 8);
        assertClose(REF.indexAdd(g, ids, 50), cuda.indexAdd(g, ids, 50), 1e-6, 1e-6, "indexAdd (repeated ids: atomic order)");
        Tensor logits = rnd(28, 9, 13);
        int[] labels = {0, 12, 3, 3, 7, 1, 0, 11, 5};
        assertClose(REF.gatherLast(logits, labels), cuda.gatherLast(logits, labels), 0, 0, "gatherLast");
        Tensor up = rnd(29, 9);
        assertClose(REF.scatterLast(up, labels, 13), cuda.scatterLast(up, labels, 13), 0, 0, "scatterLast");
        assertThrows(IndexOutOfBoundsException.class, () -> cuda.indexSelect(table, new int[] {50}));
        assertThrows(IndexOutOfBoundsException.class, () -> cuda.gatherLast(logits, new int[] {0, 13, 0, 0, 0, 0, 0, 0, 0}));
    }

    @Test
    void dataMovementDelegatesToTheCpuAndStillMatches() {
        Tensor a = rnd(30, 2, 3), b = rnd(31, 2, 5);
        assertClose(REF.concat(new Tensor[] {a, b}, 1), cuda.concat(new Tensor[] {a, b}, 1), 0, 0, "concat");
        assertClose(REF.pad(a, new int[] {1, 0}, new int[] {0, 2}, -1), cuda.pad(a, new int[] {1, 0}, new int[] {0, 2}, -1), 0, 0, "pad");
    }
}
