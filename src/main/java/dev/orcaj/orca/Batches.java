package dev.orcaj.orca;

import dev.orcaj.data.ArrayDataset;
import dev.orcaj.data.Targets;
import dev.orcaj.tensor.Tensor;

import java.util.SplittableRandom;

/** Turns rows of an {@link ArrayDataset} into input tensors and target arrays; seeded shuffling. */
public final class Batches {
    private Batches() {}

    /** Inputs of the given rows as [B, sampleShape...]. */
    public static Tensor inputs(ArrayDataset data, int[] rows) {
        int d = data.sampleSize();
        float[] x = new float[rows.length * d];
        for (int i = 0; i < rows.length; i++) System.arraycopy(data.features(), rows[i] * d, x, i * d, d);
        int[] shape = new int[data.sampleShape().length + 1];
        shape[0] = rows.length;
        System.arraycopy(data.sampleShape(), 0, shape, 1, data.sampleShape().length);
        return Tensor.of(x, shape);
    }

    /** Targets of the given rows as a float tensor shaped like the model output (vector or dense targets). */
    public static Tensor targetTensor(ArrayDataset data, int[] rows, int[] outputShape) {
        float[] all = switch (data.targets()) {
            case Targets.VectorTargets v -> v.values();
            case Targets.DenseTargets dt -> dt.values();
            case Targets.ClassLabels c -> throw new IllegalArgumentException("class labels are not a target tensor");
        };
        int w = 1;
        for (int s : outputShape) w *= s;
        float[] y = new float[rows.length * w];
        for (int i = 0; i < rows.length; i++) System.arraycopy(all, rows[i] * w, y, i * w, w);
        int[] shape = new int[outputShape.length + 1];
        shape[0] = rows.length;
        System.arraycopy(outputShape, 0, shape, 1, outputShape.length);
        return Tensor.of(y, shape);
    }

    public static int[] labels(ArrayDataset data, int[] rows) {
        int[] all = data.labels();
        int[] out = new int[rows.length];
        for (int i = 0; i < rows.length; i++) out[i] = all[rows[i]];
        return out;
    }

    /** Seeded Fisher-Yates permutation of 0..n-1. */
    public static int[] permutation(int n, SplittableRandom rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /**
     * The generator of one epoch of one stage, derived from (seed, stage, epoch) alone, so that a run resumed from a
     * checkpoint replays exactly the draws of the interrupted epoch.
     */
    public static SplittableRandom epochRng(long seed, int stage, int epoch) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + stage * 0xBF58476D1CE4E5B9L + epoch);
    }

    public static int[] slice(int[] order, int from, int to) { return java.util.Arrays.copyOfRange(order, from, Math.min(to, order.length)); }
}
