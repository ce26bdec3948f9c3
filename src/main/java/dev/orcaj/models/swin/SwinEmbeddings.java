package dev.orcaj.models.swin;

import dev.orcaj.io.SwinConfig;
import dev.orcaj.models.Group;
import dev.orcaj.nn.Dropout;
import dev.orcaj.nn.Functional;
import dev.orcaj.nn.Init;
import dev.orcaj.nn.LayerNorm;
import dev.orcaj.nn.Module;
import dev.orcaj.nn.Parameter;
import dev.orcaj.tensor.Tensor;

import java.util.SplittableRandom;

/**
 * HF {@code SwinEmbeddings} without mask token or absolute positions: patch conv (kernel = stride = patch, written as
 * patch unfold + matmul with the conv weight viewed [D, C*p*p]), then {@code embeddings.norm} (eps 1e-5, as HF
 * constructs it regardless of config) and dropout. Images are zero-padded right/bottom to a multiple of the patch.
 */
public final class SwinEmbeddings extends Module {
    public final PatchProjection projection;
    public final LayerNorm norm;
    final Dropout dropout;
    private final SwinConfig config;

    SwinEmbeddings(SwinConfig config, SplittableRandom rng) {
        this.config = config;
        projection = child("patch_embeddings", new Group()).add("projection", new PatchProjection(config.numChannels(), config.embedDim(), config.patchSize(), rng));
        norm = child("norm", new LayerNorm(config.embedDim(), 1e-5));
        dropout = child("dropout", new Dropout(0, rng.nextLong()));
    }

    /** Patch grid (rows, cols) of an image h x w after padding to a multiple of the patch. */
    int[] grid(int h, int w) {
        int p = config.patchSize();
        return new int[] {(h + p - 1) / p, (w + p - 1) / p};
    }

    /** pixels [B, C, H, W] -> tokens [B, gh*gw, embed_dim]. */
    Tensor forward(Tensor pixels) {
        if (pixels.rank() != 4 || pixels.shape(1) != config.numChannels()) {
            throw new IllegalArgumentException("SwinModel: pixel values must be [B, " + config.numChannels() + ", H, W], got " + java.util.Arrays.toString(pixels.shape()));
        }
        int p = config.patchSize(), h = pixels.shape(2), w = pixels.shape(3);
        int padH = (p - h % p) % p, padW = (p - w % p) % p;
        if (padH + padW > 0) pixels = Functional.pad(pixels, new int[4], new int[] {0, 0, padH, padW}, 0);
        return dropout.forward(norm.forward(projection.forward(pixels)));
    }

    /** {@code patch_embeddings.projection}: a Conv2d with kernel = stride = patch, weight [D, C, p, p] and bias [D]. */
    public static final class PatchProjection extends Module {
        public final Parameter weight, bias;
        private final int patch;

        PatchProjection(int channels, int dim, int patch, SplittableRandom rng) {
            this.patch = patch;
            int fanIn = channels * patch * patch;
            weight = param("weight", Init.kaimingUniform(rng, fanIn, dim, channels, patch, patch));
            bias = param("bias", Init.uniform(rng, 1 / Math.sqrt(fanIn), dim));
        }

        Tensor forward(Tensor pixels) {
            Tensor w = weight.get();
            Tensor kernel = w.reshape(w.shape(0), -1).transpose(0, 1);
            return Functional.patchUnfold2d(pixels, patch).matmul(kernel).add(bias.get());
        }
    }
}
