package dev.orcaj.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RegressionMetricsTest {

    @Test
    void relativeL2PerSampleThenMean() {
        float[] target = {3, 4, /**/ 1, 0}, pred = {3, 5, /**/ 0, 0};
        // sample 0: |(0,1)| / |(3,4)| = 1/5; sample 1: |(-1,0)| / |(1,0)| = 1
        assertEquals(0.6, RelativeL2.of(pred, target, 2), 1e-12);
        // as one sample: |(0,1,-1,0)| / |(3,4,1,0)| = sqrt(2)/sqrt(26)
        assertEquals(Math.sqrt(2.0 / 26), RelativeL2.of(pred, target, 1), 1e-12);
    }

    @Test
    void nrmsePerSample() {
        float[] target = {1, 1, 1, /**/ 2, 0, 0}, pred = {1, 1, 4, /**/ 0, 0, 0};
        // sample 0: sqrt(9/3) / sqrt(3/3) = sqrt 3; sample 1: sqrt(4/3) / sqrt(4/3) = 1
        assertEquals((Math.sqrt(3) + 1) / 2, Nrmse.of(pred, target, 2), 1e-12);
    }

    @Test
    void rmseIsTheMeanOfPerSampleRmse() {
        float[] target = {0, 0, 0, 0}, pred = {3, 4, 0, 2};
        // sample 0: sqrt(25/2); sample 1: sqrt(4/2) -- not the global sqrt(29/4)
        assertEquals((Math.sqrt(12.5) + Math.sqrt(2)) / 2, Rmse.of(pred, target, 2), 1e-12);
        assertEquals(Math.sqrt(29 / 4.0), Rmse.of(pred, target, 1), 1e-12);
    }

    @Test
    void maeAndR2ByHand() {
        assertEquals(1.0, Mae.of(new float[] {1, 2, 3}, new float[] {2, 2, 5}), 1e-15);
        // residual 1, total (1-2)^2 + 0 + (3-2)^2 = 2
        assertEquals(0.5, R2.of(new float[] {1, 2, 4}, new float[] {1, 2, 3}), 1e-15);
        // predicting the mean gives 0, worse than the mean is negative
        assertEquals(0.0, R2.of(new float[] {2, 2, 2}, new float[] {1, 2, 3}), 1e-15);
        assertEquals(1 - 8 / 2.0, R2.of(new float[] {3, 2, 1}, new float[] {1, 2, 3}), 1e-15);
    }

    @Test
    void regressionErrors() {
        var e = assertThrows(IllegalArgumentException.class, () -> RelativeL2.of(new float[] {1, 2}, new float[] {0, 0}, 1));
        assertTrue(e.getMessage().contains("all zeros"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Nrmse.of(new float[] {1, 2, 3}, new float[] {1, 2, 3}, 2));
        assertTrue(e.getMessage().contains("do not split into 2 samples"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> R2.of(new float[] {1, 2}, new float[] {5, 5}));
        assertTrue(e.getMessage().contains("constant"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Mae.of(new float[] {1, Float.NaN}, new float[] {5, 5}));
        assertTrue(e.getMessage().contains("pred[1] is NaN"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Mae.of(new float[0], new float[0]));
        assertThrows(IllegalArgumentException.class, () -> Rmse.of(new float[] {1}, new float[] {1, 2}, 1));
        assertThrows(IllegalArgumentException.class, () -> Rmse.of(new float[] {1, 2}, new float[] {1, Float.POSITIVE_INFINITY}, 1));
    }
}
