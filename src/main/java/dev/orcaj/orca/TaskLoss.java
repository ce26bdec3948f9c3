package dev.orcaj.orca;

import dev.orcaj.data.ArrayDataset;
import dev.orcaj.nn.Functional;
import dev.orcaj.tensor.Tensor;

/**
 * The training loss for a task kind (spec section 2): cross-entropy (optionally weighted 1/class frequency, as ORCA
 * does for tabular tasks), BCE-with-logits for multi-label, MSE for regression, and relative L2 (per-sample
 * ||pred - y|| / ||y||, averaged) for dense fields.
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
        return switch (task.kind()) {
            case CLASSES -> Functional.crossEntropy(output, Batches.labels(data, rows), classWeights, -100);
            case MULTILABEL -> Functional.bceWithLogits(output, Batches.targetTensor(data, rows, task.outputShape()), posWeight);
            case REGRESSION -> Functional.mse(output, Batches.targetTensor(data, rows, task.outputShape()));
            case DENSE -> relativeL2(output, Batches.targetTensor(data, rows, task.outputShape()));
        };
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
