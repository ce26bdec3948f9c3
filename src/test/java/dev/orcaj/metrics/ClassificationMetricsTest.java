package dev.orcaj.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ClassificationMetricsTest {

    @Test
    void accuracyAndZeroOneErrorCountMatches() {
        int[] yTrue = {0, 1, 2, 1}, yPred = {0, 2, 2, 1};
        assertEquals(0.75, Accuracy.of(yTrue, yPred), 1e-15);
        assertEquals(0.25, ZeroOneError.of(yTrue, yPred), 1e-15);
    }

    @Test
    void argmaxTakesTheFirstMaximumLikeNumpy() {
        float[] scores = {0.1f, 0.7f, 0.2f, /**/ 0.5f, 0.5f, 0.0f, /**/ -1f, -3f, -0.5f};
        assertArrayEquals(new int[] {1, 0, 2}, Accuracy.argmax(scores, 3));
        assertEquals(2.0 / 3, Accuracy.ofScores(new int[] {1, 1, 2}, scores, 3), 1e-15);
        assertEquals(1.0 / 3, ZeroOneError.ofScores(new int[] {1, 1, 2}, scores, 3), 1e-15);
    }

    @Test
    void macroF1ByHand() {
        int[] yTrue = {0, 0, 1, 1, 2}, yPred = {0, 1, 1, 1, 0};
        // class 0: TP 1, FP 1, FN 1 -> 2/4; class 1: TP 2, FP 1, FN 0 -> 4/5; class 2: TP 0, FN 1 -> 0
        assertEquals((0.5 + 0.8 + 0) / 3, MacroF1.of(yTrue, yPred, 3), 1e-15);
        // label 3 absent everywhere: counts as F1 0 when the label set is fixed (ECG uses labels {0,1,2,3})
        assertEquals((0.5 + 0.8 + 0) / 4, MacroF1.of(yTrue, yPred, 4), 1e-15);
        assertEquals((0.5 + 0.8 + 0) / 3, MacroF1.ofPresentLabels(yTrue, yPred), 1e-15);
    }

    @Test
    void macroF1PerfectPredictionIsOne() {
        assertEquals(1.0, MacroF1.of(new int[] {2, 0, 1}, new int[] {2, 0, 1}, 3), 1e-15);
    }

    @Test
    void badInputsAreRejectedWithTheMetricName() {
        var e = assertThrows(IllegalArgumentException.class, () -> Accuracy.of(new int[0], new int[0]));
        assertTrue(e.getMessage().contains("Accuracy: empty"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Accuracy.of(new int[] {1, 2}, new int[] {1}));
        assertTrue(e.getMessage().contains("1 predictions for 2 targets"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MacroF1.of(new int[] {0, 5}, new int[] {0, 1}, 3));
        assertTrue(e.getMessage().contains("yTrue[1] = 5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Accuracy.argmax(new float[] {0f, Float.NaN}, 2));
        assertTrue(e.getMessage().contains("scores[1] is NaN"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Accuracy.argmax(new float[] {0f, 1f, 2f}, 2));
    }
}
