package dev.orcaj.data;

import java.util.Arrays;
import java.util.List;

/**
 * An in-memory dataset on plain arrays: features row-major [n, sampleShape...] (channels first, e.g. {C, L} or
 * {C, H, W}), targets one row per sample, and the class names when known (index = class id, empty otherwise).
 * The arrays are shared, not copied, for speed: treat them as read-only ({@link #subset} returns copies).
 */
public record ArrayDataset(float[] features, int[] sampleShape, Targets targets, List<String> classNames) {

    public ArrayDataset {
        int size = product(sampleShape);
        if (size < 1) throw new IllegalArgumentException("ArrayDataset: empty sample shape " + Arrays.toString(sampleShape));
        if (features.length % size != 0)
            throw new IllegalArgumentException("ArrayDataset: " + features.length + " feature values is not a multiple of sample shape "
                    + Arrays.toString(sampleShape));
        if (targets.rows() != features.length / size)
            throw new IllegalArgumentException("ArrayDataset: " + features.length / size + " samples but " + targets.rows() + " target rows");
        if (targets instanceof Targets.ClassLabels c && !classNames.isEmpty() && classNames.size() != c.numClasses())
            throw new IllegalArgumentException("ArrayDataset: " + classNames.size() + " class names for " + c.numClasses() + " classes");
        sampleShape = sampleShape.clone();
        classNames = List.copyOf(classNames);
    }

    public ArrayDataset(float[] features, int[] sampleShape, Targets targets) {
        this(features, sampleShape, targets, List.of());
    }

    public int size() {
        return features.length / sampleSize();
    }

    /** Number of feature values per sample (product of sampleShape). */
    public int sampleSize() {
        return product(sampleShape);
    }

    /** A copy of sample {@code row}'s features. */
    public float[] sample(int row) {
        return gatherRows(features, sampleSize(), new int[] {row});
    }

    /** Class labels; fails when the targets are not single-label classes. */
    public int[] labels() {
        if (targets instanceof Targets.ClassLabels c) return c.labels();
        throw new IllegalStateException("ArrayDataset: targets are " + targets.getClass().getSimpleName() + ", not class labels");
    }

    public int numClasses() {
        if (targets instanceof Targets.ClassLabels c) return c.numClasses();
        throw new IllegalStateException("ArrayDataset: targets are " + targets.getClass().getSimpleName() + ", not class labels");
    }

    /** The rows in the given order (copies). */
    public ArrayDataset subset(int[] rows) {
        return new ArrayDataset(gatherRows(features, sampleSize(), rows), sampleShape, targets.subset(rows), classNames);
    }

    /** The same data viewed with another sample shape of equal size (e.g. {F} as {1, F}). */
    public ArrayDataset reshape(int... newSampleShape) {
        if (product(newSampleShape) != sampleSize())
            throw new IllegalArgumentException("ArrayDataset.reshape: " + Arrays.toString(sampleShape) + " cannot become "
                    + Arrays.toString(newSampleShape));
        return new ArrayDataset(features, newSampleShape, targets, classNames);
    }

    /** The rows of {@code a} then those of {@code b}; sample shapes and target kinds must agree. */
    public static ArrayDataset concat(ArrayDataset a, ArrayDataset b) {
        if (!Arrays.equals(a.sampleShape, b.sampleShape))
            throw new IllegalArgumentException("ArrayDataset.concat: sample shapes " + Arrays.toString(a.sampleShape) + " and " + Arrays.toString(b.sampleShape));
        Targets t = switch (a.targets) {
            case Targets.ClassLabels x when b.targets instanceof Targets.ClassLabels y ->
                    new Targets.ClassLabels(join(x.labels(), y.labels()), Math.max(x.numClasses(), y.numClasses()));
            case Targets.VectorTargets x when b.targets instanceof Targets.VectorTargets y && x.width() == y.width() ->
                    new Targets.VectorTargets(join(x.values(), y.values()), x.width());
            case Targets.DenseTargets x when b.targets instanceof Targets.DenseTargets y && Arrays.equals(x.sampleShape(), y.sampleShape()) ->
                    new Targets.DenseTargets(join(x.values(), y.values()), x.sampleShape());
            default -> throw new IllegalArgumentException("ArrayDataset.concat: targets " + a.targets.getClass().getSimpleName() + " and "
                    + b.targets.getClass().getSimpleName() + " do not match");
        };
        return new ArrayDataset(join(a.features, b.features), a.sampleShape, t);
    }

    private static float[] join(float[] a, float[] b) {
        float[] o = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, o, a.length, b.length);
        return o;
    }

    private static int[] join(int[] a, int[] b) {
        int[] o = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, o, a.length, b.length);
        return o;
    }

    static int checkRow(int row, int n) {
        if (row < 0 || row >= n) throw new IndexOutOfBoundsException("row " + row + " outside [0, " + n + ")");
        return row;
    }

    /** The given rows of row-major [n, width] values, in order. */
    static float[] gatherRows(float[] values, int width, int[] rows) {
        int n = values.length / width;
        float[] out = new float[rows.length * width];
        for (int i = 0; i < rows.length; i++)
            System.arraycopy(values, checkRow(rows[i], n) * width, out, i * width, width);
        return out;
    }

    static int product(int[] shape) {
        long p = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            p *= d;
        }
        if (p > Integer.MAX_VALUE) throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " too large");
        return (int) p;
    }
}
