package dev.orcaj.optim;

import dev.orcaj.nn.Functional;
import dev.orcaj.nn.Linear;
import dev.orcaj.nn.Parameter;
import dev.orcaj.tensor.DType;
import dev.orcaj.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Accumulated micro-batch gradients against the full-batch gradient of a mean-squared-error loss (F64). */
class GradAccumulatorTest {
    private static final SplittableRandom RNG = new SplittableRandom(7);
    private static final Tensor X = Tensor.randn(DType.F64, RNG, 1, 6, 3);
    private static final Tensor Y = Tensor.randn(DType.F64, RNG, 1, 6, 2);

    private static Linear model() { return (Linear) new Linear(3, 2, true, new SplittableRandom(3)).to(DType.F64); }

    private static void backward(Linear m, int from, int to) {
        Functional.mse(m.forward(X.slice(0, from, to)), Y.slice(0, from, to)).backward();
    }

    private static double[][] grads(List<Parameter> ps) {
        double[][] g = new double[ps.size()][];
        for (int i = 0; i < g.length; i++) g[i] = ps.get(i).get().grad().toDoubleArray();
        return g;
    }

    private static double[][] fullBatchGrads() {
        Linear m = model();
        backward(m, 0, 6);
        return grads(m.trainableParameters());
    }

    @Test
    void meanOfEqualMicroBatchesIsTheFullBatchGradient() {
        Linear m = model();
        List<Parameter> ps = m.trainableParameters();
        GradAccumulator acc = new GradAccumulator(3, GradAccumulator.Reduction.MEAN);
        backward(m, 0, 2);
        assertFalse(acc.microBatchDone());
        backward(m, 2, 4);
        assertFalse(acc.microBatchDone());
        backward(m, 4, 6);
        assertTrue(acc.microBatchDone());
        assertEquals(3, acc.finish(ps));
        assertEquals(0, acc.pending());
        double[][] full = fullBatchGrads(), got = grads(ps);
        for (int i = 0; i < full.length; i++) assertArrayEquals(full[i], got[i], 1e-14);
    }

    @Test
    void sumKeepsTheAccumulatedSumAsOrcaDoes() {
        Linear m = model();
        List<Parameter> ps = m.trainableParameters();
        GradAccumulator acc = new GradAccumulator(2, GradAccumulator.Reduction.SUM);
        backward(m, 0, 3);
        acc.microBatchDone();
        backward(m, 3, 6);
        assertTrue(acc.microBatchDone());
        acc.finish(ps);
        // two halves of a mean loss sum to 2× the full-batch mean gradient
        double[][] full = fullBatchGrads(), got = grads(ps);
        for (int i = 0; i < full.length; i++) for (int j = 0; j < full[i].length; j++) assertEquals(2 * full[i][j], got[i][j], 1e-14);
    }

    @Test
    void aPartialLastGroupIsAveragedOverItsOwnSize() {
        Linear m = model();
        List<Parameter> ps = m.trainableParameters();
        GradAccumulator acc = new GradAccumulator(4, GradAccumulator.Reduction.MEAN);
        backward(m, 0, 3);
        acc.microBatchDone();
        backward(m, 3, 6);
        assertFalse(acc.microBatchDone());
        assertEquals(2, acc.finish(ps)); // epoch ended after 2 of 4
        double[][] full = fullBatchGrads(), got = grads(ps);
        for (int i = 0; i < full.length; i++) assertArrayEquals(full[i], got[i], 1e-14);
    }

    @Test
    void misuseIsReported() {
        GradAccumulator acc = new GradAccumulator(1, GradAccumulator.Reduction.MEAN);
        assertThrows(IllegalStateException.class, () -> acc.finish(List.of()));
        assertTrue(acc.microBatchDone());
        assertThrows(IllegalStateException.class, acc::microBatchDone);
        assertThrows(IllegalArgumentException.class, () -> new GradAccumulator(0, GradAccumulator.Reduction.SUM));
    }
}
