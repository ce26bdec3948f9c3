package dev.orcaj.autograd;

import dev.orcaj.tensor.DType;
import dev.orcaj.tensor.Tensor;

import java.util.SplittableRandom;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Central-difference gradient check in float64. The output is projected on a fixed random direction w
 * (L = sum(w * f(x))), so every entry of the Jacobian contributes. With h = 1e-6 the truncation error is
 * O(h^2 |f'''|) ~ 1e-12 and the rounding error ~ 1e-16 / h ~ 1e-10, so 1e-6 relative (+1e-8 absolute) is a
 * tolerance that only a wrong rule fails.
 */
public final class GradCheck {
    private GradCheck() {}

    public static void check(String name, Function<Tensor[], Tensor> f, Tensor... inputs) {
        check(name, f, 1e-6, inputs);
    }

    public static void check(String name, Function<Tensor[], Tensor> f, double tol, Tensor... inputs) {
        for (Tensor t : inputs) {
            if (t.dtype() != DType.F64) throw new IllegalArgumentException("gradcheck inputs must be F64");
            t.zeroGrad();
            t.requiresGrad(true);
        }
        Tensor out = f.apply(inputs);
        Tensor w = Tensor.randn(DType.F64, new SplittableRandom(99), 1, out.shape());
        out.mul(w).sum().backward();
        double h = 1e-6;
        for (int k = 0; k < inputs.length; k++) {
            Tensor x = inputs[k];
            Tensor g = x.grad();
            assertTrue(g != null, name + ": input " + k + " received no gradient");
            int[] shape = x.shape();
            int n = x.numel();
            for (int i = 0; i < n; i++) {
                int[] idx = unravel(i, shape);
                int p = x.index(idx);
                double orig = x.storage().get(p);
                x.storage().set(p, orig + h);
                double lp = Autograd.noGrad(() -> f.apply(inputs).mul(w).sum().item());
                x.storage().set(p, orig - h);
                double lm = Autograd.noGrad(() -> f.apply(inputs).mul(w).sum().item());
                x.storage().set(p, orig);
                double num = (lp - lm) / (2 * h);
                double ana = g.get(idx);
                double err = Math.abs(num - ana);
                assertTrue(err <= tol * Math.max(1, Math.abs(num)) + 1e-8,
                        name + ": input " + k + " element " + java.util.Arrays.toString(idx) + " analytic " + ana + " vs numeric " + num);
            }
        }
    }

    static int[] unravel(int i, int[] shape) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = i % shape[d];
            i /= shape[d];
        }
        return idx;
    }

    public static Tensor rand(long seed, int... shape) {
        return Tensor.randn(DType.F64, new SplittableRandom(seed), 1, shape);
    }

    /** Values bounded away from zero (for log, sqrt, abs, relu kinks). */
    public static Tensor positive(long seed, int... shape) {
        return Tensor.rand(DType.F64, new SplittableRandom(seed), 0.5, 2.0, shape);
    }
}
