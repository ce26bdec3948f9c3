package dev.orcaj.data;

import java.util.Arrays;

/**
 * Targets of an {@link ArrayDataset}: one row per sample, row-major.
 * ClassLabels for single-label classification, VectorTargets for multi-label (0/1) or regression targets of
 * width t, DenseTargets for fields of shape [C_out, ...] (PDE solutions, Darcy flow).
 */
public sealed interface Targets permits Targets.ClassLabels, Targets.VectorTargets, Targets.DenseTargets {

    int rows();

    Targets subset(int[] rows);

    /** Class indices in [0, numClasses). */
    record ClassLabels(int[] labels, int numClasses) implements Targets {
        public ClassLabels {
            if (numClasses < 1) throw new IllegalArgumentException("ClassLabels: numClasses must be >= 1, got " + numClasses);
            for (int i = 0; i < labels.length; i++)
                if (labels[i] < 0 || labels[i] >= numClasses)
                    throw new IllegalArgumentException("ClassLabels: label[" + i + "] = " + labels[i] + " outside [0, " + numClasses + ")");
        }

        @Override public int rows() { return labels.length; }

        @Override public ClassLabels subset(int[] rows) {
            int[] out = new int[rows.length];
            for (int i = 0; i < rows.length; i++) out[i] = labels[ArrayDataset.checkRow(rows[i], labels.length)];
            return new ClassLabels(out, numClasses);
        }
    }

    /** Row-major [n, width]: multi-label indicators or regression targets. */
    record VectorTargets(float[] values, int width) implements Targets {
        public VectorTargets {
            if (width < 1 || values.length % width != 0)
                throw new IllegalArgumentException("VectorTargets: " + values.length + " values is not a multiple of width " + width);
        }

        @Override public int rows() { return values.length / width; }

        @Override public VectorTargets subset(int[] rows) {
            return new VectorTargets(ArrayDataset.gatherRows(values, width, rows), width);
        }
    }

    /** Row-major [n, sampleShape...], e.g. sampleShape {C_out, L} or {C_out, H, W}. */
    record DenseTargets(float[] values, int[] sampleShape) implements Targets {
        public DenseTargets {
            int size = ArrayDataset.product(sampleShape);
            if (size < 1 || values.length % size != 0)
                throw new IllegalArgumentException("DenseTargets: " + values.length + " values is not a multiple of sample shape "
                        + Arrays.toString(sampleShape));
            sampleShape = sampleShape.clone();
        }

        @Override public int rows() { return values.length / ArrayDataset.product(sampleShape); }

        @Override public DenseTargets subset(int[] rows) {
            return new DenseTargets(ArrayDataset.gatherRows(values, ArrayDataset.product(sampleShape), rows), sampleShape);
        }
    }
}
