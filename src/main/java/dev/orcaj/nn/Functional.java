package dev.orcaj.nn;

import dev.orcaj.autograd.Ops;
import dev.orcaj.tensor.DType;
import dev.orcaj.tensor.Device;
import dev.orcaj.tensor.Shape;
import dev.orcaj.tensor.Tensor;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Composite operations built only from the primitives in {@link Ops} (so their gradients come for free):
 * losses, dropout, embedding lookup, the ORCA embedder's patch unfold/fold, pixel-shuffle and bilinear resize.
 */
public final class Functional {
    private Functional() {}

    public static Tensor concat(int axis, Tensor... parts) { return Ops.concat(parts, axis); }

    public static Tensor stack(int axis, Tensor... parts) {
        Tensor[] u = new Tensor[parts.length];
        for (int i = 0; i < parts.length; i++) u[i] = parts[i].unsqueeze(axis);
        return Ops.concat(u, axis);
    }

    /** Constant padding: before/after per axis. */
    public static Tensor pad(Tensor x, int[] before, int[] after, double value) { return Ops.pad(x, before, after, value); }

    /** Rows of {@code table} [V, D] for token ids laid out as {@code idShape}: result [idShape..., D]. */
    public static Tensor embedding(Tensor table, int[] ids, int... idShape) {
        if (Shape.numel(idShape) != ids.length) throw new IllegalArgumentException("embedding: " + ids.length + " ids do not fill shape " + Shape.str(idShape));
        int[] out = Arrays.copyOf(idShape, idShape.length + 1);
        out[idShape.length] = table.shape(1);
        return Ops.indexSelect(table, ids).reshape(out);
    }

    /** Inverted dropout with a seeded generator; identity when not training or p == 0. */
    public static Tensor dropout(Tensor x, double p, boolean training, SplittableRandom rng) {
        if (!training || p == 0) return x;
        if (p < 0 || p >= 1) throw new IllegalArgumentException("dropout: p must be in [0, 1), got " + p);
        Tensor mask = Tensor.empty(x.dtype(), x.shape());
        double keep = 1 / (1 - p);
        for (int i = 0; i < mask.numel(); i++) mask.storage().set(i, rng.nextDouble() >= p ? keep : 0);
        return x.mul(mask);
    }

    // ------------------------------------------------------------------ losses

    /**
     * Mean cross-entropy of logits [N, K] against labels, PyTorch semantics: with class weights w the mean is
     * sum_i w[y_i] (-log p_i[y_i]) / sum_i w[y_i]; rows whose label equals {@code ignoreIndex} do not count.
     */
    public static Tensor crossEntropy(Tensor logits, int[] labels, double[] classWeights, int ignoreIndex) {
        if (logits.rank() != 2) throw new IllegalArgumentException("crossEntropy: logits must be [N, K], got " + Shape.str(logits.shape()));
        int n = logits.shape(0), k = logits.shape(1);
        if (labels.length != n) throw new IllegalArgumentException("crossEntropy: " + labels.length + " labels for " + n + " rows");
        if (classWeights != null && classWeights.length != k) throw new IllegalArgumentException("crossEntropy: " + classWeights.length + " class weights for " + k + " classes");
        int[] idx = new int[n];
        double[] w = new double[n];
        double wsum = 0;
        for (int i = 0; i < n; i++) {
            if (labels[i] == ignoreIndex) continue;
            if (labels[i] < 0 || labels[i] >= k) throw new IllegalArgumentException("crossEntropy: label " + labels[i] + " at row " + i + " outside [0, " + k + ")");
            idx[i] = labels[i];
            w[i] = classWeights == null ? 1 : classWeights[labels[i]];
            wsum += w[i];
        }
        if (wsum == 0) throw new IllegalArgumentException("crossEntropy: every label is ignored (or has weight 0)");
        // logits on a device: the fused kernels there (this composed form is their reference)
        if (logits.device() != Device.CPU) return Ops.crossEntropy(logits, labels, classWeights, ignoreIndex, wsum);
        Tensor picked = Ops.gatherLast(logits.logSoftmax(), idx);
        return picked.mul(constant(w, logits.dtype(), n)).sum().mul(-1 / wsum);
    }

    public static Tensor crossEntropy(Tensor logits, int[] labels) { return crossEntropy(logits, labels, null, -100); }

    /**
     * Mean binary cross-entropy with logits, PyTorch's stable form:
     * (1 - y) x + (1 + (pw - 1) y) (log(1 + exp(-|x|)) + max(-x, 0)); posWeight broadcasts over the last axis.
     */
    public static Tensor bceWithLogits(Tensor logits, Tensor targets, Tensor posWeight) {
        if (!Arrays.equals(logits.shape(), targets.shape())) throw new IllegalArgumentException("bceWithLogits: logits " + Shape.str(logits.shape()) + " vs targets " + Shape.str(targets.shape()));
        Tensor softplusNeg = logits.neg().relu().add(logits.abs().neg().exp().add(1).log());
        Tensor logWeight = posWeight == null ? null : targets.mul(posWeight.sub(1)).add(1);
        Tensor l = targets.neg().add(1).mul(logits).add(logWeight == null ? softplusNeg : logWeight.mul(softplusNeg));
        return l.mean();
    }

    public static Tensor mse(Tensor pred, Tensor target) { return pred.sub(target).square().mean(); }

    public static Tensor l1(Tensor pred, Tensor target) { return pred.sub(target).abs().mean(); }

    static Tensor constant(double[] v, DType dtype, int... shape) { return Tensor.of(v, shape).to(dtype); }

    // ------------------------------------------------------------------ patches (conv with kernel = stride)

    /** [N, C, L] -> [N, L/k, C*k], features ordered (c, j) like a Conv1d weight [D, C, k]. */
    public static Tensor patchUnfold1d(Tensor x, int k) {
        int n = x.shape(0), c = x.shape(1), l = x.shape(2);
        if (l % k != 0) throw new IllegalArgumentException("patchUnfold1d: length " + l + " is not divisible by kernel " + k);
        return x.reshape(n, c, l / k, k).permute(0, 2, 1, 3).reshape(n, l / k, c * k);
    }

    /** Inverse of {@link #patchUnfold1d}: [N, T, C*k] -> [N, C, T*k]. */
    public static Tensor patchFold1d(Tensor p, int c, int k) {
        int n = p.shape(0), t = p.shape(1);
        return p.reshape(n, t, c, k).permute(0, 2, 1, 3).reshape(n, c, t * k);
    }

    /** [N, C, H, W] -> [N, (H/k)(W/k), C*k*k], tokens row-major over the patch grid, features (c, i, j). */
    public static Tensor patchUnfold2d(Tensor x, int k) {
        int n = x.shape(0), c = x.shape(1), h = x.shape(2), w = x.shape(3);
        if (h % k != 0 || w % k != 0) throw new IllegalArgumentException("patchUnfold2d: " + h + "x" + w + " is not divisible by kernel " + k);
        return x.reshape(n, c, h / k, k, w / k, k).permute(0, 2, 4, 1, 3, 5).reshape(n, (h / k) * (w / k), c * k * k);
    }

    /** Inverse of {@link #patchUnfold2d}: [N, gh*gw, C*k*k] -> [N, C, gh*k, gw*k]. */
    public static Tensor patchFold2d(Tensor p, int c, int k, int gh, int gw) {
        int n = p.shape(0);
        return p.reshape(n, gh, gw, c, k, k).permute(0, 3, 1, 4, 2, 5).reshape(n, c, gh * k, gw * k);
    }

    /** [N, C*r, L] -> [N, C, L*r] (channel c*r + i goes to position l*r + i). */
    public static Tensor pixelShuffle1d(Tensor x, int r) {
        int n = x.shape(0), cr = x.shape(1), l = x.shape(2);
        if (cr % r != 0) throw new IllegalArgumentException("pixelShuffle1d: channels " + cr + " not divisible by " + r);
        return x.reshape(n, cr / r, r, l).permute(0, 1, 3, 2).reshape(n, cr / r, l * r);
    }

    /** PyTorch pixel_shuffle: [N, C*r*r, H, W] -> [N, C, H*r, W*r]. */
    public static Tensor pixelShuffle2d(Tensor x, int r) {
        int n = x.shape(0), crr = x.shape(1), h = x.shape(2), w = x.shape(3);
        if (crr % (r * r) != 0) throw new IllegalArgumentException("pixelShuffle2d: channels " + crr + " not divisible by " + r * r);
        int c = crr / (r * r);
        return x.reshape(n, c, r, r, h, w).permute(0, 1, 4, 2, 5, 3).reshape(n, c, h * r, w * r);
    }

    /**
     * Bilinear resize of [N, C, H, W] to [N, C, outH, outW] with PyTorch's align_corners=False convention (no
     * antialias). Bilinear interpolation is separable, so it is exactly Rh . x . Rw^T with two sparse-in-spirit
     * interpolation matrices; the gradient is their transpose for free.
     */
    public static Tensor resizeBilinear(Tensor x, int outH, int outW) {
        int h = x.shape(2), w = x.shape(3);
        Tensor rh = interpolationMatrix(h, outH, x.dtype()), rw = interpolationMatrix(w, outW, x.dtype());
        return rh.matmul(x).matmul(rw.transpose(0, 1));
    }

    static Tensor interpolationMatrix(int in, int out, DType dtype) {
        double[] m = new double[out * in];
        double scale = (double) in / out;
        for (int o = 0; o < out; o++) {
            double src = Math.max((o + 0.5) * scale - 0.5, 0);
            int i0 = Math.min((int) Math.floor(src), in - 1);
            int i1 = Math.min(i0 + 1, in - 1);
            double lam = src - i0;
            m[o * in + i0] += 1 - lam;
            m[o * in + i1] += lam;
        }
        return constant(m, dtype, out, in);
    }
}
