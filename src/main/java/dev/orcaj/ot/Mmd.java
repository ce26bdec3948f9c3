package dev.orcaj.ot;

import dev.orcaj.backend.cpu.CpuPool;

/**
 * Gaussian multi-kernel MMD (ORCA's {@code mmd} objective, spec 3.4): pooled sample of source and target,
 * {@code beta} = mean squared distance over distinct pooled pairs ({@code sum / (N^2 - N)}), five bandwidths
 * {@code sigma_s^2 = beta 2^(s-2)}, s = 0..4, kernel {@code k(a,b) = sum_s exp(-||a-b||^2 / sigma_s^2)}; value
 * {@code mean K_xx + mean K_yy - 2 mean K_xy} (the reference's {@code mean(XX + YY - XY - YX)} for equal sizes).
 * As in the reference, beta is detached: the gradient treats it as a constant.
 */
public final class Mmd {
    private static final int KERNELS = 5;

    private Mmd() {}

    public record Result(double value, double[] gradTarget, double beta) {}

    public static Result compute(PointCloud source, PointCloud target, boolean withGradient) {
        check(source, target);
        return compute(source, target, pooledMeanSquaredDistance(source, target), withGradient);
    }

    /** With a fixed {@code beta} (bandwidth base). */
    public static Result compute(PointCloud source, PointCloud target, double beta, boolean withGradient) {
        check(source, target);
        if (!(beta > 0) || !Double.isFinite(beta)) throw new IllegalArgumentException("mmd: bandwidth must be > 0, got " + beta + " (all points identical?)");
        double[] inv = new double[KERNELS];
        for (int s = 0; s < KERNELS; s++) inv[s] = 1.0 / (beta * Math.pow(2, s - 2));
        int n = source.size(), m = target.size(), d = source.dim();
        double xx = blockMean(source, source, inv), yy = blockMean(target, target, inv), xy = blockMean(source, target, inv);
        double value = xx + yy - 2 * xy;
        double[] grad = null;
        if (withGradient) {
            grad = new double[m * d];
            double[] g = grad;
            CpuPool.parallelFor(0, m, 8, (lo, hi) -> {
                for (int j = lo; j < hi; j++) {
                    // d/dy_j: (2/m^2) sum_l dk(y_j,y_l)/dy_j - (2/(nm)) sum_i dk(x_i,y_j)/dy_j
                    accumulateKernelGradient(target, j, target, 2.0 / ((double) m * m), inv, g);
                    accumulateKernelGradient(target, j, source, -2.0 / ((double) n * m), inv, g);
                }
            });
        }
        return new Result(value, grad, beta);
    }

    /** {@code sum over distinct pairs of the pooled sample of ||a-b||^2, divided by N^2 - N}. */
    static double pooledMeanSquaredDistance(PointCloud x, PointCloud y) {
        int big = x.size() + y.size();
        double total = pairSum(x, x) + pairSum(y, y) + 2 * pairSum(x, y); // ordered pairs; the diagonal adds 0
        return total / ((double) big * big - big);
    }

    /** Indices of {@code count} source rows drawn uniformly with replacement (the reference's sampling). */
    public static int[] sampleWithReplacement(int nSource, int count, long seed) {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
        int[] idx = new int[count];
        for (int i = 0; i < count; i++) idx[i] = rnd.nextInt(nSource);
        return idx;
    }

    private static double pairSum(PointCloud a, PointCloud b) {
        double s = 0;
        for (int i = 0; i < a.size(); i++) for (int j = 0; j < b.size(); j++) s += sq(a, i, b, j);
        return s;
    }

    private static double blockMean(PointCloud a, PointCloud b, double[] inv) {
        double[] rows = new double[a.size()];
        CpuPool.parallelFor(0, a.size(), 8, (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                double s = 0;
                for (int j = 0; j < b.size(); j++) {
                    double d2 = sq(a, i, b, j);
                    for (double iv : inv) s += Math.exp(-d2 * iv);
                }
                rows[i] = s;
            }
        });
        double s = 0;
        for (double r : rows) s += r;
        return s / ((double) a.size() * b.size());
    }

    /** {@code g[j] += scale * sum_l d k(p_j, q_l) / d p_j}, with dk/da = sum_s exp(-D/sigma_s)(-2 (a-b)/sigma_s). */
    private static void accumulateKernelGradient(PointCloud p, int j, PointCloud q, double scale, double[] inv, double[] g) {
        int d = p.dim();
        for (int l = 0; l < q.size(); l++) {
            double d2 = sq(p, j, q, l);
            double w = 0;
            for (double iv : inv) w += Math.exp(-d2 * iv) * (-2 * iv);
            if (w == 0) continue;
            for (int k = 0; k < d; k++) g[j * d + k] += scale * w * (p.get(j, k) - q.get(l, k));
        }
    }

    private static double sq(PointCloud a, int i, PointCloud b, int j) {
        double s = 0;
        for (int k = 0; k < a.dim(); k++) {
            double t = a.get(i, k) - b.get(j, k);
            s += t * t;
        }
        return s;
    }

    private static void check(PointCloud source, PointCloud target) {
        if (source.size() == 0 || target.size() == 0) throw new IllegalArgumentException("mmd: empty source or target");
        if (source.dim() != target.dim()) throw new IllegalArgumentException("mmd: dimensions differ: " + source.dim() + " vs " + target.dim());
        source.requireFinite("mmd source");
        target.requireFinite("mmd target");
    }
}
