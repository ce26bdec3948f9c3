package dev.orcaj.orca;

import dev.orcaj.tensor.Shape;

import java.util.Arrays;

/**
 * What a target task looks like to ORCA (paper section 3.1): per-sample input shape (C, L) or (C, H, W) and the
 * kind and width of the output. Shapes are checked up front, with errors that say what would work.
 *
 * @param outputs classes K (CLASSES), labels (MULTILABEL), targets (REGRESSION) or output channels C_out (DENSE)
 */
public record TaskSpec(String name, int[] inputShape, OutputKind kind, int outputs) {

    public enum OutputKind { CLASSES, MULTILABEL, REGRESSION, DENSE }

    public TaskSpec {
        if (inputShape.length != 2 && inputShape.length != 3) {
            throw new IllegalArgumentException("task '" + name + "': input shape must be (C, L) or (C, H, W), got " + Shape.str(inputShape));
        }
        for (int s : inputShape) if (s <= 0) throw new IllegalArgumentException("task '" + name + "': input shape " + Shape.str(inputShape) + " has a non-positive dimension");
        if (outputs <= 0) throw new IllegalArgumentException("task '" + name + "': number of outputs must be positive, got " + outputs);
        if (kind == OutputKind.CLASSES && outputs < 2) throw new IllegalArgumentException("task '" + name + "': classification needs at least 2 classes, got " + outputs);
        inputShape = inputShape.clone();
    }

    public int channels() { return inputShape[0]; }

    public boolean is2d() { return inputShape.length == 3; }

    /** Spatial extent: {L} or {H, W}. */
    public int[] spatial() { return Arrays.copyOfRange(inputShape, 1, inputShape.length); }

    /** Output shape of one sample: {K} for vector outputs, {C_out, spatial...} for dense. */
    public int[] outputShape() {
        if (kind != OutputKind.DENSE) return new int[] {outputs};
        int[] s = new int[inputShape.length];
        s[0] = outputs;
        System.arraycopy(inputShape, 1, s, 1, inputShape.length - 1);
        return s;
    }

    /** The metric ORCA reports for this kind of task (spec section 5), lower is better unless stated. */
    public String defaultMetric() {
        return switch (kind) {
            case CLASSES -> "accuracy";
            case MULTILABEL -> "auroc";
            case REGRESSION -> "rmse";
            case DENSE -> "relative_l2";
        };
    }

    @Override
    public String toString() { return name + " " + Shape.str(inputShape) + " -> " + kind + "(" + outputs + ")"; }
}
