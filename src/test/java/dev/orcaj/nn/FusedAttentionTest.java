package dev.orcaj.nn;

import dev.orcaj.autograd.GradCheck;
import dev.orcaj.autograd.Ops;
import dev.orcaj.backend.cpu.CpuPool;
import dev.orcaj.io.BertConfig;
import dev.orcaj.models.bert.BertModel;
import dev.orcaj.nn.Parameter;
import dev.orcaj.tensor.DType;
import dev.orcaj.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Ops#attention}, the one-primitive attention, against the unfused composition softmax(q k^T * scale + mask) v
 * of plain ops in float64. The F32 inputs run the CPU backend's blockwise kernel (backend.cpu.FlashAttention, 64-row
 * x 256-key tiles): the sizes below span several row blocks and two key blocks, none a multiple of the tile or the
 * vector width, with key-padding masks that leave a whole key block masked (first or last) and a general mask with
 * fully masked rows. F64 inputs run the backend's reference composition, which the gradient check covers.
 */
class FusedAttentionTest {
    static final float BIG = -3.4028234663852886e38f;

    /** q, k, v [B, S, H*hd] in F64 and F32 (the same values), a dOut seed and a mask. */
    record Case(int b, int h, int sq, int sk, int hd, Tensor q, Tensor k, Tensor v, Tensor dOut, Tensor mask) {
        static Case of(int b, int h, int sq, int sk, int hd, long seed, Tensor mask) {
            SplittableRandom r = new SplittableRandom(seed);
            int d = h * hd;
            return new Case(b, h, sq, sk, hd, f32(Tensor.randn(DType.F64, r, 1, b, sq, d)), f32(Tensor.randn(DType.F64, r, 1, b, sk, d)),
                    f32(Tensor.randn(DType.F64, r, 1, b, sk, d)), f32(Tensor.randn(DType.F64, r, 1, b, sq, d)), mask);
        }

        double scale() { return 1 / Math.sqrt(hd); }
    }

    /** Rounds to float values, kept in F64, so both sides see identical inputs. */
    static Tensor f32(Tensor t) { return t.to(DType.F32).to(DType.F64).detach(); }

    /** {out, dq, dk, dv} of the composition in F64 (autograd through matmul, mul, add, softmax). */
    static Tensor[] composed(Case c) {
        Tensor q = c.q.detach().requiresGrad(true), k = c.k.detach().requiresGrad(true), v = c.v.detach().requiresGrad(true);
        Tensor qh = q.reshape(c.b, c.sq, c.h, c.hd).permute(0, 2, 1, 3);
        Tensor kh = k.reshape(c.b, c.sk, c.h, c.hd).permute(0, 2, 1, 3), vh = v.reshape(c.b, c.sk, c.h, c.hd).permute(0, 2, 1, 3);
        Tensor scores = qh.matmul(kh.transpose(2, 3)).mul(c.scale());
        if (c.mask != null) scores = scores.add(c.mask);
        Tensor out = scores.softmax().matmul(vh).permute(0, 2, 1, 3).reshape(c.b, c.sq, c.h * c.hd);
        out.backward(c.dOut);
        return new Tensor[] {out.detach(), q.grad(), k.grad(), v.grad()};
    }

    /** {out, dq, dk, dv} of Ops.attention in {@code dtype}. */
    static Tensor[] fused(Case c, DType dtype) {
        Tensor q = c.q.to(dtype).detach().requiresGrad(true), k = c.k.to(dtype).detach().requiresGrad(true), v = c.v.to(dtype).detach().requiresGrad(true);
        Tensor out = Ops.attention(q, k, v, c.h, c.scale(), c.mask == null ? null : c.mask.to(dtype));
        out.backward(c.dOut.to(dtype));
        return new Tensor[] {out.detach(), q.grad(), k.grad(), v.grad()};
    }

    /** max |x - y| / max(max |y|, 1e-3). */
    static double relErr(Tensor x, Tensor y) {
        double[] a = x.toDoubleArray(), e = y.toDoubleArray();
        assertEquals(e.length, a.length);
        double diff = 0, scale = 1e-3;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs(a[i] - e[i]));
            scale = Math.max(scale, Math.abs(e[i]));
        }
        return diff / scale;
    }

    static double maxAbsDiff(Tensor x, Tensor y) {
        double[] a = x.toDoubleArray(), e = y.toDoubleArray();
        double diff = 0;
        for (int i = 0; i < a.length; i++) diff = Math.max(diff, Math.abs(a[i] - e[i]));
        return diff;
    }

    /** Key mask [B, 1, 1, Sk]: batch entry r attends keys [from[r], to[r]). */
    static Tensor keyMask(int sk, int[] from, int[] to) {
        double[] m = new double[from.length * sk];
        for (int r = 0; r < from.length; r++) for (int j = 0; j < sk; j++) m[r * sk + j] = j >= from[r] && j < to[r] ? 0 : BIG;
        return Tensor.of(m, from.length, 1, 1, sk);
    }

    static final String[] NAMES = {"out", "dq", "dk", "dv"};

    /**
     * The F32 kernel against the F64 composition: 3e-5 of the largest entry. Float32 rounding of scores and
     * probabilities over 300 keys accounts for ~1e-6; a wrong rescale, mask or tile bound is off by O(1).
     */
    static void assertMatchesComposition(String what, Case c) {
        Tensor[] want = composed(c), got = fused(c, DType.F32);
        for (int i = 0; i < 4; i++) {
            double err = relErr(got[i], want[i]);
            assertTrue(err < 3e-5, what + ": " + NAMES[i] + " relative error " + err);
        }
    }

    @Test
    void noMaskOddSizesSeveralBlocks() {
        assertMatchesComposition("self-attention 130x300", Case.of(2, 3, 130, 130, 5, 1, null));
        assertMatchesComposition("cross-attention 67x300", Case.of(2, 3, 67, 300, 5, 2, null));
        assertMatchesComposition("one query, one key", Case.of(1, 2, 1, 1, 3, 3, null));
    }

    @Test
    void keyPaddingMasksIncludingWholeMaskedKeyBlocks() {
        int sk = 300;
        // entry 0: keys 0..19 only (block 2 fully masked); entry 1: keys 280..299 only (block 1 fully masked, so the
        // online softmax must drop what block 1 accumulated); entry 2: all keys
        Tensor mask = keyMask(sk, new int[] {0, 280, 0}, new int[] {20, 300, sk});
        assertMatchesComposition("key padding", Case.of(3, 2, 70, sk, 7, 4, mask));
    }

    @Test
    void generalMaskWithFullyMaskedRows() {
        int b = 2, h = 3, sq = 70, sk = 290;
        SplittableRandom r = new SplittableRandom(5);
        double[] m = new double[b * h * sq * sk];
        for (int i = 0; i < m.length; i++) m[i] = r.nextDouble() < 0.3 ? BIG : r.nextGaussian();
        for (int j = 0; j < sk; j++) m[(1 * h * sq + 2 * sq + 5) * sk + j] = BIG; // row (b1, h2, i5): every key masked
        Tensor mask = Tensor.of(m, b, h, sq, sk);
        assertMatchesComposition("per-head mask", Case.of(b, h, sq, sk, 4, 6, mask));
    }

    @Test
    void oneAndTwoThreadsGiveTheSameBits() {
        Case c = Case.of(3, 4, 140, 300, 8, 7, keyMask(300, new int[] {0, 5, 0}, new int[] {300, 200, 37}));
        int before = CpuPool.threads();
        try {
            CpuPool.setThreads(1);
            Tensor[] one = fused(c, DType.F32);
            CpuPool.setThreads(2);
            long split = CpuPool.splitRuns();
            Tensor[] two = fused(c, DType.F32);
            assertTrue(CpuPool.splitRuns() > split, "the kernel never split over 2 threads: the comparison would be vacuous");
            for (int i = 0; i < 4; i++) assertArrayEquals(one[i].toFloatArray(), two[i].toFloatArray(), NAMES[i]);
        } finally {
            CpuPool.setThreads(before);
        }
    }

    @Test
    void gradientCheck() {
        Case c = Case.of(2, 2, 5, 7, 3, 8, keyMask(7, new int[] {0, 2}, new int[] {7, 6}));
        GradCheck.check("attention", t -> Ops.attention(t[0], t[1], t[2], c.h, c.scale(), c.mask), c.q.detach(), c.k.detach(), c.v.detach());
    }

    @Test
    void f64ReferenceRouteEqualsTheComposition() {
        Case c = Case.of(2, 3, 9, 11, 4, 9, keyMask(11, new int[] {0, 3}, new int[] {11, 8}));
        Tensor[] want = composed(c), got = fused(c, DType.F64);
        for (int i = 0; i < 4; i++) assertTrue(relErr(got[i], want[i]) < 1e-12, NAMES[i]);
    }

    @Test
    void badShapesAndAGradRequiringMaskAreRefused() {
        Tensor q = Tensor.zeros(2, 4, 6), k = Tensor.zeros(2, 5, 6);
        assertThrows(IllegalArgumentException.class, () -> Ops.attention(q, k, k, 4, 1, null)); // 6 not divisible by 4
        assertThrows(IllegalArgumentException.class, () -> Ops.attention(q, Tensor.zeros(2, 5, 3), k, 2, 1, null));
        assertThrows(IllegalArgumentException.class, () -> Ops.attention(q, k, k, 2, 1, Tensor.zeros(2, 1, 1, 4)));
        assertThrows(IllegalArgumentException.class, () -> Ops.attention(q, k, k, 2, 1, Tensor.zeros(2, 1, 1, 5).requiresGrad(true)));
    }

    /**
     * MiniLM-L6's body (random weights, 6 layers) at B3 x S77 with padding: forward output and every parameter
     * gradient equal on the fused and the composed route within 1e-4 of each tensor's largest entry (both F32;
     * six layers of float32 rounding differences in the attention, measured below 1e-5).
     */
    @Test
    void miniLmBodyFusedEqualsComposed() {
        int b = 3, s = 77;
        BertModel body = new BertModel(BertConfig.allMiniLmL6V2(), false, 11);
        body.train(true);
        SplittableRandom r = new SplittableRandom(12);
        int[] ids = new int[b * s], mask = new int[b * s];
        int[] lens = {s, 40, 9};
        for (int i = 0; i < b; i++) for (int t = 0; t < s; t++) {
            ids[i * s + t] = t < lens[i] ? 1000 + r.nextInt(20000) : 0;
            mask[i * s + t] = t < lens[i] ? 1 : 0;
        }
        Tensor seed = Tensor.randn(DType.F32, new SplittableRandom(13), 1, b, s, body.config.hiddenSize());
        Map<String, Parameter> params = body.namedParameters();
        Tensor[] outs = new Tensor[2];
        Map<String, Tensor> grads0 = new java.util.HashMap<>();
        try {
            for (int pass = 0; pass < 2; pass++) {
                Attention.setFused(pass == 0);
                body.zeroGrad();
                Tensor h = body.forward(ids, mask, null, b, s).lastHiddenState();
                h.backward(seed);
                outs[pass] = h.detach();
                for (var e : params.entrySet()) {
                    Tensor g = e.getValue().get().grad();
                    if (g == null) continue;
                    if (pass == 0) grads0.put(e.getKey(), g);
                    else if (e.getKey().endsWith("key.bias")) {
                        // 0 in exact arithmetic (a bias shared by every key shifts a whole score row; softmax ignores
                        // it): both routes hold rounding noise, compared in absolute terms
                        assertTrue(maxAbsDiff(grads0.get(e.getKey()), g) < 1e-5, "gradient of " + e.getKey());
                    } else assertTrue(relErr(grads0.get(e.getKey()), g) < 1e-4, "gradient of " + e.getKey() + ": " + relErr(grads0.get(e.getKey()), g));
                }
            }
        } finally {
            Attention.setFused(true);
        }
        assertTrue(grads0.size() > 90, "gradients reached " + grads0.size() + " parameters");
        assertTrue(relErr(outs[0], outs[1]) < 1e-4, "last hidden state: " + relErr(outs[0], outs[1]));
    }
}
