package dev.orcaj.backend;

import dev.orcaj.autograd.Ops;
import dev.orcaj.nn.Functional;
import dev.orcaj.tensor.DType;
import dev.orcaj.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fast CPU backend against the scalar reference on every op, forward and backward, including broadcast,
 * transposed and sliced operands and awkward sizes. Tolerance: float32 results of sums of up to K products differ
 * from a double-accumulated reference by about sqrt(K) * 6e-8 * sum|terms|; we allow 2e-5 relative to the largest
 * magnitude in the result (plus 1e-6 absolute), which a wrong index or a missing term always exceeds.
 */
class BackendParityTest {
    @AfterEach
    void restore() { Backends.useForF32(Backends.CPU); }

    private static Tensor rnd(long seed, int... shape) { return Tensor.randn(DType.F32, new SplittableRandom(seed), 1, shape); }

    private static List<float[]> run(Backend b, Function<Tensor[], Tensor> f, Tensor[] inputs) {
        Backends.useForF32(b);
        Tensor[] xs = new Tensor[inputs.length];
        for (int i = 0; i < xs.length; i++) xs[i] = inputs[i].detach().requiresGrad(true);
        Tensor y = f.apply(xs);
        List<float[]> out = new ArrayList<>();
        out.add(y.toFloatArray());
        y.mul(Tensor.randn(DType.F32, new SplittableRandom(7), 1, y.shape())).sum().backward();
        for (Tensor x : xs) out.add(x.grad() == null ? new float[0] : x.grad().toFloatArray());
        return out;
    }

    private static void same(String name, Function<Tensor[], Tensor> f, Tensor... inputs) {
        List<float[]> ref = run(Backends.REF, f, inputs), cpu = run(Backends.CPU, f, inputs);
        for (int k = 0; k < ref.size(); k++) {
            float[] r = ref.get(k), c = cpu.get(k);
            assertTrue(r.length == c.length, name + " result " + k + " length");
            double scale = 0;
            for (float v : r) scale = Math.max(scale, Math.abs(v));
            for (int i = 0; i < r.length; i++) {
                assertTrue(Math.abs(r[i] - c[i]) <= 2e-5 * scale + 1e-6, name + (k == 0 ? " forward" : " grad of input " + (k - 1)) + " [" + i + "]: ref " + r[i] + " cpu " + c[i]);
            }
        }
    }

    @Test
    void elementwiseAndBroadcast() {
        same("add-row", t -> t[0].add(t[1]), rnd(1, 33, 70), rnd(2, 70));
        same("mul-col", t -> t[0].mul(t[1]), rnd(3, 7, 5, 9), rnd(4, 5, 1));
        same("sub-transposed", t -> t[0].transpose(0, 1).sub(t[1]), rnd(5, 40, 30), rnd(6, 30, 40));
        same("div-scalar", t -> t[0].div(t[1].abs().add(0.5)), rnd(7, 3, 1000), rnd(8, 1));
        same("copy-permuted", t -> t[0].permute(2, 0, 1).contiguous().mul(2), rnd(9, 4, 5, 6));
        same("slice-3d", t -> t[0].slice(2, 1, 5).exp(), rnd(10, 3, 4, 7));
        for (var op : Ops.Unary.values()) {
            Function<Tensor[], Tensor> f = t -> Ops.unary(op, op == Ops.Unary.LOG || op == Ops.Unary.SQRT || op == Ops.Unary.RSQRT ? t[0].abs().add(0.1) : t[0]);
            same("unary-" + op, f, rnd(11, 17, 65));
        }
        same("pow-clamp", t -> t[0].abs().add(0.1).pow(1.5).clamp(0.2, 1.5), rnd(12, 100));
        same("where", t -> t[0].maskedFill(t[1].relu(), 2), rnd(13, 9, 8), rnd(14, 8));
    }

    @Test
    void reductions() {
        same("sum-last", t -> t[0].sum(-1), rnd(20, 31, 129));
        same("sum-first", t -> t[0].sum(0), rnd(21, 31, 17));
        same("sum-middle-keep", t -> t[0].sumKeep(1), rnd(22, 3, 5, 7));
        same("max", t -> t[0].max(1), rnd(23, 6, 33));
        same("mean-all", t -> t[0].mean(), rnd(24, 5, 6, 7));
        same("logsumexp", t -> t[0].logSumExp(-1), rnd(25, 9, 40));
    }

    @Test
    void matmulLayouts() {
        int[][] sizes = {{1, 1, 1}, {7, 33, 5}, {64, 64, 64}, {33, 130, 17}, {2, 1000, 3}};
        for (int[] s : sizes) {
            int m = s[0], k = s[1], n = s[2];
            same("mm " + m + "x" + k + "x" + n, t -> t[0].matmul(t[1]), rnd(30, m, k), rnd(31, k, n));
            same("mm-tA", t -> t[0].transpose(0, 1).matmul(t[1]), rnd(32, k, m), rnd(33, k, n));
            same("mm-tB", t -> t[0].matmul(t[1].transpose(0, 1)), rnd(34, m, k), rnd(35, n, k));
            same("mm-tAtB", t -> t[0].transpose(0, 1).matmul(t[1].transpose(0, 1)), rnd(36, k, m), rnd(37, n, k));
        }
        same("bmm", t -> t[0].matmul(t[1]), rnd(40, 3, 9, 12), rnd(41, 3, 12, 5));
        same("linear-3d", t -> t[0].matmul(t[1].transpose(0, 1)), rnd(42, 2, 7, 16), rnd(43, 24, 16));
        same("attention-heads", t -> t[0].reshape(2, 5, 4, 8).permute(0, 2, 1, 3).matmul(t[1].reshape(2, 5, 4, 8).permute(0, 2, 3, 1)), rnd(44, 2, 5, 32), rnd(45, 2, 5, 32));
        same("broadcast-batch", t -> t[0].matmul(t[1]), rnd(46, 2, 1, 4, 6), rnd(47, 3, 6, 2));
        same("sliced-operand", t -> t[0].slice(1, 2, 10).matmul(t[1]), rnd(48, 5, 12), rnd(49, 8, 3));
        same("linear-bias", t -> Ops.linear(t[0], t[1], t[2]), rnd(80, 3, 7, 33), rnd(81, 19, 33), rnd(82, 19));
        same("linear-strided", t -> Ops.linear(t[0].transpose(0, 1), t[1].transpose(0, 1), null), rnd(83, 9, 4, 16), rnd(84, 16, 11));
        same("linear-sliced-rows", t -> Ops.linear(t[0].slice(1, 3, 20), t[1], t[2]), rnd(85, 6, 24), rnd(86, 5, 17), rnd(87, 5));
    }

    @Test
    void fusedRowKernels() {
        same("softmax", t -> t[0].softmax(), rnd(50, 37, 61));
        same("log-softmax", t -> t[0].logSoftmax(), rnd(51, 4, 3, 129));
        same("softmax-view", t -> t[0].transpose(0, 1).softmax(), rnd(52, 20, 6));
        Tensor keyMask = dev.orcaj.nn.MultiHeadAttention.keyMask(new float[] {1, 1, 0, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,
                1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0}, 2, 37, DType.F32);
        same("scaled-masked-softmax-key-mask", t -> Ops.scaledMaskedSoftmax(t[0], 0.35, keyMask), rnd(62, 2, 3, 5, 37));
        same("scaled-masked-softmax-row-mask", t -> Ops.scaledMaskedSoftmax(t[0], 1.5, t[1].detach()), rnd(63, 3, 4, 19), rnd(64, 3, 4, 1));
        same("scaled-masked-softmax-no-mask", t -> Ops.scaledMaskedSoftmax(t[0].transpose(0, 1), 0.125, null), rnd(65, 16, 7));
        same("layernorm", t -> t[0].layerNorm(t[1], t[2], 1e-5), rnd(53, 19, 384), rnd(54, 384), rnd(55, 384));
        same("layernorm-plain", t -> t[0].layerNorm(null, null, 1e-12), rnd(56, 5, 7));
        same("gelu-range", t -> t[0].mul(4).gelu(), rnd(57, 4099));
        same("embedding", t -> Functional.embedding(t[0], new int[] {3, 0, 3, 9, 1}, 5), rnd(58, 10, 33));
        same("cross-entropy", t -> Functional.crossEntropy(t[0], new int[] {0, 4, 2}), rnd(59, 3, 5));
        same("concat-pad", t -> Functional.pad(Functional.concat(1, t[0], t[1]), new int[] {0, 2}, new int[] {1, 0}, 0), rnd(60, 3, 4), rnd(61, 3, 2));
    }

    /**
     * Every kernel family gives bitwise the same result on 1 and 2 threads (each output element is the work of one
     * chunk, with a fixed order inside it). The sizes are chosen so that each op really splits: rows of softmax /
     * layer norm above twice the row grain (2^15 / cols), columns of the column sum above 2 x 256, elementwise over
     * 2 x 2^15 elements, the GEMM above 2^22 multiply-adds, the batched GEMM over several products. Each op must
     * raise {@link dev.orcaj.backend.cpu.CpuPool#splitRuns()} on 2 threads, or the comparison would be vacuous.
     */
    @Test
    void threadCountDoesNotChangeResults() {
        Tensor a = rnd(70, 600, 200), b = rnd(71, 200, 600), gamma = rnd(72, 600), beta = rnd(73, 600);
        Tensor q = rnd(74, 64, 32, 48), k = rnd(75, 64, 48, 40);
        List<Function<Tensor, Tensor>> ops = List.of(
                ab -> a.matmul(b),
                ab -> ab.softmax(),
                ab -> ab.sum(0),
                ab -> ab.exp(),
                ab -> ab.layerNorm(gamma, beta, 1e-5),
                ab -> q.matmul(k).reshape(64, 1280));
        int before = dev.orcaj.backend.cpu.CpuPool.threads();
        try {
            dev.orcaj.backend.cpu.CpuPool.setThreads(1);
            Tensor ab1 = a.matmul(b);
            List<float[]> one = ops.stream().map(f -> f.apply(ab1).toFloatArray()).toList();
            dev.orcaj.backend.cpu.CpuPool.setThreads(2);
            Tensor ab2 = a.matmul(b);
            for (int i = 0; i < ops.size(); i++) {
                long splits = dev.orcaj.backend.cpu.CpuPool.splitRuns();
                float[] two = ops.get(i).apply(ab2).toFloatArray();
                assertTrue(dev.orcaj.backend.cpu.CpuPool.splitRuns() > splits, "op " + i + " ran on more than one thread");
                assertArrayEquals(one.get(i), two, "op " + i + ": bitwise identical for 1 and 2 threads");
            }
        } finally {
            dev.orcaj.backend.cpu.CpuPool.setThreads(before);
        }
    }
}
