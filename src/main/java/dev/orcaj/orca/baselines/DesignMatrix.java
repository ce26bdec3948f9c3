package dev.orcaj.orca.baselines;

import dev.orcaj.data.ArrayDataset;
import org.ejml.data.DMatrixRMaj;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The flattened inputs of a linear baseline, standardized with the training rows' per-feature mean and standard
 * deviation (a constant feature keeps scale 1), so one L2 grid fits every task. At most {@link #MAX_CELLS} values are
 * held in memory: a larger training split (DeepSEA-size) is fitted on a seeded random subset of its rows.
 */
final class DesignMatrix {
    /** 2^24 doubles = 128 MiB for the design matrix; the Gram or kernel system is at most min(n, d)^2 beside it. */
    static final long MAX_CELLS = 1L << 24;

    final double[] mean, scale;
    final int[] rows; // the training rows used, in order

    private DesignMatrix(double[] mean, double[] scale, int[] rows) {
        this.mean = mean;
        this.scale = scale;
        this.rows = rows;
    }

    /** Statistics of {@code train} (over the rows used); {@code maxCells} caps rows x features. */
    static DesignMatrix fit(ArrayDataset train, long maxCells, long seed) {
        int n = train.size(), d = train.sampleSize();
        int[] rows = capRows(n, (int) Math.max(1, Math.min(n, maxCells / d)), seed);
        double[] mean = new double[d], sq = new double[d];
        float[] f = train.features();
        for (int r : rows) for (int j = 0; j < d; j++) mean[j] += f[r * d + j];
        for (int j = 0; j < d; j++) mean[j] /= rows.length;
        for (int r : rows) for (int j = 0; j < d; j++) { double c = f[r * d + j] - mean[j]; sq[j] += c * c; }
        double[] scale = new double[d];
        for (int j = 0; j < d; j++) {
            double sd = Math.sqrt(sq[j] / rows.length);
            scale[j] = sd > 1e-12 ? 1 / sd : 1;
        }
        return new DesignMatrix(mean, scale, rows);
    }

    /** All rows when they fit, else {@code keep} rows drawn without replacement by a seeded shuffle, kept in data order. */
    static int[] capRows(int n, int keep, long seed) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) all[i] = i;
        if (keep >= n) return all;
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < keep; i++) {
            int j = i + rng.nextInt(n - i);
            int t = all[i]; all[i] = all[j]; all[j] = t;
        }
        int[] kept = Arrays.copyOf(all, keep);
        Arrays.sort(kept);
        return kept;
    }

    int features() { return mean.length; }

    /** The standardized training rows used, [rows, d]. */
    DMatrixRMaj training(ArrayDataset train) { return standardized(train, rows); }

    /** Standardized rows of {@code data}, [rows.length, d]. */
    DMatrixRMaj standardized(ArrayDataset data, int[] which) {
        int d = features();
        DMatrixRMaj x = new DMatrixRMaj(which.length, d);
        float[] f = data.features();
        double[] out = x.data;
        for (int i = 0; i < which.length; i++) {
            int src = which[i] * d;
            for (int j = 0; j < d; j++) out[i * d + j] = (f[src + j] - mean[j]) * scale[j];
        }
        return x;
    }
}
