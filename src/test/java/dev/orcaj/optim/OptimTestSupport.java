package dev.orcaj.optim;

import dev.orcaj.nn.Module;
import dev.orcaj.nn.Parameter;
import dev.orcaj.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small fixtures shared by the optimizer tests. */
final class OptimTestSupport {
    private OptimTestSupport() {}

    /** A module holding free-standing named tensors, to get {@link Parameter}s without a layer around them. */
    static final class Weights extends Module {
        Weights(Map<String, Tensor> values) { values.forEach(this::param); }

        Weights(String name, Tensor value) { this(Map.of(name, value)); }

        Parameter p(String name) { return namedParameters().get(name); }
    }

    /** Back-propagates f(w) = ½·Σ w² for every parameter, so each gradient equals the current value. */
    static void backwardHalfSquare(List<Parameter> params) {
        for (Parameter p : params) p.get().square().sum().mul(0.5).backward();
    }

    static double[] values(Parameter p) { return p.get().toDoubleArray(); }

    /** Deep copy of a state dict (Module.stateDict returns the live tensors, which optimizers update in place). */
    static Map<String, Tensor> deepCopy(Map<String, Tensor> state) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        state.forEach((k, t) -> out.put(k, Grads.copy(t)));
        return out;
    }
}
