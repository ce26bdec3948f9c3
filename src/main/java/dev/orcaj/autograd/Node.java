package dev.orcaj.autograd;

import dev.orcaj.tensor.Tensor;

/**
 * One recorded operation on the tape: its inputs and the rule that maps the output gradient to input gradients.
 * The rule closes over whatever the forward pass saved; {@link #release()} drops it and the input references after
 * backward so those buffers (and the forward activations) can be collected.
 */
public final class Node {
    /** Maps the gradient of the output to one gradient per input (null where an input needs none). */
    @FunctionalInterface
    public interface Rule {
        Tensor[] apply(Tensor gradOut);
    }

    final String op;
    final Tensor[] inputs;
    private Rule rule;

    Node(String op, Tensor[] inputs, Rule rule) {
        this.op = op;
        this.inputs = inputs.clone(); // release() clears it: never the caller's array (concat passes its parts)
        this.rule = rule;
    }

    public String op() { return op; }

    Tensor[] apply(Tensor gradOut) {
        if (rule == null) throw new IllegalStateException("backward through '" + op + "' a second time: its saved buffers were released after the first backward");
        return rule.apply(gradOut);
    }

    void release() {
        rule = null;
        java.util.Arrays.fill(inputs, null);
    }
}
