package dev.orcaj.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Expected values are worked out pair by pair in the comments (Mann-Whitney form: ties count 1/2). */
class RankingMetricsTest {

    @Test
    void binaryAurocSklearnDocExample() {
        // positives 0.35, 0.8 vs negatives 0.1, 0.4: pairs won 1 + 0 + 1 + 1 = 3 of 4
        assertEquals(0.75, Auroc.binary(new int[] {0, 0, 1, 1}, new float[] {0.1f, 0.4f, 0.35f, 0.8f}), 1e-15);
    }

    @Test
    void binaryAurocTiesCountHalf() {
        // positives 0.5, 0.9 vs negatives 0.5, 0.2: (0.5 vs 0.5) = 1/2, others won -> 3.5 / 4
        assertEquals(0.875, Auroc.binary(new int[] {0, 1, 0, 1}, new float[] {0.5f, 0.5f, 0.2f, 0.9f}), 1e-15);
        // all scores equal: the ROC curve is the diagonal
        assertEquals(0.5, Auroc.binary(new int[] {0, 1, 1}, new float[] {3f, 3f, 3f}), 1e-15);
    }

    @Test
    void oneVsOneMacroByHand() {
        int[] y = {0, 1, 2, 0};
        float[] p = {
            0.6f, 0.3f, 0.1f,
            0.2f, 0.5f, 0.3f,
            0.3f, 0.3f, 0.4f,
            0.2f, 0.6f, 0.2f};
        // (0,1) on rows 0,1,3: AUC(y==0, p0) pos .6,.2 vs neg .2 -> (1 + 1/2)/2 = .75; AUC(y==1, p1) pos .5 vs .3,.6 -> .5
        // (0,2) on rows 0,2,3: AUC(y==0, p0) pos .6,.2 vs .3 -> .5; AUC(y==2, p2) pos .4 vs .1,.2 -> 1
        // (1,2) on rows 1,2: AUC(y==1, p1) .5 vs .3 -> 1; AUC(y==2, p2) .4 vs .3 -> 1
        double expected = ((0.75 + 0.5) / 2 + (0.5 + 1) / 2 + 1) / 3;
        assertEquals(expected, Auroc.oneVsOne(y, p, 3), 1e-7);
        assertEquals(expected, Auroc.ofProbabilities(y, p, 3), 1e-7);
    }

    @Test
    void binaryFromSoftmaxUsesClassOneProbability() {
        float[] p = {0.9f, 0.1f, 0.6f, 0.4f, 0.65f, 0.35f, 0.2f, 0.8f};
        assertEquals(0.75, Auroc.ofProbabilities(new int[] {0, 0, 1, 1}, p, 2), 1e-7);
    }

    @Test
    void multiLabelMeanSkipsUndefinedLabels() {
        float[] y = {1, 0, 1, /**/ 0, 1, 1, /**/ 1, 0, 1};
        float[] s = {0.9f, 0.2f, 0.3f, /**/ 0.5f, 0.7f, 0.3f, /**/ 0.1f, 0.7f, 0.3f};
        // label 0: pos .9,.1 vs neg .5 -> .5; label 1: pos .7 vs neg .2, .7 -> .75; label 2 all positive -> skipped
        assertEquals(0.625, Auroc.multiLabelMean(y, s, 3), 1e-15);
    }

    @Test
    void aurocErrors() {
        var e = assertThrows(IllegalArgumentException.class, () -> Auroc.binary(new int[] {1, 1}, new float[] {0.1f, 0.2f}));
        assertTrue(e.getMessage().contains("only one class"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Auroc.oneVsOne(new int[] {0, 1}, new float[] {0.5f, 0.6f, 0.5f, 0.5f}, 2));
        assertTrue(e.getMessage().contains("row 0 sums to"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Auroc.oneVsOne(new int[] {0, 0}, new float[] {0.5f, 0.5f, 0.5f, 0.5f}, 2));
        assertTrue(e.getMessage().contains("class 1 does not occur"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Auroc.binary(new int[] {0, 1}, new float[] {Float.NaN, 0.2f}));
        assertThrows(IllegalArgumentException.class, () -> Auroc.binary(new int[] {0, 1}, new float[] {0.2f}));
        assertThrows(IllegalArgumentException.class, () -> Auroc.binary(new int[0], new float[0]));
        assertThrows(IllegalArgumentException.class, () -> Auroc.multiLabelMean(new float[] {1, 1}, new float[] {0.1f, 0.2f}, 2));
        assertThrows(IllegalArgumentException.class, () -> Auroc.multiLabelMean(new float[] {0.5f, 1}, new float[] {0.1f, 0.2f}, 1));
    }

    @Test
    void averagePrecisionSklearnDocExample() {
        // sorted: .8 (+) P=1 R=.5; .4 (-) R unchanged; .35 (+) P=2/3 R=1 -> .5*1 + .5*2/3
        assertEquals(0.5 + 0.5 * 2 / 3.0, AveragePrecision.binary(new int[] {0, 0, 1, 1}, new float[] {0.1f, 0.4f, 0.35f, 0.8f}), 1e-15);
    }

    @Test
    void averagePrecisionGroupsTiedScores() {
        // .9 (-) P=0 R=0; the two .5 enter together: TP 2 of 3 seen, R=1 -> AP = 1 * 2/3 (not 1/2 + 1/2 * 2/3)
        assertEquals(2 / 3.0, AveragePrecision.binary(new int[] {0, 1, 1, 0}, new float[] {0.9f, 0.5f, 0.5f, 0.1f}), 1e-15);
    }

    @Test
    void meanAveragePrecisionOverLabels() {
        float[] y = {0, 1, 0, /**/ 0, 0, 0, /**/ 1, 1, 0, /**/ 1, 0, 0};
        float[] s = {0.1f, 0.9f, 0.3f, /**/ 0.4f, 0.5f, 0.2f, /**/ 0.35f, 0.5f, 0.1f, /**/ 0.8f, 0.1f, 0.7f};
        // label 0: y (0,0,1,1) s (.1,.4,.35,.8) -> 5/6; label 1: y (1,0,1,0) s (.9,.5,.5,.1): .9 P1 R.5, .5 P2/3 R1 -> 5/6;
        // label 2 has no positive -> 0 (sklearn)
        assertEquals((5 / 6.0 + 5 / 6.0 + 0) / 3, AveragePrecision.meanOverLabels(y, s, 3), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> AveragePrecision.meanOverLabels(y, s, 5));
    }
}
