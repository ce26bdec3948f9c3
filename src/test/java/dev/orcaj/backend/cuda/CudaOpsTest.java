package dev.orcaj.backend.cuda;

import dev.orcaj.backend.ref.RefKernels;
import dev.orcaj.nn.Functional;
import dev.orcaj.tensor.DType;
import dev.orcaj.tensor.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static dev.orcaj.backend.cuda.GpuAssume.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The fused kernels outside the Backend interface against their CPU twins or against plain double loops written
 * here. Tolerances as in {@link CudaBackendParityTest}: copies exact, float reductions 2e-5 relative.
 */
class CudaOpsTest {
    private static CudaOps ops;

    @BeforeEach
    void open() { // per test, so each one is reported as skipped with the reason
        CudaDevice d = GpuAssume.device();
        if (ops == null) ops = new CudaOps(d);
    }

    private static float[] rnd(long seed, int n, double std) {
        return Tensor.randn(DType.F32, new SplittableRandom(seed), std, n).toFloatArray();
    }

    @Test
    void patchUnfoldAndFoldAreTheFunctionalPermutations() {
        int n = 2, c = 3, k = 4, gh = 3, gw = 5;
        float[] img = rnd(1, n * c * gh * k * gw * k, 1);
        Tensor x = Tensor.of(img, n, c, gh * k, gw * k);
        float[] expected = Functional.patchUnfold2d(x, k).toFloatArray();
        float[] got = ops.patchUnfold2d(img, n, c, k, gh, gw);
        assertArrayEquals(expected, got);
        assertArrayEquals(img, ops.patchFold2d(got, n, c, k, gh, gw));
        assertArrayEquals(Functional.patchFold2d(Tensor.of(expected, n, gh * gw, c * k * k), c, k, gh, gw).toFloatArray(), ops.patchFold2d(expected, n, c, k, gh, gw));
    }

    @Test
    void crossEntropyWithWeightsAndIgnoredRows() {
        int rows = 7, k = 5;
        float[] logits = rnd(2, rows * k, 3);
        int[] labels = {0, 4, -100, 2, 2, 1, 3};
        double[] w = {1, 0.5, 2, 1.5, 0.25};
        double wsum = 0, loss = 0;
        double[] grad = new double[rows * k];
        for (int i = 0; i < rows; i++) { // plain double reference: -w_y log softmax_y, gradient w_y (p - onehot)
            if (labels[i] == -100) continue;
            double mx = Double.NEGATIVE_INFINITY, s = 0;
            for (int c = 0; c < k; c++) mx = Math.max(mx, logits[i * k + c]);
            for (int c = 0; c < k; c++) s += Math.exp(logits[i * k + c] - mx);
            double wi = w[labels[i]];
            wsum += wi;
            loss += wi * (mx + Math.log(s) - logits[i * k + labels[i]]);
            for (int c = 0; c < k; c++) grad[i * k + c] = wi * (Math.exp(logits[i * k + c] - mx) / s - (c == labels[i] ? 1 : 0));
        }
        for (int i = 0; i < grad.length; i++) grad[i] /= wsum;
        CudaOps.CrossEntropy got = ops.crossEntropy(logits, rows, k, labels, w, -100);
        assertEquals(loss / wsum, got.loss(), 1e-5 * Math.max(1, Math.abs(loss / wsum)));
        assertClose(GpuAssume.toFloats(grad), got.gradLogits(), 1e-6, 1e-5, "cross-entropy gradient");
    }

    @Test
    void adamWStepMatchesTheTorchFormula() {
        int n = 1000;
        float[] p = rnd(3, n, 1), g = rnd(4, n, 0.1), m = rnd(5, n, 0.01), v = rnd(6, n, 0.001);
        for (int i = 0; i < n; i++) v[i] = Math.abs(v[i]);
        double lr = 1e-3, b1 = 0.9, b2 = 0.999, eps = 1e-8, wd = 0.01;
        long step = 3;
        float[] ep = new float[n], em = new float[n], ev = new float[n];
        for (int i = 0; i < n; i++) { // Adam#update with decoupled decay, in double
            double mi = b1 * m[i] + (1 - b1) * g[i], vi = b2 * v[i] + (1 - b2) * (double) g[i] * g[i];
            em[i] = (float) mi;
            ev[i] = (float) vi;
            ep[i] = (float) (p[i] * (1 - lr * wd) - lr / (1 - Math.pow(b1, step)) * mi / (Math.sqrt(vi) / Math.sqrt(1 - Math.pow(b2, step)) + eps));
        }
        ops.adamStep(p, g, m, v, step, lr, b1, b2, eps, wd, true);
        assertClose(em, m, 1e-9, 1e-6, "adamw m");
        assertClose(ev, v, 1e-12, 1e-6, "adamw v");
        assertClose(ep, p, 1e-6, 1e-6, "adamw p");
    }

    @Test
    void maskedAttentionMatchesTheEnginesAttention() {
        int b = 2, h = 3, s = 37, d = 64;
        float[] q = rnd(7, b * h * s * d, 1), k = rnd(8, b * h * s * d, 1), v = rnd(9, b * h * s * d, 1);
        float[] keyMask01 = new float[b * s];
        for (int i = 0; i < keyMask01.length; i++) keyMask01[i] = (i % s) < s - 5 * (i / s + 1) ? 1 : 0; // padded tails
        Tensor mask = dev.orcaj.nn.MultiHeadAttention.keyMask(keyMask01, b, s, DType.F32); // [b, 1, 1, s]
        double scale = 1 / Math.sqrt(d);
        Tensor qt = Tensor.of(q, b, h, s, d), kt = Tensor.of(k, b, h, s, d), vt = Tensor.of(v, b, h, s, d);
        Tensor ktT = kt.transpose(2, 3);
        // the reference is the engine's own attention (nn.Attention, what BERT and Swin call) on the CPU backend
        float[] expected = dev.orcaj.nn.Attention.scaledDotProduct(qt, ktT, vt, scale, mask, null).toFloatArray();
        float[] got = ops.attention(q, k, v, mask.toFloatArray(), new int[] {s, 0, 0, 1}, b, h, s, s, d, scale);
        assertClose(expected, got, 1e-5, 2e-5, "attention");
        assertClose(dev.orcaj.nn.Attention.scaledDotProduct(qt, ktT, vt, scale, null, null).toFloatArray(),
                ops.attention(q, k, v, null, null, b, h, s, s, d, scale), 1e-5, 2e-5, "attention without mask");
    }

    @Test
    void geluForwardAndBackwardMatchRefKernels() {
        int n = 4099;
        float[] x = rnd(10, n, 4), dy = rnd(11, n, 1), y = new float[n], dx = new float[n];
        RefKernels.gelu(x, y, n);
        RefKernels.geluBackward(x, dy, dx, n);
        assertClose(y, ops.gelu(x, null, false), 1e-6, 4e-6, "gelu");
        assertClose(dx, ops.gelu(x, dy, true), 1e-6, 4e-6, "gelu backward");
    }
}
