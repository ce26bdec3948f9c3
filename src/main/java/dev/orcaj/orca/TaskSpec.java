package dev.orcaj.orca;

import dev.orcaj.tensor.Shape;

import java.util.Arrays;

/**
 * What a target task looks like to ORCA (paper section 3.1): per-sample input shape (C, L) or (C, H, W), the kind
 * and width of the output and the training loss of its family (spec section 2). Shapes and the loss are checked up
 * front, with errors that say what would work.
 *
 * @param outputs classes K (CLASSES), labels (MULTILABEL), targets (REGRESSION) or output channels C_out (DENSE)
 * @param loss    the training loss; it must belong to the kind (see {@link Loss#allowedFor})
 */
public record TaskSpec(String name, int[] inputShape, OutputKind kind, int outputs, Loss loss) {

    /** Task families (--task): what the model outputs per sample. */
    public enum OutputKind {
        CLASSES, MULTILABEL, REGRESSION, DENSE;

        /** The family's loss unless another is chosen: CE, BCE, MSE, and relative L2 for dense fields (Darcy). */
        public Loss defaultLoss() {
            return switch (this) {
                case CLASSES -> Loss.CROSS_ENTROPY;
                case MULTILABEL -> Loss.BCE;
                case REGRESSION -> Loss.MSE;
                case DENSE -> Loss.RELATIVE_L2;
            };
        }

        /** Parses a --task value: classes, multilabel, regression or dense. */
        public static OutputKind parse(String s) {
            return switch (s.toLowerCase(java.util.Locale.ROOT)) {
                case "classes", "classification" -> CLASSES;
                case "multilabel", "multi-label" -> MULTILABEL;
                case "regression" -> REGRESSION;
                case "dense" -> DENSE;
                default -> throw new IllegalArgumentException("--task: expected classes, multilabel, regression or dense, got '" + s + "'");
            };
        }

        public String flag() { return name().toLowerCase(java.util.Locale.ROOT); }
    }

    /**
     * Training losses of the paper's tasks (spec section 2). MASKED_BCE is COSMIC's per-pixel BCE-with-logits with
     * outputs and targets multiplied by (1 - ignore mask); its targets carry the ignore mask as extra channels, so
     * a target has 2 * C_out channels (mask channels first, then the ignore channels).
     */
    public enum Loss {
        CROSS_ENTROPY, BCE, MSE, RELATIVE_L2, MASKED_BCE;

        public boolean allowedFor(OutputKind kind) {
            return switch (kind) {
                case CLASSES -> this == CROSS_ENTROPY;
                case MULTILABEL -> this == BCE;
                case REGRESSION -> this == MSE;
                case DENSE -> this == RELATIVE_L2 || this == MSE || this == MASKED_BCE;
            };
        }

        /** Parses a --loss value: relative-l2, mse, masked-bce (and cross-entropy, bce for completeness). */
        public static Loss parse(String s) {
            return switch (s.toLowerCase(java.util.Locale.ROOT)) {
                case "cross-entropy", "ce" -> CROSS_ENTROPY;
                case "bce" -> BCE;
                case "mse" -> MSE;
                case "relative-l2", "rel-l2" -> RELATIVE_L2;
                case "masked-bce" -> MASKED_BCE;
                default -> throw new IllegalArgumentException("--loss: expected relative-l2, mse or masked-bce (dense), mse (regression), got '" + s + "'");
            };
        }

        public String flag() { return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'); }
    }

    /** The family's default loss. */
    public TaskSpec(String name, int[] inputShape, OutputKind kind, int outputs) { this(name, inputShape, kind, outputs, kind.defaultLoss()); }

    public TaskSpec {
        if (loss == null) loss = kind.defaultLoss();
        if (!loss.allowedFor(kind)) throw new IllegalArgumentException("task '" + name + "': loss " + loss.flag() + " does not fit a " + kind.flag() + " task");
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

    /** Shape of one sample's target: the output shape, with the ignore-mask channels appended for masked BCE. */
    public int[] targetShape() {
        int[] s = outputShape();
        if (loss == Loss.MASKED_BCE) s[0] *= 2;
        return s;
    }

    @Override
    public String toString() { return name + " " + Shape.str(inputShape) + " -> " + kind + "(" + outputs + "), loss " + loss.flag(); }
}
