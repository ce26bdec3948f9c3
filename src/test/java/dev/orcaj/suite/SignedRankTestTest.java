package dev.orcaj.suite;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The paired test against values computed independently with SciPy 1.17 ({@code scipy.stats.wilcoxon}, two-sided,
 * zero_method "wilcox"), e.g. {@code wilcoxon([1,-2,3,-4,5,6,7,-8], method="exact")} = (14.0, 0.640625), and by
 * hand where the count of sign patterns is small enough to enumerate.
 */
class SignedRankTestTest {

    @Test
    void fiveSeedsAllBetterGiveTheSmallestPossiblePValue() {
        // 2 of the 2^5 sign patterns are as extreme (all +, all -): p = 2/32
        SignedRankTest t = SignedRankTest.of(new double[] {1.1, 2.2, 3.3, 4.4, 5.5}, new double[] {0.1, 0.2, 0.3, 0.4, 0.5});
        assertEquals(0.0625, t.p(), 1e-12);
        assertEquals(15, t.wPlus(), 0);
        assertEquals(0, t.wMinus(), 0);
        assertTrue(t.exact());
    }

    @Test
    void oneSmallNegativeDifferenceOfFive() {
        // differences -1, 2, 3, 4, 5 (x100): W- = 1; patterns with W- <= 1: {} and {1}, doubled: p = 4/32 (SciPy: 0.125)
        SignedRankTest t = SignedRankTest.of(new double[] {0.79, 0.82, 0.75, 0.90, 0.70}, new double[] {0.80, 0.80, 0.72, 0.86, 0.65});
        assertEquals(0.125, t.p(), 1e-12);
        assertEquals(14, t.wPlus(), 0);
        assertEquals(1, t.wMinus(), 0);
    }

    @Test
    void eightPairsExact() {
        double[] d = {1, -2, 3, -4, 5, 6, 7, -8};
        SignedRankTest t = SignedRankTest.of(d, new double[8]);
        assertEquals(0.640625, t.p(), 1e-12); // SciPy exact
        assertEquals(22, t.wPlus(), 0);
        assertEquals(14, t.wMinus(), 0);
    }

    @Test
    void zeroDifferencesAreDroppedBeforeRanking() {
        // the two equal pairs are left out: the test sees the five pairs of fiveSeedsAllBetter...
        SignedRankTest t = SignedRankTest.of(new double[] {1, 2, 3, 4, 5, 7, 9}, new double[] {0, 0, 0, 0, 0, 7, 9});
        assertEquals(5, t.pairs());
        assertEquals(0.0625, t.p(), 1e-12);
        // ... and no difference at all is no evidence
        assertEquals(1.0, SignedRankTest.of(new double[] {1, 2}, new double[] {1, 2}).p(), 0);
    }

    @Test
    void fortyPairsUseTheNormalApproximationWithContinuityCorrection() {
        double[] d = new double[40];
        for (int i = 0; i < 40; i++) d[i] = i + 1;
        for (int i : new int[] {0, 4, 9, 13, 20, 33}) d[i] = -d[i];
        SignedRankTest t = SignedRankTest.of(d, new double[40]);
        assertFalse(t.exact());
        assertEquals(85, t.wMinus(), 0);
        // SciPy method="approx": 1.2906e-5 with the continuity correction, 1.2515e-5 without
        assertEquals(1.2906e-5, t.p(), 2e-8);
    }
}
