package dev.orcaj.optim;

import dev.orcaj.nn.Module;
import dev.orcaj.nn.Parameter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Parameters that share hyperparameters, as in a PyTorch {@code param_group}. {@code lrScale} multiplies the
 * optimizer's current learning rate for this group (how a schedule applies to every group, like LambdaLR on each
 * group's base lr); {@code weightDecay}, when present, replaces the optimizer's default for this group (e.g. 0 for
 * biases and LayerNorm weights).
 *
 * <p>{@code names} label the parameters in state dicts and error messages; {@code null} means "unnamed", and the
 * optimizer then names them {@code param<i>} by global position, as PyTorch numbers its state.
 */
public record ParamGroup(List<String> names, List<Parameter> params, double lrScale, OptionalDouble weightDecay) {

    public ParamGroup {
        params = List.copyOf(params);
        if (names != null) {
            names = List.copyOf(names);
            if (names.size() != params.size()) throw new IllegalArgumentException("ParamGroup: " + names.size() + " names for " + params.size() + " parameters");
        }
        if (!(lrScale >= 0) || Double.isInfinite(lrScale)) throw new IllegalArgumentException("ParamGroup: lrScale must be finite and >= 0, got " + lrScale);
        if (weightDecay.isPresent() && !(weightDecay.getAsDouble() >= 0)) throw new IllegalArgumentException("ParamGroup: weightDecay must be >= 0, got " + weightDecay.getAsDouble());
    }

    /** Unnamed parameters with the optimizer's defaults. */
    public static ParamGroup of(List<Parameter> params) { return new ParamGroup(null, params, 1, OptionalDouble.empty()); }

    /** The module's trainable parameters under their Hugging Face style dotted names (frozen ones are left out). */
    public static ParamGroup of(Module module) {
        List<String> names = new ArrayList<>();
        List<Parameter> params = new ArrayList<>();
        module.namedParameters().forEach((n, p) -> {
            if (p.trainable()) {
                names.add(n);
                params.add(p);
            }
        });
        return new ParamGroup(names, params, 1, OptionalDouble.empty());
    }

    /** Named parameters, in the map's iteration order. */
    public static ParamGroup named(Map<String, Parameter> params) {
        return new ParamGroup(new ArrayList<>(params.keySet()), new ArrayList<>(params.values()), 1, OptionalDouble.empty());
    }

    public ParamGroup withLrScale(double scale) { return new ParamGroup(names, params, scale, weightDecay); }

    public ParamGroup withWeightDecay(double wd) { return new ParamGroup(names, params, lrScale, OptionalDouble.of(wd)); }
}
