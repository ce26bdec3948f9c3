package dev.orcaj.optim;

import dev.orcaj.nn.Parameter;
import dev.orcaj.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.orcaj.optim.OptimTestSupport.Weights;
import static dev.orcaj.optim.OptimTestSupport.backwardHalfSquare;
import static dev.orcaj.optim.OptimTestSupport.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Adam and AdamW on f(w) = ½·w² (gradient = w) with lr 0.1, β = (0.9, 0.999), eps 1e-8, checked by hand. */
class AdamTest {
    private static final double LR = 0.1, EPS = 1e-8;

    private static Parameter param(double... w) { return new Weights("w", Tensor.of(w, w.length)).p("w"); }

    private static void step(Optimizer opt, Parameter p) {
        backwardHalfSquare(List.of(p));
        opt.step();
        opt.zeroGrad();
    }

    /** F32 parameters take the array path, split over the pool: it must agree with the F64 path and not depend on threads. */
    @Test
    void float32PathAgreesWithFloat64AndIsThreadCountInvariant() {
        int n = 200_003; // several pool chunks, an odd tail
        double[] w = new double[n];
        java.util.SplittableRandom rng = new java.util.SplittableRandom(5);
        for (int i = 0; i < n; i++) w[i] = (float) rng.nextGaussian(); // exactly representable in F32
        double[] f64 = adamWSteps(Tensor.of(w.clone(), n), 1); // Tensor.of wraps the array: each run gets its own copy
        int before = dev.orcaj.backend.cpu.CpuPool.threads();
        try {
            double[] one = adamWSteps(Tensor.of(w.clone(), n).to(dev.orcaj.tensor.DType.F32).detach(), 1);
            double[] two = adamWSteps(Tensor.of(w.clone(), n).to(dev.orcaj.tensor.DType.F32).detach(), 2);
            assertArrayEquals(one, two, 0, "1 vs 2 threads");
            for (int i = 0; i < n; i++) assertEquals(f64[i], one[i], 1e-6 * Math.max(1, Math.abs(f64[i])), "element " + i);
        } finally {
            dev.orcaj.backend.cpu.CpuPool.setThreads(before);
        }
    }

    private static double[] adamWSteps(Tensor init, int threads) {
        dev.orcaj.backend.cpu.CpuPool.setThreads(threads);
        Parameter p = new Weights("w", init).p("w");
        AdamW opt = new AdamW(List.of(ParamGroup.of(List.of(p))), LR, 0.9, 0.999, EPS, 0.01);
        for (int s = 0; s < 3; s++) step(opt, p);
        return values(p);
    }

    @Test
    void firstStepMovesEveryCoordinateByLrTimesSignOfTheGradient() {
        // m1 = 0.1·g, v1 = 0.001·g²; bias-corrected m̂ = g, v̂ = g², so the step is lr·g/(|g| + eps) ≈ lr·sign(g)
        Parameter p = param(1, -2, 0.5, 300);
        step(new Adam(List.of(ParamGroup.of(List.of(p))), LR, 0.9, 0.999, EPS, 0), p);
        assertArrayEquals(new double[] {0.9, -1.9, 0.4, 299.9}, values(p), 1e-8);
    }

    @Test
    void threeStepsMatchTheHandComputedRecursion() {
        Parameter p = param(1, -1);
        Adam opt = new Adam(List.of(ParamGroup.of(List.of(p))), LR, 0.9, 0.999, EPS, 0);
        double w0 = 1;
        // step 1: g = w0; bias corrections 1 − 0.9 = 0.1 and 1 − 0.999 = 0.001
        double m1 = 0.1 * w0, v1 = 0.001 * w0 * w0;
        double w1 = w0 - LR * (m1 / 0.1) / (Math.sqrt(v1 / 0.001) + EPS);
        // step 2: g = w1; 1 − 0.9² = 0.19, 1 − 0.999² = 0.001999
        double m2 = 0.9 * m1 + 0.1 * w1, v2 = 0.999 * v1 + 0.001 * w1 * w1;
        double w2 = w1 - LR * (m2 / 0.19) / (Math.sqrt(v2 / 0.001999) + EPS);
        // step 3: g = w2; 1 − 0.9³ = 0.271, 1 − 0.999³ = 0.002997001
        double m3 = 0.9 * m2 + 0.1 * w2, v3 = 0.999 * v2 + 0.001 * w2 * w2;
        double w3 = w2 - LR * (m3 / 0.271) / (Math.sqrt(v3 / 0.002997001) + EPS);
        // decimals of the same recursion: 0.900000001, 0.80041223, 0.70158627
        assertEquals(0.80041223, w2, 1e-8);
        assertEquals(0.70158627, w3, 1e-8);

        double[] expected = {w1, w2, w3};
        for (int s = 0; s < 3; s++) {
            step(opt, p);
            assertEquals(expected[s], values(p)[0], 1e-13, "step " + (s + 1));
            // every operation is odd in g, so the −1 coordinate mirrors the +1 coordinate exactly
            assertEquals(-values(p)[0], values(p)[1], 0, "step " + (s + 1));
        }
        var state = opt.stateDict();
        assertEquals(m3, state.get("param0.exp_avg").toDoubleArray()[0], 1e-15);
        assertEquals(v3, state.get("param0.exp_avg_sq").toDoubleArray()[0], 1e-15);
        assertEquals(3, state.get("param0.step").item());
    }

    @Test
    void coupledWeightDecayEntersTheMomentsButNotTheStepSize() {
        // Adam with wd 0.1: g' = w + 0.1·w = 1.1·w; step 1 is still lr·sign(g'), so w = 1 − 0.1 = 0.9
        Parameter p = param(1);
        Adam opt = new Adam(List.of(ParamGroup.of(List.of(p))), LR, 0.9, 0.999, EPS, 0.1);
        step(opt, p);
        assertEquals(0.9, values(p)[0], 1e-8);
        assertEquals(0.1 * 1.1, opt.stateDict().get("param0.exp_avg").toDoubleArray()[0], 1e-15);
    }

    @Test
    void adamWDecaysTheParameterBeforeTheAdamStep() {
        // AdamW with wd 0.1: w = 1·(1 − 0.1·0.1) − 0.1·sign(1) = 0.99 − 0.1 = 0.89; the moments see the raw gradient
        Parameter p = param(1);
        AdamW opt = new AdamW(List.of(ParamGroup.of(List.of(p))), LR, 0.9, 0.999, EPS, 0.1);
        step(opt, p);
        assertEquals(0.89, values(p)[0], 1e-8);
        assertEquals(0.1, opt.stateDict().get("param0.exp_avg").toDoubleArray()[0], 1e-15);
    }

    @Test
    void adamWWithAZeroGradientOnlyShrinks() {
        // g = 0 keeps m = v = 0, the Adam step is 0/(0 + eps) = 0, so after 3 steps w = 2·(1 − lr·wd)³ = 2·0.99³
        Parameter p = param(2);
        AdamW opt = new AdamW(List.of(ParamGroup.of(List.of(p))), LR, 0.9, 0.999, EPS, 0.1);
        for (int s = 0; s < 3; s++) {
            p.get().setGrad(Tensor.of(new double[] {0}, 1));
            opt.step();
        }
        assertEquals(2 * 0.99 * 0.99 * 0.99, values(p)[0], 1e-15);
    }

    @Test
    void adamWWithoutDecayIsBitIdenticalToAdam() {
        Parameter a = param(1, -2, 0.5), b = param(1, -2, 0.5);
        Adam adam = new Adam(List.of(ParamGroup.of(List.of(a))), LR, 0.9, 0.98, EPS, 0);
        AdamW adamW = new AdamW(List.of(ParamGroup.of(List.of(b))), LR, 0.9, 0.98, EPS, 0);
        for (int s = 0; s < 5; s++) {
            step(adam, a);
            step(adamW, b);
        }
        assertArrayEquals(values(a), values(b), 0.0);
    }

    @Test
    void float32ParametersAreUpdatedInPlace() {
        Parameter p = new Weights("w", Tensor.of(new float[] {1, -2}, 2)).p("w");
        float[] storage = p.get().storage().readF();
        step(new Adam(List.of(ParamGroup.of(List.of(p))), LR, 0.9, 0.999, EPS, 0), p);
        assertArrayEquals(new float[] {0.9f, -1.9f}, storage, 1e-7f);
    }

    @Test
    void betasOutsideTheUnitIntervalAreRejected() {
        List<ParamGroup> g = List.of(ParamGroup.of(List.of(param(1))));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Adam(g, LR, 1.0, 0.999, EPS, 0)).getMessage().contains("beta1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new AdamW(g, LR, 0.9, -0.1, EPS, 0)).getMessage().contains("AdamW: beta2"));
    }
}
