package dev.orcaj.nn;

import dev.orcaj.tensor.DType;
import dev.orcaj.tensor.Device;
import dev.orcaj.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Base of every layer: registers parameters, buffers and child modules under names, so that the dotted names of
 * {@link #namedParameters()} match Hugging Face state-dict keys (e.g. {@code encoder.layer.0.attention.self.query.weight}).
 */
public abstract class Module {
    private final Map<String, Parameter> params = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    protected final Parameter param(String name, Tensor init) { return register(name, new Parameter(init, false)); }

    protected final Parameter buffer(String name, Tensor init) { return register(name, new Parameter(init, true)); }

    private Parameter register(String name, Parameter p) {
        if (params.put(name, p) != null || children.containsKey(name)) throw new IllegalStateException("duplicate name '" + name + "' in " + getClass().getSimpleName());
        return p;
    }

    protected final <M extends Module> M child(String name, M m) {
        if (children.put(name, m) != null || params.containsKey(name)) throw new IllegalStateException("duplicate name '" + name + "' in " + getClass().getSimpleName());
        return m;
    }

    /** All parameters and buffers, depth first, with dotted names. */
    public final Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collect("", out);
        return out;
    }

    private void collect(String prefix, Map<String, Parameter> out) {
        params.forEach((n, p) -> out.put(prefix + n, p));
        children.forEach((n, m) -> m.collect(prefix + n + ".", out));
    }

    /** The trainable parameters (what an optimizer updates). */
    public final List<Parameter> trainableParameters() {
        List<Parameter> out = new ArrayList<>();
        for (Parameter p : namedParameters().values()) if (p.trainable()) out.add(p);
        return out;
    }

    public final long parameterCount() {
        long n = 0;
        for (Parameter p : namedParameters().values()) if (!p.isBuffer()) n += p.get().numel();
        return n;
    }

    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        namedParameters().forEach((n, p) -> out.put(n, p.get()));
        return out;
    }

    /**
     * Loads tensors by name. Shapes must match exactly. With {@code strict}, a missing or unexpected name is an
     * error listing them; either way nothing is modified unless every check passes (never a half-loaded model).
     */
    public final void loadStateDict(Map<String, Tensor> state, boolean strict) {
        Map<String, Parameter> mine = namedParameters();
        Set<String> missing = new TreeSet<>(), unexpected = new TreeSet<>();
        for (String n : mine.keySet()) if (!state.containsKey(n) && !mine.get(n).isBuffer()) missing.add(n);
        for (String n : state.keySet()) if (!mine.containsKey(n)) unexpected.add(n);
        if (strict && (!missing.isEmpty() || !unexpected.isEmpty())) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " state dict mismatch: missing " + abbreviate(missing) + ", unexpected " + abbreviate(unexpected));
        }
        for (var e : state.entrySet()) {
            Parameter p = mine.get(e.getKey());
            if (p != null && !java.util.Arrays.equals(p.get().shape(), e.getValue().shape())) p.load(e.getKey(), e.getValue()); // throws with the name
        }
        for (var e : state.entrySet()) {
            Parameter p = mine.get(e.getKey());
            if (p != null) p.load(e.getKey(), e.getValue());
        }
    }

    private static String abbreviate(Set<String> names) {
        if (names.size() <= 8) return names.toString();
        return new ArrayList<>(names).subList(0, 8) + " and " + (names.size() - 8) + " more";
    }

    /** Converts every parameter and buffer to {@code dtype} (F64 for gradient checks). */
    public final Module to(DType dtype) {
        for (Parameter p : namedParameters().values()) p.to(dtype);
        return this;
    }

    /**
     * Moves every parameter and buffer to {@code device} in place (one upload each), so the ops that use them run
     * there (Backends routes by residence) and the optimizer updates them there.
     */
    public final Module to(Device device) {
        for (Parameter p : namedParameters().values()) p.to(device);
        return this;
    }

    public final void train(boolean on) {
        training = on;
        children.values().forEach(m -> m.train(on));
    }

    public final boolean isTraining() { return training; }

    public final void zeroGrad() { for (Parameter p : namedParameters().values()) p.get().zeroGrad(); }

    /** Freezes everything (then unfreeze selectively, e.g. LayerNorm-only fine-tuning). */
    public final void setTrainable(boolean on) {
        for (Parameter p : namedParameters().values()) if (!p.isBuffer()) p.setTrainable(on);
    }

    public final Map<String, Module> children() { return java.util.Collections.unmodifiableMap(children); }
}
