package dev.orcaj.ot;

import dev.orcaj.backend.cpu.CpuPool;

import java.util.SplittableRandom;

/**
 * K-means for ORCA's pseudo-labels of dense/regression targets (spec 3.2: k = 10 on the flattened targets;
 * full k-means up to 10 000 rows, mini-batch k-means with batches of 10 000 above). Seeding is k-means++
 * (Arthur and Vassilvitskii 2007); everything is driven by one seed, so results are reproducible.
 */
public final class KMeans {
    public static final int FULL_LIMIT = 10_000;

    private KMeans() {}

    /** {@code centroids} is k x d row-major; {@code inertia} = sum of squared distances to the assigned centroid. */
    public record Result(double[] centroids, int[] labels, double inertia, int iterations) {}

    /** ORCA's choice: Lloyd with 10 k-means++ restarts up to {@value #FULL_LIMIT} rows, else mini-batch (10 000). */
    public static Result fit(double[] data, int n, int d, int k, long seed) {
        return n <= FULL_LIMIT ? lloyd(data, n, d, k, 10, 300, 1e-4, seed) : miniBatch(data, n, d, k, FULL_LIMIT, 100, seed);
    }

    /**
     * Lloyd iterations from k-means++ seeds, best of {@code nInit} runs by inertia; a run stops when the
     * labels no longer change or the squared centroid shift drops below {@code tol} times the mean per-feature
     * variance (sklearn's criterion). An emptied cluster is re-seeded at the point farthest from its centroid.
     */
    public static Result lloyd(double[] data, int n, int d, int k, int nInit, int maxIter, double tol, long seed) {
        check(data, n, d, k);
        double tolAbs = tol * meanVariance(data, n, d);
        SplittableRandom rnd = new SplittableRandom(seed);
        Result best = null;
        for (int run = 0; run < Math.max(1, nInit); run++) {
            double[] c = plusPlus(data, n, d, k, rnd.split());
            int[] labels = new int[n];
            java.util.Arrays.fill(labels, -1);
            int it = 0;
            while (it < maxIter) {
                it++;
                boolean changed = assign(data, n, d, c, k, labels);
                double shift = update(data, n, d, c, k, labels);
                if (!changed || shift <= tolAbs) break;
            }
            assign(data, n, d, c, k, labels);
            Result r = new Result(c, labels, inertia(data, n, d, c, labels), it);
            if (best == null || r.inertia() < best.inertia()) best = r;
        }
        return best;
    }

    /**
     * Mini-batch k-means (Sculley 2010): k-means++ on a random subset of min(n, 3 batch) rows, then
     * {@code steps} batches drawn with replacement, each point moving its centroid by {@code 1/count}; final
     * labels by a full assignment.
     */
    public static Result miniBatch(double[] data, int n, int d, int k, int batchSize, int steps, long seed) {
        check(data, n, d, k);
        SplittableRandom rnd = new SplittableRandom(seed);
        int initSize = Math.min(n, 3 * batchSize);
        int[] initRows = new int[initSize];
        for (int i = 0; i < initSize; i++) initRows[i] = rnd.nextInt(n);
        double[] init = new double[initSize * d];
        for (int i = 0; i < initSize; i++) System.arraycopy(data, initRows[i] * d, init, i * d, d);
        double[] c = plusPlus(init, initSize, d, k, rnd.split());
        long[] counts = new long[k];
        int[] batch = new int[batchSize], batchLabels = new int[batchSize];
        for (int step = 0; step < steps; step++) {
            for (int b = 0; b < batchSize; b++) batch[b] = rnd.nextInt(n);
            for (int b = 0; b < batchSize; b++) batchLabels[b] = nearest(data, batch[b] * d, d, c, k);
            for (int b = 0; b < batchSize; b++) {
                int j = batchLabels[b];
                double eta = 1.0 / ++counts[j];
                for (int t = 0; t < d; t++) c[j * d + t] += eta * (data[batch[b] * d + t] - c[j * d + t]);
            }
        }
        int[] labels = new int[n];
        assign(data, n, d, c, k, labels);
        return new Result(c, labels, inertia(data, n, d, c, labels), steps);
    }

    static double[] plusPlus(double[] data, int n, int d, int k, SplittableRandom rnd) {
        double[] c = new double[k * d];
        int first = rnd.nextInt(n);
        System.arraycopy(data, first * d, c, 0, d);
        double[] dist = new double[n];
        for (int i = 0; i < n; i++) dist[i] = sq(data, i * d, c, 0, d);
        for (int j = 1; j < k; j++) {
            double total = 0;
            for (double v : dist) total += v;
            int pick;
            if (total <= 0) {
                pick = rnd.nextInt(n); // all remaining points coincide with centroids
            } else {
                double u = rnd.nextDouble() * total, acc = 0;
                pick = n - 1;
                for (int i = 0; i < n; i++) {
                    acc += dist[i];
                    if (acc >= u && dist[i] > 0) { pick = i; break; }
                }
            }
            System.arraycopy(data, pick * d, c, j * d, d);
            for (int i = 0; i < n; i++) dist[i] = Math.min(dist[i], sq(data, i * d, c, j * d, d));
        }
        return c;
    }

    private static boolean assign(double[] data, int n, int d, double[] c, int k, int[] labels) {
        boolean[] changed = new boolean[1];
        CpuPool.parallelFor(0, n, 256, (lo, hi) -> {
            boolean local = false;
            for (int i = lo; i < hi; i++) {
                int j = nearest(data, i * d, d, c, k);
                if (j != labels[i]) { labels[i] = j; local = true; }
            }
            if (local) synchronized (changed) { changed[0] = true; }
        });
        return changed[0];
    }

    /** Moves centroids to their cluster means; returns the total squared shift. */
    private static double update(double[] data, int n, int d, double[] c, int k, int[] labels) {
        double[] sum = new double[k * d];
        int[] count = new int[k];
        for (int i = 0; i < n; i++) {
            count[labels[i]]++;
            for (int t = 0; t < d; t++) sum[labels[i] * d + t] += data[i * d + t];
        }
        double shift = 0;
        for (int j = 0; j < k; j++) {
            double[] next = new double[d];
            if (count[j] == 0) {
                int far = farthest(data, n, d, c, labels);
                System.arraycopy(data, far * d, next, 0, d);
                labels[far] = j;
            } else {
                for (int t = 0; t < d; t++) next[t] = sum[j * d + t] / count[j];
            }
            shift += sq(next, 0, c, j * d, d);
            System.arraycopy(next, 0, c, j * d, d);
        }
        return shift;
    }

    private static int farthest(double[] data, int n, int d, double[] c, int[] labels) {
        int best = 0;
        double bestD = -1;
        for (int i = 0; i < n; i++) {
            double v = sq(data, i * d, c, labels[i] * d, d);
            if (v > bestD) { bestD = v; best = i; }
        }
        return best;
    }

    static int nearest(double[] data, int off, int d, double[] c, int k) {
        int best = 0;
        double bestD = Double.POSITIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            double v = sq(data, off, c, j * d, d);
            if (v < bestD) { bestD = v; best = j; }
        }
        return best;
    }

    static double inertia(double[] data, int n, int d, double[] c, int[] labels) {
        double s = 0;
        for (int i = 0; i < n; i++) s += sq(data, i * d, c, labels[i] * d, d);
        return s;
    }

    private static double meanVariance(double[] data, int n, int d) {
        double total = 0;
        for (int t = 0; t < d; t++) {
            double mean = 0, m2 = 0;
            for (int i = 0; i < n; i++) mean += data[i * d + t];
            mean /= n;
            for (int i = 0; i < n; i++) m2 += Math.pow(data[i * d + t] - mean, 2);
            total += m2 / n;
        }
        return total / d;
    }

    private static double sq(double[] a, int ao, double[] b, int bo, int d) {
        double s = 0;
        for (int t = 0; t < d; t++) {
            double v = a[ao + t] - b[bo + t];
            s += v * v;
        }
        return s;
    }

    private static void check(double[] data, int n, int d, int k) {
        if (n <= 0 || d <= 0 || (long) n * d != data.length) {
            throw new IllegalArgumentException("k-means: data length " + data.length + " != n*d = " + n + "*" + d);
        }
        if (k < 1 || k > n) throw new IllegalArgumentException("k-means: need 1 <= k <= n, got k=" + k + ", n=" + n);
        for (int i = 0; i < data.length; i++) {
            if (!Double.isFinite(data[i])) throw new IllegalArgumentException("k-means: non-finite value at row " + i / d + ", column " + i % d);
        }
    }
}
