package dev.orcaj.orca;

import dev.orcaj.models.Body;
import dev.orcaj.nn.Functional;
import dev.orcaj.nn.Init;
import dev.orcaj.nn.LayerNorm;
import dev.orcaj.nn.Module;
import dev.orcaj.nn.Parameter;
import dev.orcaj.tensor.Shape;
import dev.orcaj.tensor.Tensor;

import java.util.SplittableRandom;

/**
 * The task-specific embedder of ORCA stage 1 (paper section 3.1; spec 1.1): a convolution with kernel = stride = k
 * (patch unfold + one matrix product), LayerNorm, then the body's learned absolute positions added. It replaces the
 * body's pretrained embedding module, whose output it imitates. The position table is always a copy of the body's
 * (positions start at the body's first position id, e.g. 2 for RoBERTa). Warm (ORCA, which trains the embedder in
 * stage 2): the LayerNorm is copied from the body's embedding LayerNorm and a Swin patch conv is the pretrained one
 * tiled over the input channels. Cold (the official fine-tuning baseline, embedder_epochs = 0): LayerNorm (1, 0) and
 * a freshly drawn conv (Xavier for 1D as the reference's Conv1d; N(0, 0.02) for the Swin patch conv, the reference's
 * trunc_normal(std 0.02) whose +-2 cut-off lies 100 standard deviations out). 2D inputs into a text body are cut into
 * k x k patches read row-major.
 */
public final class Embedder extends Module {
    public final PatchPlan plan;
    public final int channels, dim;
    public final Parameter weight, bias;
    public final LayerNorm norm;
    public final Parameter positions;
    private final int firstPosition;

    /** The warm embedder (ORCA). */
    public Embedder(TaskSpec task, Body body, int explicitK, SplittableRandom rng) { this(task, body, explicitK, rng, true); }

    public Embedder(TaskSpec task, Body body, int explicitK, SplittableRandom rng, boolean warm) {
        this.channels = task.channels();
        this.dim = body.inputDim();
        this.plan = body.patchSize() == 0 ? PatchPlan.choose(task.spatial(), body.sequenceLimit(), explicitK)
                : task.is2d() ? PatchPlan.resized(task.spatial(), body.imageSize(), body.patchSize())
                : PatchPlan.squareTokens(task.spatial(), body.sequenceLimit(), explicitK);
        int patchVolume = channels * (int) Math.pow(plan.k(), task.spatial().length);
        int fanOut = dim * (int) Math.pow(plan.k(), task.spatial().length);
        // ORCA: Xavier-uniform with gain sqrt(2), bias 0 (spec 1.1); the conv weight [D, C, k(, k)] is kept flattened.
        double bound = Math.sqrt(2) * Math.sqrt(6.0 / (patchVolume + fanOut));
        this.weight = param("weight", Init.uniform(rng, bound, dim, patchVolume));
        this.bias = param("bias", Tensor.zeros(dim));
        Parameter[] pretrainedConv = body.patchProjection();
        if (pretrainedConv != null && task.is2d()) {
            SplittableRandom conv = rng.split(); // drawn either way, so warm and cold models share every other initial value
            if (warm) warmStartFromPatchConv(pretrainedConv[0].get(), pretrainedConv[1].get());
            else weight.load("weight", Init.normal(conv, 0.02, dim, patchVolume));
        }
        this.norm = child("norm", new LayerNorm(dim, body.embeddingLayerNorm().eps)); // (1, 0): the cold start
        if (warm) { // copies, not views: the embedder's LayerNorm trains, the body's bypassed one must stay as it was
            norm.weight.load("norm.weight", copy(body.embeddingLayerNorm().weight.get()));
            norm.bias.load("norm.bias", copy(body.embeddingLayerNorm().bias.get()));
        }
        Parameter table = body.positionEmbeddings();
        this.firstPosition = body.firstPositionId();
        // the whole pretrained table from the first position on: inputs of another length (zero-shot resolution
        // transfer, paper Table 16) use as many rows as they have tokens
        this.positions = table == null ? null : param("position_embeddings", copy(table.get().slice(0, firstPosition, table.get().shape(0))));
    }

    /**
     * Spec 1.2: the pretrained Swin patch conv weight [D, 3, p, p] tiled along the input-channel axis (channel c takes
     * pretrained channel c mod 3, i.e. C/3 + 1 copies cropped to C) and its bias copied.
     */
    private void warmStartFromPatchConv(Tensor pretrainedWeight, Tensor pretrainedBias) {
        float[] w = pretrainedWeight.toFloatArray();
        int pretrainedC = pretrainedWeight.shape(1), area = plan.k() * plan.k();
        float[] tiled = new float[dim * channels * area];
        for (int d = 0; d < dim; d++) {
            for (int c = 0; c < channels; c++) {
                System.arraycopy(w, (d * pretrainedC + c % pretrainedC) * area, tiled, (d * channels + c) * area, area);
            }
        }
        weight.load("weight", Tensor.of(tiled, dim, channels * area));
        bias.load("bias", copy(pretrainedBias));
    }

    /** x [B, C, L] or [B, C, H, W] -> tokens [B, T, D] (on the plan of x's extent, see {@link #planFor}). */
    public Tensor forward(Tensor x) {
        int[] s = x.shape();
        if (s.length != plan.spatial().length + 2 || s[1] != channels) {
            throw new IllegalArgumentException("embedder: expected input [B, " + channels + ", " + joined(plan.spatial()) + "], got " + Shape.str(s));
        }
        PatchPlan plan = planFor(java.util.Arrays.copyOfRange(s, 2, s.length));
        Tensor padded = plan.resize() ? Functional.resizeBilinear(x, plan.padded()[0], plan.padded()[1]) : x;
        if (plan.needsPadding()) {
            int[] before = new int[s.length], after = new int[s.length];
            for (int i = 0; i < plan.spatial().length; i++) after[i + 2] = plan.padded()[i] - plan.spatial()[i];
            padded = Functional.pad(x, before, after, 0);
        }
        Tensor patches = plan.spatial().length == 1 ? Functional.patchUnfold1d(padded, plan.k()) : Functional.patchUnfold2d(padded, plan.k());
        Tensor tokens = norm.forward(patches.matmul(weight.get().transpose(0, 1)).add(bias.get()));
        return positions == null ? tokens : tokens.add(positions.get().slice(0, 0, plan.tokens()));
    }

    /**
     * The patch plan for an input extent: the trained one, or the same k on another resolution (zero-shot transfer,
     * paper Table 16) as long as the body has positions for the resulting tokens.
     */
    public PatchPlan planFor(int[] spatial) {
        PatchPlan p = plan.forExtent(spatial);
        if (positions != null && p.tokens() > positions.get().shape(0)) {
            throw new IllegalArgumentException("embedder: input " + Shape.str(spatial) + " gives " + p.tokens() + " tokens with k=" + plan.k()
                    + ", but the body has positions for " + positions.get().shape(0) + " (trained on " + Shape.str(plan.spatial()) + ")");
        }
        return p;
    }

    /** Mean over tokens: the per-sample feature that stage 2 aligns with the source proxy (spec 3.1). */
    public Tensor pooledFeatures(Tensor x) { return forward(x).mean(1); }

    private static Tensor copy(Tensor t) { return Tensor.of(t.toDoubleArray(), t.shape()).to(t.dtype()); }

    private static String joined(int[] v) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < v.length; i++) b.append(i == 0 ? "" : ", ").append(v[i]);
        return b.toString();
    }
}
