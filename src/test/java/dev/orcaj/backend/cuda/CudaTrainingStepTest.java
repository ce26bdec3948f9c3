package dev.orcaj.backend.cuda;

import dev.orcaj.backend.Backend;
import dev.orcaj.backend.Backends;
import dev.orcaj.nn.Functional;
import dev.orcaj.tensor.DType;
import dev.orcaj.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static dev.orcaj.backend.cuda.GpuAssume.assertClose;

/**
 * A transformer-block-shaped forward and backward (embedding, layer norm, attention with a key mask, GELU MLP,
 * residuals, cross-entropy) through the engine's autograd with CudaBackend as the F32 backend, against the same
 * step on the CPU backend: loss and every parameter gradient within 1e-4 relative to each tensor's largest entry
 * (dozens of float ops chained; GEMM summation order differs).
 */
class CudaTrainingStepTest {
    private static Backend cuda;

    @BeforeEach
    void open() { // per test, so each one is reported as skipped with the reason
        CudaDevice d = GpuAssume.device();
        if (cuda == null) cuda = new CudaBackend(d);
    }

    @AfterEach
    void restore() { Backends.useForF32(Backends.CPU); }

    private static List<float[]> step(Backend backend) {
        Backends.useForF32(backend);
        SplittableRandom rng = new SplittableRandom(42);
        int b = 2, s = 12, d = 32, vocab = 50, classes = 5;
        Tensor emb = Tensor.randn(DType.F32, rng, 0.5, vocab, d).requiresGrad(true);
        Tensor wq = Tensor.randn(DType.F32, rng, 0.2, d, d).requiresGrad(true), wk = Tensor.randn(DType.F32, rng, 0.2, d, d).requiresGrad(true);
        Tensor wv = Tensor.randn(DType.F32, rng, 0.2, d, d).requiresGrad(true), w1 = Tensor.randn(DType.F32, rng, 0.2, d, 4 * d).requiresGrad(true);
        Tensor w2 = Tensor.randn(DType.F32, rng, 0.2, 4 * d, d).requiresGrad(true), head = Tensor.randn(DType.F32, rng, 0.2, d, classes).requiresGrad(true);
        Tensor gamma = Tensor.ones(d).requiresGrad(true), beta = Tensor.zeros(d).requiresGrad(true);
        int[] ids = new int[b * s];
        for (int i = 0; i < ids.length; i++) ids[i] = rng.nextInt(vocab);
        float[] mask01 = new float[b * s];
        for (int i = 0; i < mask01.length; i++) mask01[i] = i % s < s - 3 * (i / s) ? 1 : 0;
        Tensor x = Functional.embedding(emb, ids, b, s);
        Tensor h = x.layerNorm(gamma, beta, 1e-12);
        Tensor scores = h.matmul(wq).matmul(h.matmul(wk).transpose(1, 2)).mul(1 / Math.sqrt(d))
                .add(dev.orcaj.nn.MultiHeadAttention.keyMask(mask01, b, s, DType.F32).reshape(b, 1, s));
        Tensor att = scores.softmax().matmul(h.matmul(wv));
        Tensor y = x.add(att);
        y = y.add(y.matmul(w1).gelu().matmul(w2));
        Tensor logits = y.mean(1).matmul(head);
        Tensor loss = Functional.crossEntropy(logits, new int[] {1, 3});
        loss.backward();
        List<float[]> out = new ArrayList<>();
        out.add(loss.toFloatArray());
        for (Tensor p : new Tensor[] {emb, wq, wk, wv, w1, w2, head, gamma, beta}) out.add(p.grad().toFloatArray());
        return out;
    }

    @Test
    void forwardAndBackwardMatchTheCpuBackend() {
        List<float[]> cpu = step(Backends.CPU), gpu = step(cuda);
        String[] names = {"loss", "emb", "wq", "wk", "wv", "w1", "w2", "head", "gamma", "beta"};
        for (int i = 0; i < cpu.size(); i++) assertClose(cpu.get(i), gpu.get(i), 1e-6, 1e-4, names[i]);
    }
}
