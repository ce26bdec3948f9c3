package dev.orcaj.optim;

import dev.orcaj.nn.LayerNorm;
import dev.orcaj.nn.Linear;
import dev.orcaj.nn.Module;
import dev.orcaj.nn.Parameter;
import dev.orcaj.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static dev.orcaj.optim.OptimTestSupport.Weights;
import static dev.orcaj.optim.OptimTestSupport.backwardHalfSquare;
import static dev.orcaj.optim.OptimTestSupport.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SGD's first three steps on f(w) = ½·w² (gradient = w), against arithmetic written out by hand. */
class SgdTest {
    private static final double TOL = 1e-15;

    /** Runs three steps from w = (1, −2); every rule here is linear in w, so the second coordinate is −2× the first. */
    private static double[][] threeSteps(Sgd opt, Parameter p) {
        double[][] out = new double[3][];
        for (int s = 0; s < 3; s++) {
            backwardHalfSquare(List.of(p));
            opt.step();
            opt.zeroGrad();
            out[s] = values(p);
        }
        return out;
    }

    private static Parameter start() { return new Weights("w", Tensor.of(new double[] {1, -2}, 2)).p("w"); }

    @Test
    void momentumBufferStartsAtTheFirstGradient() {
        Parameter p = start();
        Sgd opt = new Sgd(List.of(ParamGroup.of(List.of(p))), 0.1, 0.9, 0);
        double[][] w = threeSteps(opt, p);
        // step 1: g = 1, b = g = 1 (no dampening on the first step), w = 1 − 0.1·1 = 0.9
        // step 2: g = 0.9, b = 0.9·1 + 0.9 = 1.8, w = 0.9 − 0.18 = 0.72
        // step 3: g = 0.72, b = 0.9·1.8 + 0.72 = 2.34, w = 0.72 − 0.234 = 0.486
        assertArrayEquals(new double[] {0.9, -1.8}, w[0], TOL);
        assertArrayEquals(new double[] {0.72, -1.44}, w[1], TOL);
        assertArrayEquals(new double[] {0.486, -0.972}, w[2], TOL);
        var state = opt.stateDict();
        assertArrayEquals(new double[] {2.34, -4.68}, state.get("param0.momentum_buffer").toDoubleArray(), 1e-14);
        assertEquals(3, state.get("param0.step").item());
    }

    @Test
    void nesterovLooksAhead() {
        Parameter p = start();
        double[][] w = threeSteps(new Sgd(List.of(ParamGroup.of(List.of(p))), 0.1, 0.9, 0, 0, true), p);
        // step 1: g = 1, b = 1, d = g + 0.9·b = 1.9, w = 1 − 0.19 = 0.81
        // step 2: g = 0.81, b = 0.9 + 0.81 = 1.71, d = 0.81 + 1.539 = 2.349, w = 0.81 − 0.2349 = 0.5751
        // step 3: g = 0.5751, b = 1.539 + 0.5751 = 2.1141, d = 0.5751 + 1.90269 = 2.47779, w = 0.5751 − 0.247779 = 0.327321
        assertArrayEquals(new double[] {0.81, -1.62}, w[0], TOL);
        assertArrayEquals(new double[] {0.5751, -1.1502}, w[1], TOL);
        assertArrayEquals(new double[] {0.327321, -0.654642}, w[2], TOL);
    }

    @Test
    void dampeningScalesNewGradientsAfterTheFirstStep() {
        Parameter p = start();
        double[][] w = threeSteps(new Sgd(List.of(ParamGroup.of(List.of(p))), 0.1, 0.9, 0.5, 0, false), p);
        // step 1: b = g = 1, w = 0.9
        // step 2: g = 0.9, b = 0.9·1 + 0.5·0.9 = 1.35, w = 0.9 − 0.135 = 0.765
        // step 3: g = 0.765, b = 0.9·1.35 + 0.5·0.765 = 1.5975, w = 0.765 − 0.15975 = 0.60525
        assertArrayEquals(new double[] {0.9, -1.8}, w[0], TOL);
        assertArrayEquals(new double[] {0.765, -1.53}, w[1], TOL);
        assertArrayEquals(new double[] {0.60525, -1.2105}, w[2], TOL);
    }

    @Test
    void weightDecayIsAddedToTheGradient() {
        Parameter p = start();
        Sgd opt = new Sgd(List.of(ParamGroup.of(List.of(p))), 0.1, 0, 0.1);
        double[][] w = threeSteps(opt, p);
        // d = g + 0.1·w = 1.1·w, so w ← w − 0.11·w = 0.89·w each step: 0.89, 0.7921, 0.704969
        assertArrayEquals(new double[] {0.89, -1.78}, w[0], TOL);
        assertArrayEquals(new double[] {0.7921, -1.5842}, w[1], TOL);
        assertArrayEquals(new double[] {0.704969, -1.409938}, w[2], TOL);
        assertEquals(1, opt.stateDict().size(), "momentum 0 keeps only the step count");
    }

    @Test
    void groupsScaleTheLearningRateAndOverrideWeightDecay() {
        Weights m = new Weights(java.util.Map.of("a", Tensor.of(new double[] {1}, 1), "b", Tensor.of(new double[] {1}, 1)));
        Sgd opt = new Sgd(List.of(ParamGroup.of(List.of(m.p("a"))), ParamGroup.of(List.of(m.p("b"))).withLrScale(0.5).withWeightDecay(0)), 0.1, 0, 0.1);
        backwardHalfSquare(List.of(m.p("a"), m.p("b")));
        opt.step();
        assertEquals(1 - 0.1 * 1.1, values(m.p("a"))[0], TOL); // default decay 0.1, lr 0.1
        assertEquals(1 - 0.05 * 1.0, values(m.p("b"))[0], TOL); // lr 0.1·0.5, decay 0
        opt.zeroGrad();
        opt.setLr(0.2);
        backwardHalfSquare(List.of(m.p("a")));
        opt.step(); // b has no gradient now: skipped, its step count stays 1
        assertEquals(0.89 - 0.2 * 1.1 * 0.89, values(m.p("a"))[0], TOL);
        assertEquals(0.95, values(m.p("b"))[0], TOL);
        assertEquals(2, opt.stateDict().get("param0.step").item());
        assertEquals(1, opt.stateDict().get("param1.step").item());
    }

    /** LayerNorm-only fine-tuning: freeze everything, unfreeze the LayerNorm, and the optimizer sees only it. */
    static final class Net extends Module {
        final Linear lin = child("lin", new Linear(2, 2, true, new SplittableRandom(1)));
        final LayerNorm ln = child("ln", new LayerNorm(2, 1e-5));
    }

    @Test
    void frozenParametersAreNeitherListedNorUpdated() {
        Net net = new Net();
        net.setTrainable(false);
        net.ln.setTrainable(true);
        ParamGroup g = ParamGroup.of(net);
        assertEquals(List.of("ln.weight", "ln.bias"), g.names());
        Sgd opt = new Sgd(List.of(g), 0.1, 0.9, 0);
        float[] linBefore = net.lin.weight.get().toFloatArray();
        net.lin.weight.get().setGrad(Tensor.ones(2, 2)); // a stray gradient on a frozen weight must not move it
        net.ln.weight.get().setGrad(Tensor.ones(2));
        opt.step();
        assertArrayEquals(linBefore, net.lin.weight.get().toFloatArray());
        assertArrayEquals(new float[] {0.9f, 0.9f}, net.ln.weight.get().toFloatArray());
        assertEquals(List.of("ln.weight.step", "ln.weight.momentum_buffer"), List.copyOf(opt.stateDict().keySet()));
        opt.zeroGrad();
        assertNull(net.ln.weight.get().grad());
    }

    @Test
    void badArgumentsAreRejectedWithTheirName() {
        Parameter p = start();
        List<ParamGroup> g = List.of(ParamGroup.of(List.of(p)));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Sgd(g, 0.1, 0, 0, 0, true)).getMessage().contains("Nesterov"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Sgd(g, -1, 0, 0)).getMessage().contains("learning rate"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Sgd(g, 0.1, Double.NaN, 0)).getMessage().contains("momentum"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(ParamGroup.of(List.of(p, p))), 0.1, 0, 0)).getMessage().contains("twice"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(ParamGroup.of(List.of())), 0.1, 0, 0)).getMessage().contains("empty"));
    }
}
