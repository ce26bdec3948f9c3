package dev.orcaj.orca;

import dev.orcaj.data.ArrayDataset;
import dev.orcaj.nn.Functional;
import dev.orcaj.tensor.Tensor;

/**
 * The training loss of a task (spec section 2), {@link TaskSpec#loss()}: cross-entropy (optionally weighted 1/class
 * frequency, as ORCA does for tabular tasks), BCE-with-logits with pos_weight for multi-label (DEEPSEA 4, FSD 10), MSE
 * for regression and PSICOV, relative L2 (per-sample ||pred - y|| / ||y||, averaged; Darcy) and COSMIC's masked
 * per-pixel BCE for dense fields.
 */
public final class TaskLoss {
    private final TaskSpec task;
    private final double[] classWeights;
    private final Tensor posWeight;

    public TaskLoss(TaskSpec task, ArrayDataset train, boolean classWeighted, double posWeight) {
        this.task = task;
        this.classWeights = classWeighted && task.kind() == TaskSpec.OutputKind.CLASSES ? inverseFrequency(train.labels(), task.outputs()) : null;
        this.posWeight = posWeight > 0 && task.kind() == TaskSpec.OutputKind.MULTILABEL ? Tensor.full(dev.orcaj.tensor.DType.F32, posWeight, task.outputs()) : null;
    }

    public Tensor compute(Tensor output, ArrayDataset data, int[] rows) {
        if (task.loss() == TaskSpec.Loss.CROSS_ENTROPY) return Functional.crossEntropy(output, Batches.labels(data, rows), classWeights, -100);
        Tensor target = Batches.targetTensor(data, rows, task.targetShape());
        return switch (task.loss()) {
            case BCE -> Functional.bceWithLogits(output, target, posWeight);
            case MSE -> Functional.mse(output, target);
            case RELATIVE_L2 -> relativeL2(output, target);
            case MASKED_BCE -> maskedBce(output, target);
            case CROSS_ENTROPY -> throw new IllegalStateException("unreachable");
        };
    }

    /**
     * COSMIC (spec section 2): target [B, 2C, ...] = C mask channels then C ignore channels; outputs and masks are
     * multiplied by (1 - ignore) and BCE-with-logits is averaged over all pixels, as the reference does (ignored pixels
     * then contribute the constant log 2 and no gradient).
     */
    static Tensor maskedBce(Tensor output, Tensor target) {
        int c = output.shape(1);
        Tensor keep = target.slice(1, c, 2 * c).neg().add(1);
        return Functional.bceWithLogits(output.mul(keep), target.slice(1, 0, c).mul(keep), null);
    }

    static Tensor relativeL2(Tensor pred, Tensor target) {
        int b = pred.shape(0);
        Tensor diff = pred.sub(target).reshape(b, -1).square().sum(1).sqrt();
        Tensor norm = target.reshape(b, -1).square().sum(1).sqrt().add(1e-12);
        return diff.div(norm).mean();
    }

    /** weight_c = 1 / (fraction of training rows in class c) (spec section 2, OPENML rows). */
    static double[] inverseFrequency(int[] labels, int k) {
        double[] count = new double[k];
        for (int l : labels) count[l]++;
        double[] w = new double[k];
        for (int c = 0; c < k; c++) {
            if (count[c] == 0) throw new IllegalArgumentException("class " + c + " has no training rows; cannot weight it by inverse frequency");
            w[c] = labels.length / count[c];
        }
        return w;
    }
}
