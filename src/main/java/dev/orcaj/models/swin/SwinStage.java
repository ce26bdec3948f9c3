package dev.orcaj.models.swin;

import dev.orcaj.models.ModuleList;
import dev.orcaj.nn.Functional;
import dev.orcaj.nn.LayerNorm;
import dev.orcaj.nn.Linear;
import dev.orcaj.nn.Module;
import dev.orcaj.tensor.Tensor;

import java.util.SplittableRandom;

/** HF {@code SwinStage}: {@code blocks.N} (even unshifted, odd shifted) then, except in the last stage, {@code downsample}. */
public final class SwinStage extends Module {
    public final ModuleList<SwinBlock> blocks;
    /** Null in the last stage. */
    public final PatchMerging downsample;

    SwinStage(int dim, int depth, int heads, int window, double mlpRatio, double eps, boolean merge, SplittableRandom rng) {
        blocks = child("blocks", new ModuleList<>());
        for (int i = 0; i < depth; i++) blocks.add(new SwinBlock(dim, heads, window, i % 2 == 1, mlpRatio, eps, rng));
        downsample = merge ? child("downsample", new PatchMerging(dim, rng)) : null;
    }

    /** The tokens [B, h*w, C] after the stage and the grid they lie on. */
    record Result(Tensor tokens, int h, int w) {}

    Result forward(Tensor x, int h, int w) {
        for (SwinBlock block : blocks.items()) x = block.forward(x, h, w);
        if (downsample == null) return new Result(x, h, w);
        return new Result(downsample.forward(x, h, w), (h + 1) / 2, (w + 1) / 2);
    }

    /**
     * HF {@code SwinPatchMerging}: each 2 x 2 neighbourhood becomes one token of width 4C, concatenated in the order
     * x[0::2, 0::2], x[1::2, 0::2], x[0::2, 1::2], x[1::2, 1::2], then LayerNorm(4C, eps 1e-5) and a bias-free
     * reduction to 2C. An odd grid is zero-padded at the bottom/right first.
     */
    public static final class PatchMerging extends Module {
        public final LayerNorm norm;
        public final Linear reduction;

        PatchMerging(int dim, SplittableRandom rng) {
            reduction = child("reduction", new Linear(4 * dim, 2 * dim, false, rng));
            norm = child("norm", new LayerNorm(4 * dim, 1e-5));
        }

        Tensor forward(Tensor x, int h, int w) {
            int b = x.shape(0), c = x.shape(2);
            Tensor g = x.reshape(b, h, w, c);
            if (h % 2 + w % 2 > 0) g = Functional.pad(g, new int[4], new int[] {0, h % 2, w % 2, 0}, 0);
            int h2 = (h + 1) / 2, w2 = (w + 1) / 2;
            // [B, h2, i, w2, j, C] -> [B, h2, w2, j, i, C]: feature block j*2 + i is x[i::2, j::2], HF's concat order
            Tensor merged = g.reshape(b, h2, 2, w2, 2, c).permute(0, 1, 3, 4, 2, 5).reshape(b, h2 * w2, 4 * c);
            return reduction.forward(norm.forward(merged));
        }
    }
}
