package dev.orcaj.models.swin;

import dev.orcaj.models.Group;
import dev.orcaj.nn.Attention;
import dev.orcaj.nn.Dropout;
import dev.orcaj.nn.Functional;
import dev.orcaj.nn.Init;
import dev.orcaj.nn.LayerNorm;
import dev.orcaj.nn.Linear;
import dev.orcaj.nn.Module;
import dev.orcaj.nn.Parameter;
import dev.orcaj.tensor.Tensor;

import java.util.SplittableRandom;

/**
 * One Swin block (HF {@code SwinLayer}, pre-LN): x + W-MSA(LN(x)) then x + MLP(LN(x)). Odd blocks shift the grid by
 * -window/2 before partitioning (SW-MSA). When the grid is not larger than the window, the block uses one window of
 * min(H, W) and no shift, as HF does. Names: {@code layernorm_before}, {@code attention.self.*},
 * {@code attention.output.dense}, {@code layernorm_after}, {@code intermediate.dense}, {@code output.dense}.
 */
public final class SwinBlock extends Module {
    public final LayerNorm layernormBefore, layernormAfter;
    public final WindowAttention attention;
    public final Linear outputDense, intermediateDense, mlpOutputDense;
    final Dropout outputDropout, mlpDropout;
    /** Draws the per-sample keep mask of stochastic depth: a Dropout, so training loops reseed it with the others. */
    private final Dropout dropPathMask;
    private final int window, shift;
    private double dropPath;

    SwinBlock(int dim, int heads, int window, boolean shifted, double mlpRatio, double eps, SplittableRandom rng) {
        this.window = window;
        this.shift = shifted ? window / 2 : 0;
        this.dropPathMask = child("drop_path", new Dropout(0, rng.nextLong()));
        int hidden = (int) (mlpRatio * dim);
        layernormBefore = child("layernorm_before", new LayerNorm(dim, eps));
        Group attn = child("attention", new Group());
        attention = attn.add("self", new WindowAttention(dim, heads, window, rng));
        Group attnOut = attn.add("output", new Group());
        outputDense = attnOut.add("dense", new Linear(dim, dim, true, rng));
        outputDropout = attnOut.add("dropout", new Dropout(0, rng.nextLong()));
        layernormAfter = child("layernorm_after", new LayerNorm(dim, eps));
        intermediateDense = child("intermediate", new Group()).add("dense", new Linear(dim, hidden, true, rng));
        Group out = child("output", new Group());
        mlpOutputDense = out.add("dense", new Linear(hidden, dim, true, rng));
        mlpDropout = out.add("dropout", new Dropout(0, rng.nextLong()));
    }

    /** x [B, h*w, C] on an h x w grid -> same shape. */
    Tensor forward(Tensor x, int h, int w) {
        int b = x.shape(0), c = x.shape(2);
        int ws = Math.min(h, w) <= window ? Math.min(h, w) : window;
        int sh = Math.min(h, w) <= window ? 0 : shift;
        int padH = (ws - h % ws) % ws, padW = (ws - w % ws) % ws, hp = h + padH, wp = w + padW;

        Tensor g = layernormBefore.forward(x).reshape(b, h, w, c);
        if (padH + padW > 0) g = Functional.pad(g, new int[4], new int[] {0, padH, padW, 0}, 0);
        if (sh > 0) g = Windows.roll(Windows.roll(g, 1, -sh), 2, -sh);
        Tensor mask = sh > 0 ? Windows.shiftMask(hp, wp, ws, sh, x.dtype()) : null;
        Tensor attended = attention.forward(Windows.partition(g, ws), ws, mask);
        g = Windows.reverse(outputDropout.forward(outputDense.forward(attended)), ws, hp, wp);
        if (sh > 0) g = Windows.roll(Windows.roll(g, 1, sh), 2, sh);
        if (padH + padW > 0) g = g.slice(1, 0, h).slice(2, 0, w);
        Tensor y = x.add(dropPath(g.reshape(b, h * w, c)));
        Tensor mlp = mlpOutputDense.forward(intermediateDense.forward(layernormAfter.forward(y)).gelu());
        return y.add(mlpDropout.forward(mlp));
    }

    /**
     * Stochastic depth (Huang et al. 2016) on the attention branch only, as HF's SwinLayer applies it: while training,
     * each sample's branch is zeroed with probability p and kept ones are scaled by 1/(1-p).
     */
    private Tensor dropPath(Tensor branch) {
        if (!isTraining() || dropPath == 0) return branch;
        // inverted dropout of a [B, 1, 1] tensor of ones is exactly the per-sample keep factor 0 or 1/(1-p)
        return branch.mul(dropPathMask.forward(Tensor.ones(branch.shape(0), 1, 1)).to(branch.dtype()));
    }

    double dropPath() { return dropPath; }

    void setDropPath(double p) {
        if (p < 0 || p >= 1) throw new IllegalArgumentException("drop path rate must be in [0, 1), got " + p);
        dropPath = p;
        dropPathMask.setP(p);
    }

    void setDropout(double hidden, double attentionProbs) {
        attention.probsDropout.setP(attentionProbs);
        outputDropout.setP(attentionProbs); // HF SwinSelfOutput uses attention_probs_dropout_prob
        mlpDropout.setP(hidden);
    }

    /** HF {@code SwinSelfAttention}: q/k/v projections and the learned relative position bias table. */
    public static final class WindowAttention extends Module {
        public final Linear query, key, value;
        /** [(2W-1)^2, heads]. */
        public final Parameter relativePositionBiasTable;
        final Dropout probsDropout;
        private final int heads, window;

        WindowAttention(int dim, int heads, int window, SplittableRandom rng) {
            this.heads = heads;
            this.window = window;
            relativePositionBiasTable = param("relative_position_bias_table", Init.normal(rng, 0.02, (2 * window - 1) * (2 * window - 1), heads));
            query = child("query", new Linear(dim, dim, true, rng));
            key = child("key", new Linear(dim, dim, true, rng));
            value = child("value", new Linear(dim, dim, true, rng));
            probsDropout = child("dropout", new Dropout(0, rng.nextLong()));
        }

        int window() { return window; }

        /** windows [B*nW, ws*ws, C]; mask [nW, 1, N, N] or null. Returns the merged heads [B*nW, N, C]. */
        Tensor forward(Tensor windows, int ws, Tensor mask) {
            return Attention.attend(query.forward(windows), key.forward(windows), value.forward(windows), heads, additiveTerm(windows.shape(0), ws, mask), probsDropout);
        }

        /**
         * Relative position bias B of Swin eq. 4 plus the shifted-window mask, as one additive term broadcastable to
         * the scores [B*nW, H, N, N]: the mask differs per window, so bias + mask [nW, H, N, N] is repeated over the
         * batch (windows are batch-major, see {@link Windows#partition}).
         */
        private Tensor additiveTerm(int batchWindows, int ws, Tensor mask) {
            int n = ws * ws;
            Tensor bias = Functional.embedding(relativePositionBiasTable.get(), Windows.relativePositionIndex(ws, window), n, n).permute(2, 0, 1).unsqueeze(0);
            if (mask == null) return bias;
            int nw = mask.shape(0);
            return bias.add(mask).unsqueeze(0).expand(batchWindows / nw, nw, heads, n, n).reshape(batchWindows, heads, n, n);
        }
    }

}
