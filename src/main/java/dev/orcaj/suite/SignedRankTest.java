package dev.orcaj.suite;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.stat.inference.WilcoxonSignedRankTest;

import java.util.Arrays;

/**
 * The Wilcoxon signed-rank test of paired results (two methods, same seeds), two-sided, through Commons Math's
 * {@link WilcoxonSignedRankTest}.
 *
 * <p>Choices, stated because they change the p-value: (1) pairs with a zero difference are dropped before ranking
 * (Wilcoxon's convention, scipy's default {@code zero_method="wilcox"}); Commons Math would otherwise rank them as
 * negative differences. (2) The p-value is exact (Commons Math's enumeration of the 2^n sign patterns) for up to 30
 * non-zero pairs, the normal approximation with continuity correction (no tie correction of the variance) above
 * ({@link #normalPValue}). Tied absolute differences get average ranks; the exact
 * p-value then is only approximate. (3) With n pairs the smallest two-sided exact p-value is 2 / 2^n: 0.0625 for
 * n = 5 seeds, so five seeds can never reach p < 0.05; a p-value below 0.10 at n = 5 means all five differences
 * have the same sign.
 *
 * @param pairs     non-zero differences used
 * @param wPlus     sum of the ranks of the positive differences (first minus second)
 * @param wMinus    sum of the ranks of the negative differences
 * @param p         two-sided p-value (1 when no pair differs)
 * @param exact     whether p is the exact distribution's (else the normal approximation's)
 */
public record SignedRankTest(int pairs, double wPlus, double wMinus, double p, boolean exact) {
    /** Commons Math computes exact p-values up to this many pairs. */
    static final int EXACT_LIMIT = 30;

    public static SignedRankTest of(double[] first, double[] second) {
        if (first.length != second.length) throw new IllegalArgumentException("paired samples differ in length: " + first.length + " vs " + second.length);
        int n = 0;
        double[] x = new double[first.length], y = new double[first.length];
        for (int i = 0; i < first.length; i++) {
            if (first[i] == second[i]) continue;
            x[n] = first[i];
            y[n++] = second[i];
        }
        if (n == 0) return new SignedRankTest(0, 0, 0, 1, true);
        x = Arrays.copyOf(x, n);
        y = Arrays.copyOf(y, n);
        double total = n * (n + 1) / 2.0, wPlus = positiveRankSum(x, y);
        boolean exact = n <= EXACT_LIMIT;
        double p = exact ? Math.min(1, new WilcoxonSignedRankTest().wilcoxonSignedRankTest(x, y, true)) : normalPValue(n, Math.min(wPlus, total - wPlus));
        return new SignedRankTest(n, wPlus, total - wPlus, p, exact);
    }

    /**
     * Two-sided normal approximation with the continuity correction towards the mean, as SciPy's
     * {@code wilcoxon(..., method="approx", correction=True)}. Not Commons Math's: 3.6.1 subtracts the 0.5 on the
     * wrong side of the mean (z = (Wmin - n(n+1)/4 - 0.5) / sigma), which makes its p-values too small.
     */
    static double normalPValue(int n, double wMin) {
        double mean = n * (n + 1) / 4.0, sigma = Math.sqrt(n * (n + 1) * (2 * n + 1) / 24.0);
        double z = Math.min(0, wMin - mean + 0.5) / sigma;
        return Math.min(1, 2 * new NormalDistribution(0, 1).cumulativeProbability(z));
    }

    /** W+: ranks of |x - y| (average ranks for ties, as Commons Math ranks them), summed over the pairs where x > y. */
    private static double positiveRankSum(double[] x, double[] y) {
        double[] abs = new double[x.length];
        for (int i = 0; i < x.length; i++) abs[i] = Math.abs(x[i] - y[i]);
        double[] ranks = new org.apache.commons.math3.stat.ranking.NaturalRanking().rank(abs);
        double s = 0;
        for (int i = 0; i < x.length; i++) if (x[i] > y[i]) s += ranks[i];
        return s;
    }
}
