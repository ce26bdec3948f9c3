package dev.orcaj.ot;

/**
 * ORCA's {@code l2} objective (spec 3.4): the source rows, in a shuffled order, are cut into batches of the
 * target size; the loss is the average over batches of the mean Euclidean distance between target row i and
 * row i of the batch. Only full batches count; when the source is smaller than the target, the single short
 * batch is paired with the first target rows. Not an OT distance: rows are paired arbitrarily.
 */
public final class PairedL2Loss {
    private PairedL2Loss() {}

    public record Result(double value, double[] gradTarget, int batches) {}

    /** {@code sourceOrder}: a permutation of the source rows (see {@link #shuffledOrder}). */
    public static Result compute(PointCloud source, PointCloud target, int[] sourceOrder, boolean withGradient) {
        int n = target.size(), d = target.dim();
        if (n == 0 || source.size() == 0) throw new IllegalArgumentException("l2 loss: empty source or target");
        if (source.dim() != d) throw new IllegalArgumentException("l2 loss: dimensions differ: " + source.dim() + " vs " + d);
        if (sourceOrder.length != source.size()) throw new IllegalArgumentException("l2 loss: order has " + sourceOrder.length + " entries for " + source.size() + " source rows");
        int full = source.size() / n;
        int batches = Math.max(1, full);
        int rowsPerBatch = full == 0 ? source.size() : n;
        double total = 0;
        double[] grad = withGradient ? new double[n * d] : null;
        double scale = 1.0 / ((double) batches * rowsPerBatch);
        for (int b = 0; b < batches; b++) {
            for (int i = 0; i < rowsPerBatch; i++) {
                int s = sourceOrder[b * n + i];
                double sq = 0;
                for (int k = 0; k < d; k++) sq += Math.pow(target.get(i, k) - source.get(s, k), 2);
                double dist = Math.sqrt(sq);
                total += dist;
                if (withGradient && dist > 0) {
                    for (int k = 0; k < d; k++) grad[i * d + k] += scale * (target.get(i, k) - source.get(s, k)) / dist;
                }
            }
        }
        return new Result(total * scale, grad, batches);
    }

    /** A seeded uniform permutation of {@code 0..n-1} (Fisher-Yates). */
    public static int[] shuffledOrder(int n, long seed) {
        int[] p = LabelledPoints.identity(n);
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = p[i]; p[i] = p[j]; p[j] = t;
        }
        return p;
    }
}
