package dev.orcaj.orca;

import dev.orcaj.models.Body;
import dev.orcaj.nn.Functional;
import dev.orcaj.nn.Linear;
import dev.orcaj.nn.Module;
import dev.orcaj.tensor.Tensor;

import java.util.SplittableRandom;

/**
 * The task head of ORCA stage 1 (paper section 3.1). Vector outputs (classes, multi-label logits, regression
 * targets): mean over tokens, then a linear layer. Dense outputs: the paper's per-token linear layer to k^d * C_out
 * values, folded back onto the input grid (a pixel shuffle) and cropped to the unpadded extent; or, as in the
 * official code (spec section 2, "quirk"), the parameter-free average pooling of each token's features down to
 * k^d * C_out values ({@code pooledDense}).
 */
public final class Predictor extends Module {
    public final TaskSpec task;
    public final PatchPlan plan;
    public final Linear linear;
    private final Tensor poolMatrix;
    private final int downsample;

    /** For a body whose output tokens sit on the embedder's grid (BERT/RoBERTa). */
    public Predictor(TaskSpec task, PatchPlan plan, int hidden, boolean pooledDense, SplittableRandom rng) {
        this(task, plan, hidden, 1, pooledDense, rng);
    }

    /** For any body: Swin's patch merging shrinks the token grid by 2 per stage after the first. */
    public Predictor(TaskSpec task, PatchPlan plan, Body body, boolean pooledDense, SplittableRandom rng) {
        this(task, plan, body.hiddenSize(), body.outputDownsample(), pooledDense, rng);
    }

    /**
     * @param downsample how many embedder-grid cells one output token covers per axis (1 for text bodies); a dense
     *                   head then emits (k * downsample)^d values per token
     */
    public Predictor(TaskSpec task, PatchPlan plan, int hidden, int downsample, boolean pooledDense, SplittableRandom rng) {
        this.task = task;
        this.plan = plan;
        this.downsample = downsample;
        if (task.kind() == TaskSpec.OutputKind.DENSE && downsample > 1 && plan.spatial().length == 1) {
            throw new IllegalArgumentException("task '" + task.name() + "': dense 1D outputs from a Swin body are not supported (use a text body)");
        }
        int perToken = task.outputs() * (int) Math.pow(plan.k() * downsample, plan.spatial().length);
        if (task.kind() != TaskSpec.OutputKind.DENSE) {
            linear = child("linear", new Linear(hidden, task.outputs(), true, rng));
            poolMatrix = null;
        } else if (!pooledDense) {
            linear = child("linear", new Linear(hidden, perToken, true, rng));
            poolMatrix = null;
        } else {
            linear = null;
            poolMatrix = adaptiveAvgPoolMatrix(hidden, perToken);
        }
    }

    /** h [B, T, hidden] -> [B, K] or [B, C_out, spatial...] on the trained input extent. */
    public Tensor forward(Tensor h) { return forward(h, plan); }

    /** The same for tokens embedded on {@code plan} (another input resolution: a dense head folds onto its grid). */
    public Tensor forward(Tensor h, PatchPlan plan) {
        if (task.kind() != TaskSpec.OutputKind.DENSE) return linear.forward(h.mean(1));
        Tensor perToken = linear != null ? linear.forward(h) : h.matmul(poolMatrix.to(h.dtype()));
        int b = h.shape(0), c = task.outputs(), k = plan.k();
        Tensor grid;
        if (plan.spatial().length == 1) {
            grid = Functional.patchFold1d(perToken, c, k);
            return grid.slice(2, 0, plan.spatial()[0]);
        }
        int cell = k * downsample, gh = ceilDiv(plan.grid()[0], downsample), gw = ceilDiv(plan.grid()[1], downsample);
        grid = Functional.patchFold2d(perToken, c, cell, gh, gw).slice(2, 0, plan.padded()[0]).slice(3, 0, plan.padded()[1]);
        if (plan.resize()) return Functional.resizeBilinear(grid, plan.spatial()[0], plan.spatial()[1]);
        return grid.slice(2, 0, plan.spatial()[0]).slice(3, 0, plan.spatial()[1]).reshape(b, c, plan.spatial()[0], plan.spatial()[1]);
    }

    private static int ceilDiv(int a, int b) { return (a + b - 1) / b; }

    /** PyTorch AdaptiveAvgPool1d(out) over an axis of length in, as a constant [in, out] averaging matrix. */
    static Tensor adaptiveAvgPoolMatrix(int in, int out) {
        double[] m = new double[in * out];
        for (int j = 0; j < out; j++) {
            int start = (int) Math.floor((double) j * in / out), end = (int) Math.ceil((double) (j + 1) * in / out);
            for (int i = start; i < end; i++) m[i * out + j] = 1.0 / (end - start);
        }
        return Tensor.of(m, in, out).to(dev.orcaj.tensor.DType.F32);
    }
}
