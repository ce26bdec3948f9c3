package dev.orcaj.autograd;

import dev.orcaj.tensor.BufferPool;
import dev.orcaj.tensor.Shape;
import dev.orcaj.tensor.Storage;
import dev.orcaj.tensor.Tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** Reverse-mode differentiation over the tape built by {@link Ops}, and the no-grad scope. */
public final class Autograd {
    private static final ThreadLocal<int[]> NO_GRAD_DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private Autograd() {}

    /** Scope in which no op is recorded: {@code try (var ng = Autograd.noGrad()) { ... }}. */
    public static AutoCloseable noGrad() {
        NO_GRAD_DEPTH.get()[0]++;
        return () -> NO_GRAD_DEPTH.get()[0]--;
    }

    /** Runs {@code body} with recording off (checked-exception-free convenience). */
    public static <T> T noGrad(java.util.function.Supplier<T> body) {
        NO_GRAD_DEPTH.get()[0]++;
        try {
            return body.get();
        } finally {
            NO_GRAD_DEPTH.get()[0]--;
        }
    }

    public static boolean isRecording() { return NO_GRAD_DEPTH.get()[0] == 0; }

    /**
     * Extension point for operations computed outside the engine (e.g. an optimal-transport loss whose gradient
     * comes from its dual potentials): records {@code out} as {@code op(inputs)} with the given gradient rule.
     */
    public static Tensor custom(String op, Tensor out, Node.Rule rule, Tensor... inputs) { return record(op, out, rule, inputs); }

    /** Records {@code out = op(inputs)} when recording is on and any input requires grad; returns out. */
    static Tensor record(String op, Tensor out, Node.Rule rule, Tensor... inputs) {
        if (!isRecording()) return out;
        boolean any = false;
        for (Tensor t : inputs) any |= t != null && t.requiresGrad();
        if (any) out.attach(new Node(op, inputs, rule));
        return out;
    }

    /**
     * Accumulates d(root)/d(leaf) into every leaf's grad. {@code seed} defaults to 1 for a scalar root. Nodes are
     * visited in reverse topological order; once a node has run, its saved buffers and its references to its inputs
     * are dropped (and so is this pass's reference to its output), so forward activations become collectable during
     * the backward pass and the optimizer step that follows does not run with the whole forward graph in memory
     * (PyTorch frees saved tensors the same way). A second backward through the same graph is an error.
     */
    public static void backward(Tensor root, Tensor seed) {
        if (!root.requiresGrad()) throw new IllegalStateException("backward(): the tensor does not require grad (no trainable input reached it)");
        if (seed == null) {
            if (root.numel() != 1) throw new IllegalStateException("backward(): a seed gradient is required for non-scalar output " + Shape.str(root.shape()));
            seed = Tensor.full(root.dtype(), 1.0, root.shape());
            if (root.device() != seed.device()) seed.storage().moveTo(root.device()); // the backward pass runs where the root lives
        }
        List<Tensor> order = topologicalOrder(root);
        Map<Tensor, Tensor> grads = new IdentityHashMap<>();
        grads.put(root, seed);
        StorageHolds holds = new StorageHolds(BufferPool.current());
        if (holds.active()) {
            for (Tensor t : order) holds.hold(t); // each result is held until its node has run (leaves forever)
            holds.hold(root);                     // the caller reads the loss after backward: never released here
            holds.hold(seed);                     // the caller's seed (twice: once for the map entry below)
            holds.hold(seed);
        }
        try (var ng = noGrad()) {
            for (int i = order.size() - 1; i >= 0; i--) {
                Tensor t = order.set(i, null);
                Tensor g = grads.remove(t);
                Node node = t.gradFn();
                if (g == null) {
                    if (node != null) holds.drop(t);
                    continue;
                }
                if (node == null) {
                    accumulateLeaf(t, g);
                    holds.drop(g);
                    continue;
                }
                int lentBefore = holds.lent();
                Tensor[] ruleGrads = node.apply(g);
                Tensor[] inGrads = new Tensor[node.inputs.length]; // those that flow on, each held until consumed
                for (int k = 0; k < inGrads.length; k++) {
                    Tensor in = node.inputs[k];
                    if (in != null && in.requiresGrad() && ruleGrads[k] != null) holds.hold(inGrads[k] = ruleGrads[k]);
                }
                holds.releaseScratch(lentBefore); // what the rule allocated and does not pass on is dead now
                holds.drop(g);
                for (int k = 0; k < node.inputs.length; k++) {
                    Tensor in = node.inputs[k], gk = inGrads[k];
                    if (gk == null) continue;
                    if (!java.util.Arrays.equals(gk.shape(), in.shape())) {
                        throw new IllegalStateException("gradient rule of '" + node.op + "' returned shape " + Shape.str(gk.shape()) + " for input " + Shape.str(in.shape()));
                    }
                    Tensor before = grads.get(in);
                    if (before == null) {
                        grads.put(in, gk); // the hold moves into the map
                    } else {
                        Tensor sum = before.add(gk);
                        holds.hold(sum);
                        grads.put(in, sum);
                        holds.drop(before);
                        holds.drop(gk);
                    }
                }
                node.release();
                holds.drop(t); // every consumer of t ran before its producer: nothing on the tape reads t again
            }
        } catch (Exception e) {
            if (e instanceof RuntimeException re) throw re;
            throw new IllegalStateException(e);
        }
    }

    /**
     * With a {@link BufferPool} step open: counts, per storage, what the backward pass still needs (results of
     * recorded ops until their node has run, gradients in its map or in flight), so that a storage the step's pool
     * lent goes back the moment the count reaches zero (views share a storage, so they count together). The loss,
     * the seed and leaves stay held. This is PyTorch's freeing of saved tensors during backward, with reuse: a
     * forward result read after backward (other than the loss) throws, unless {@link BufferPool.Step#keep} kept it.
     */
    private static final class StorageHolds {
        private final BufferPool.Step step;
        private final Map<Storage, int[]> counts = new IdentityHashMap<>();

        StorageHolds(BufferPool.Step step) { this.step = step; }

        boolean active() { return step != null; }

        void hold(Tensor t) {
            if (step != null) counts.computeIfAbsent(t.storage(), k -> new int[1])[0]++;
        }

        int lent() { return step == null ? 0 : step.lent(); }

        void releaseScratch(int mark) {
            if (step != null) step.releaseSince(mark, counts::containsKey);
        }

        void drop(Tensor t) {
            if (step == null) return;
            int[] c = counts.get(t.storage());
            if (c == null || --c[0] > 0) return;
            counts.remove(t.storage());
            step.releaseNow(t);
        }
    }

    private static void accumulateLeaf(Tensor leaf, Tensor g) {
        Tensor gc = g.dtype() == leaf.dtype() ? g : g.to(leaf.dtype());
        if (gc.device() != leaf.device()) gc = Ops.toDevice(gc.detach(), leaf.device()); // the optimizer updates it where the leaf lives
        leaf.setGrad(leaf.grad() == null ? Ops.copy(gc) : leaf.grad().add(gc));
    }

    /** Post-order DFS (iterative: transformer graphs are deep enough to overflow recursion). */
    private static List<Tensor> topologicalOrder(Tensor root) {
        List<Tensor> order = new ArrayList<>();
        Map<Tensor, Boolean> visited = new IdentityHashMap<>();
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[] {root, 0});
        visited.put(root, true);
        while (!stack.isEmpty()) {
            Object[] frame = stack.peek();
            Tensor t = (Tensor) frame[0];
            int next = (Integer) frame[1];
            Node node = t.gradFn();
            if (node != null && next < node.inputs.length) {
                frame[1] = next + 1;
                Tensor in = node.inputs[next];
                if (in != null && in.requiresGrad() && visited.put(in, true) == null) stack.push(new Object[] {in, 0});
            } else {
                stack.pop();
                order.add(t);
            }
        }
        return order;
    }
}
