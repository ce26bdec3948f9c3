package dev.orcaj.models;

import dev.orcaj.io.NdArray;
import dev.orcaj.nn.Module;
import dev.orcaj.nn.Parameter;
import dev.orcaj.tensor.Shape;
import dev.orcaj.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Bridges io's {@link NdArray} checkpoints and the engine's modules: prefix handling, checks, conversion. */
public final class StateDicts {
    private StateDicts() {}

    /** A floating array (F32, F64, F16, BF16 widened exactly) as an F32 tensor of the same shape. */
    public static Tensor toTensor(NdArray a) {
        return Tensor.of(a.toFloats(), a.intShape());
    }

    /** An F32 copy of a tensor's values for writing (.npy, safetensors). */
    public static NdArray toNdArray(Tensor t) {
        return NdArray.ofFloats(t.toFloatArray(), t.shape());
    }

    /**
     * The body's own tensors of a checkpoint. When some names start with one of {@code prefixes} (a task model such as
     * {@code RobertaForSequenceClassification} stores its body as {@code roberta.*}), only those are kept, without the
     * prefix, and the head's tensors are left out; otherwise the map is returned as it is.
     */
    public static Map<String, NdArray> bodyTensors(Map<String, NdArray> state, String... prefixes) {
        for (String prefix : prefixes) {
            if (state.keySet().stream().noneMatch(n -> n.startsWith(prefix))) continue;
            Map<String, NdArray> out = new LinkedHashMap<>();
            state.forEach((n, a) -> { if (n.startsWith(prefix)) out.put(n.substring(prefix.length()), a); });
            return out;
        }
        return state;
    }

    /**
     * Checks every name, shape and dtype of {@code state} against the module before touching it (so a failure leaves
     * the module as it was), then loads strictly. Buffers may be absent. {@code source} names the checkpoint in errors.
     */
    public static void load(Module module, Map<String, NdArray> state, String source) {
        Map<String, Parameter> mine = module.namedParameters();
        TreeSet<String> missing = new TreeSet<>(), unexpected = new TreeSet<>(state.keySet());
        unexpected.removeAll(mine.keySet());
        mine.forEach((n, p) -> { if (!p.isBuffer() && !state.containsKey(n)) missing.add(n); });
        if (!missing.isEmpty() || !unexpected.isEmpty()) {
            String first = !missing.isEmpty()
                    ? "tensor '" + missing.first() + "' " + Shape.str(mine.get(missing.first()).get().shape()) + " is missing"
                    : "unexpected tensor '" + unexpected.first() + "' " + Arrays.toString(state.get(unexpected.first()).shape());
            throw new IllegalArgumentException(source + ": " + first + " (" + missing.size() + " missing " + head(missing) + ", "
                    + unexpected.size() + " unexpected " + head(unexpected) + "; does the config match the weights?)");
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (var e : state.entrySet()) {
            String n = e.getKey();
            NdArray a = e.getValue();
            int[] expected = mine.get(n).get().shape();
            if (!Arrays.equals(expected, a.intShape())) {
                throw new IllegalArgumentException(source + ": tensor '" + n + "': expected shape " + Shape.str(expected) + ", found " + Arrays.toString(a.shape()));
            }
            if (!a.dtype().isFloating()) {
                throw new IllegalArgumentException(source + ": tensor '" + n + "' has dtype " + a.dtype() + ", expected a floating type");
            }
        }
        for (var e : state.entrySet()) tensors.put(e.getKey(), toTensor(e.getValue()));
        module.loadStateDict(tensors, true);
    }

    private static String head(TreeSet<String> names) {
        List<String> l = new ArrayList<>(names);
        return l.size() <= 4 ? l.toString() : l.subList(0, 4) + "...";
    }
}
