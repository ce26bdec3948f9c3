package dev.orcaj.optim;

import dev.orcaj.nn.Parameter;
import dev.orcaj.tensor.BufferPool;
import dev.orcaj.tensor.Shape;
import dev.orcaj.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;

/**
 * Base of the first-order optimizers. Holds parameter slots (not tensors: {@link Parameter#set} may swap the leaf,
 * so the current value is read at every step), the current learning rate, and per-parameter state: a step count
 * and named buffers of the parameter's shape and dtype (moments), created lazily at the parameter's first update.
 *
 * <p>Updates happen in place on the parameter's storage. Each element is computed in double precision and
 * rounded once to the parameter's dtype, except Adam/AdamW on F32 parameters, which compute in float32 as PyTorch
 * does (results agree with PyTorch to float rounding, not bit for bit). A parameter whose gradient is null is skipped and its step count does not
 * advance, as in PyTorch.
 *
 * <p>Typical loop: {@code opt.setLr(schedule.lrAt(it)); loss.backward(); GradClip.clipGradNorm(opt, 1.0);
 * opt.step(); opt.zeroGrad();}
 */
public abstract class Optimizer {
    private record Slot(String name, Parameter param, double lrScale, OptionalDouble weightDecay) {}

    private static final class State {
        long steps;
        Tensor[] buffers;
    }

    private final String kind;
    private final List<Slot> slots = new ArrayList<>();
    private final State[] states;
    private final List<String> bufferNames;
    private final double weightDecay;
    private double lr;

    protected Optimizer(String kind, List<ParamGroup> groups, double lr, double weightDecay, List<String> bufferNames) {
        this.kind = kind;
        this.bufferNames = List.copyOf(bufferNames);
        this.weightDecay = requireNonNegative(kind, "weightDecay", weightDecay);
        setLr(lr);
        Map<Parameter, String> seen = new IdentityHashMap<>();
        Set<String> names = new HashSet<>();
        for (ParamGroup g : groups) {
            for (int i = 0; i < g.params().size(); i++) {
                Parameter p = g.params().get(i);
                String name = g.names() != null ? g.names().get(i) : "param" + slots.size();
                if (seen.put(p, name) != null) throw new IllegalArgumentException(kind + ": parameter '" + name + "' appears twice (also as '" + seen.get(p) + "')");
                if (!names.add(name)) throw new IllegalArgumentException(kind + ": two parameters are named '" + name + "'");
                if (p.isBuffer()) throw new IllegalArgumentException(kind + ": '" + name + "' is a buffer, not a trainable parameter");
                slots.add(new Slot(name, p, g.lrScale(), g.weightDecay()));
            }
        }
        if (slots.isEmpty()) throw new IllegalArgumentException(kind + ": empty parameter list (is everything frozen?)");
        this.states = new State[slots.size()];
    }

    /**
     * Updates one parameter in place. {@code param} and {@code grad} are contiguous with the same shape and dtype
     * (offsets may be non-zero); {@code buffers} are contiguous at offset 0, zero-filled before the first step;
     * {@code step} counts this parameter's updates, 1 on the first.
     */
    protected abstract void update(Tensor param, Tensor grad, Tensor[] buffers, long step, double lr, double weightDecay);

    /** One update of every parameter that has a gradient. */
    public final void step() {
        for (int i = 0; i < slots.size(); i++) {
            Slot s = slots.get(i);
            Tensor p = s.param().get();
            Tensor g = Grads.contiguousGrad(s.name(), p);
            if (g == null) continue;
            if (!p.isContiguous()) throw new IllegalStateException(kind + ": parameter '" + s.name() + "' is not contiguous");
            State st = stateFor(i, p);
            st.steps++;
            update(p, g, st.buffers, st.steps, lr * s.lrScale(), s.weightDecay().orElse(weightDecay));
        }
    }

    private State stateFor(int i, Tensor p) {
        State st = states[i];
        if (st == null) {
            st = states[i] = new State();
            st.buffers = new Tensor[bufferNames.size()];
            // state lives as long as the optimizer: never from a training step's BufferPool, even at the first step
            for (int b = 0; b < st.buffers.length; b++) st.buffers[b] = BufferPool.unpooled(() -> Tensor.zeros(p.dtype(), p.shape()));
        } else if (st.buffers.length > 0 && (st.buffers[0].dtype() != p.dtype() || !Arrays.equals(st.buffers[0].shape(), p.shape()))) {
            throw new IllegalStateException(kind + ": parameter '" + slots.get(i).name() + "' is now " + p.dtype() + Shape.str(p.shape())
                    + " but its optimizer state is " + st.buffers[0].dtype() + Shape.str(st.buffers[0].shape()) + "; convert the model before creating the optimizer");
        }
        return st;
    }

    /** Drops every gradient (PyTorch's {@code zero_grad(set_to_none=True)}). */
    public final void zeroGrad() { for (Slot s : slots) s.param().get().zeroGrad(); }

    public final double lr() { return lr; }

    /** Sets the learning rate used by following steps (each group multiplies it by its {@code lrScale}). */
    public final void setLr(double lr) { this.lr = requireNonNegative(kind, "learning rate", lr); }

    public final List<Parameter> parameters() {
        List<Parameter> out = new ArrayList<>();
        for (Slot s : slots) out.add(s.param());
        return Collections.unmodifiableList(out);
    }

    /** Names of {@link #parameters()}, position for position. */
    public final List<String> parameterNames() {
        List<String> out = new ArrayList<>();
        for (Slot s : slots) out.add(s.name());
        return Collections.unmodifiableList(out);
    }

    /**
     * Copies of the state of every parameter updated at least once: {@code <name>.step} (F64 scalar, the
     * parameter's update count) and {@code <name>.<buffer>} (e.g. {@code exp_avg}, {@code exp_avg_sq},
     * {@code momentum_buffer}) in the parameter's dtype. The learning rate is not included: the schedule recomputes
     * it from the training step the caller checkpoints.
     */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < slots.size(); i++) {
            State st = states[i];
            if (st == null) continue;
            String name = slots.get(i).name();
            out.put(name + ".step", Tensor.of(new double[] {st.steps}));
            for (int b = 0; b < st.buffers.length; b++) out.put(name + "." + bufferNames.get(b), Grads.copy(st.buffers[b]));
        }
        return out;
    }

    /**
     * Replaces all state with {@code state} (as written by {@link #stateDict()}); parameters without entries start
     * fresh. Everything is checked first (unknown keys, missing buffers, shapes, step counts), so a failed load
     * changes nothing. Values are copied, converted to the parameter's dtype.
     */
    public final void loadStateDict(Map<String, Tensor> state) {
        Set<String> unexpected = new TreeSet<>(state.keySet());
        State[] loaded = new State[slots.size()];
        for (int i = 0; i < slots.size(); i++) {
            String name = slots.get(i).name();
            Tensor p = slots.get(i).param().get();
            Tensor step = state.get(name + ".step");
            unexpected.remove(name + ".step");
            if (step == null) continue;
            double steps = step.numel() == 1 ? step.toDoubleArray()[0] : Double.NaN;
            if (!(steps >= 1) || steps != Math.rint(steps)) throw new IllegalArgumentException(kind + " state '" + name + ".step': expected a positive whole scalar, found " + (step.numel() == 1 ? steps : "shape " + Shape.str(step.shape())));
            State st = loaded[i] = new State();
            st.steps = (long) steps;
            st.buffers = new Tensor[bufferNames.size()];
            for (int b = 0; b < st.buffers.length; b++) {
                String key = name + "." + bufferNames.get(b);
                Tensor t = state.get(key);
                unexpected.remove(key);
                if (t == null) throw new IllegalArgumentException(kind + " state: '" + key + "' is missing (present: '" + name + ".step')");
                if (!Arrays.equals(t.shape(), p.shape())) throw new IllegalArgumentException(kind + " state '" + key + "': expected shape " + Shape.str(p.shape()) + ", found " + Shape.str(t.shape()));
                st.buffers[b] = Grads.copy(t.dtype() == p.dtype() ? t : t.to(p.dtype()));
            }
        }
        // keys of parameters without a step entry are left in 'unexpected' and rejected here
        if (!unexpected.isEmpty()) throw new IllegalArgumentException(kind + " state: unexpected keys " + abbreviate(unexpected)
                + " (each updated parameter has '<name>.step' and '<name>.<buffer>' for buffers " + bufferNames + ")");
        System.arraycopy(loaded, 0, states, 0, states.length);
    }

    static double requireNonNegative(String kind, String what, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) throw new IllegalArgumentException(kind + ": " + what + " must be finite and >= 0, got " + v);
        return v;
    }

    private static String abbreviate(Set<String> keys) {
        return keys.size() <= 8 ? keys.toString() : new ArrayList<>(keys).subList(0, 8) + " and " + (keys.size() - 8) + " more";
    }
}
