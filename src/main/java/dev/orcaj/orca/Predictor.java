package dev.orcaj.orca;

import dev.orcaj.data.Targets;
import dev.orcaj.models.Body;
import dev.orcaj.nn.Functional;
import dev.orcaj.nn.Linear;
import dev.orcaj.nn.Module;
import dev.orcaj.nn.Parameter;
import dev.orcaj.tensor.Tensor;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The task head of ORCA stage 1 (paper section 3.1). Vector outputs (classes, multi-label logits, regression
 * targets): mean over tokens, then a linear layer. Dense outputs: the paper's per-token linear layer to k^d * C_out
 * values, folded back onto the input grid (a pixel shuffle) and cropped to the unpadded extent; or, as in the
 * official code (spec section 2, "quirk"), the parameter-free average pooling of each token's features down to
 * k^d * C_out values ({@code pooledDense}). A dense regression head (relative L2 or MSE loss) ends in the fixed
 * decoding of the official code's target normalizer ({@link #fitTargetNormalizer}).
 */
public final class Predictor extends Module {
    public final TaskSpec task;
    public final PatchPlan plan;
    public final Linear linear;
    private final Tensor poolMatrix;
    private final int downsample;
    /** Buffers [C_out, spatial...] of a dense regression head: output = head * targetScale + targetShift (identity until fitted). */
    private final Parameter targetShift, targetScale;

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
        if (task.kind() == TaskSpec.OutputKind.DENSE && task.loss() != TaskSpec.Loss.MASKED_BCE) { // BCE outputs are logits: nothing to decode
            int[] shape = task.outputShape();
            float[] ones = new float[dev.orcaj.tensor.Shape.numel(shape)];
            Arrays.fill(ones, 1f);
            targetShift = buffer("target_shift", Tensor.of(new float[ones.length], shape));
            targetScale = buffer("target_scale", Tensor.of(ones, shape));
        } else {
            targetShift = targetScale = null;
        }
    }

    /**
     * A target normalizer on dense targets, after the official code's UnitGaussianNormalizer (spec section 2,
     * DARCY-FLOW-5) but with one mean and one (unbiased) standard deviation per output channel, over every training
     * sample and point, where the official one keeps a mean and std per point. The head learns (y - mean) / (std + eps)
     * and its output is decoded, out * (std + eps) + mean, before the loss and every metric. The function class is
     * unchanged (a fixed affine map after a linear layer); what changes is the scale the optimizer's steps act on:
     * generated Darcy solutions are ~1e-3 in size, so an undecoded head starts ~1000x too large and Adam's lr-sized
     * steps are too coarse for it. Why not per point: a per-point shift and scale start the head at the training-mean
     * field and reweight every point's error by its spread; on Darcy 16x16 that made ORCA plateau at validation
     * relative L2 ~0.27 (test 0.260, seed 0) where the per-channel form falls steadily to 0.170 (README, design
     * notes). eps is 1e-5 of the channel's std (the official 1e-5, made independent of the targets' units).
     * The buffers keep the full [C_out, spatial...] shape, filled with each channel's constants, so model files
     * written with per-point fields (132e8e4 to 539c0d6) still load and decode as they were trained.
     */
    public void fitTargetNormalizer(Targets targets) {
        if (targetShift == null) return;
        if (!(targets instanceof Targets.DenseTargets dense) || !Arrays.equals(dense.sampleShape(), task.outputShape())) {
            throw new IllegalArgumentException("task '" + task.name() + "': the target normalizer needs dense targets of shape "
                    + Arrays.toString(task.outputShape()) + ", got " + targets.getClass().getSimpleName());
        }
        int n = dense.rows();
        if (n == 0) throw new IllegalArgumentException("task '" + task.name() + "': no training targets to normalize");
        int channels = task.outputs(), points = dense.values().length / n / channels;
        float[] y = dense.values(), shift = new float[channels * points], scale = new float[channels * points];
        for (int c = 0; c < channels; c++) {
            double sum = 0, squares = 0;
            for (int i = 0; i < n; i++) for (int p = 0; p < points; p++) sum += y[(i * channels + c) * points + p];
            double mean = sum / ((double) n * points);
            for (int i = 0; i < n; i++) for (int p = 0; p < points; p++) { double d = y[(i * channels + c) * points + p] - mean; squares += d * d; }
            double std = Math.sqrt(squares / Math.max(1, (double) n * points - 1));
            if (!Double.isFinite(std)) throw new IllegalArgumentException("task '" + task.name() + "': the training targets of channel " + c + " contain NaN or infinite values");
            double eps = 1e-5 * (std > 0 ? std : 1);
            Arrays.fill(shift, c * points, (c + 1) * points, (float) mean);
            Arrays.fill(scale, c * points, (c + 1) * points, (float) (std + eps));
        }
        targetShift.load("predictor.target_shift", Tensor.of(shift, task.outputShape()));
        targetScale.load("predictor.target_scale", Tensor.of(scale, task.outputShape()));
    }

    /** h [B, T, hidden] -> [B, K] or [B, C_out, spatial...] on the trained input extent. */
    public Tensor forward(Tensor h) { return forward(h, plan); }

    /** The same for tokens embedded on {@code plan} (another input resolution: a dense head folds onto its grid). */
    public Tensor forward(Tensor h, PatchPlan plan) {
        if (task.kind() != TaskSpec.OutputKind.DENSE) return linear.forward(h.mean(1));
        Tensor perToken = linear != null ? linear.forward(h) : h.matmul(poolMatrix.to(h.dtype()));
        int b = h.shape(0), c = task.outputs(), k = plan.k();
        if (plan.spatial().length == 1) return decode(Functional.patchFold1d(perToken, c, k).slice(2, 0, plan.spatial()[0]));
        int cell = k * downsample, gh = ceilDiv(plan.grid()[0], downsample), gw = ceilDiv(plan.grid()[1], downsample);
        Tensor grid = Functional.patchFold2d(perToken, c, cell, gh, gw).slice(2, 0, plan.padded()[0]).slice(3, 0, plan.padded()[1]);
        if (plan.resize()) return decode(Functional.resizeBilinear(grid, plan.spatial()[0], plan.spatial()[1]));
        return decode(grid.slice(2, 0, plan.spatial()[0]).slice(3, 0, plan.spatial()[1]).reshape(b, c, plan.spatial()[0], plan.spatial()[1]));
    }

    /** y [B, C_out, spatial...] -> y * scale + shift; at another extent (zero-shot) the buffers are resized bilinearly (a no-op on constants; per-point fields of older files follow the grid). */
    private Tensor decode(Tensor y) {
        if (targetShift == null) return y;
        return y.mul(atExtent(targetScale.get(), y).to(y.dtype())).add(atExtent(targetShift.get(), y).to(y.dtype()));
    }

    private static Tensor atExtent(Tensor field, Tensor y) {
        int[] want = Arrays.copyOfRange(y.shape(), 1, y.shape().length);
        if (Arrays.equals(field.shape(), want)) return field;
        int c = field.shape(0);
        if (want.length == 2) return Functional.resizeBilinear(field.reshape(1, c, 1, field.shape(1)), 1, want[1]).reshape(want);
        return Functional.resizeBilinear(field.reshape(1, c, field.shape(1), field.shape(2)), want[1], want[2]).reshape(want);
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
