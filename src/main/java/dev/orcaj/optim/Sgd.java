package dev.orcaj.optim;

import dev.orcaj.tensor.Storage;
import dev.orcaj.tensor.Tensor;

import java.util.List;

/**
 * Stochastic gradient descent with momentum, as {@code torch.optim.SGD}: with coupled weight decay
 * {@code d = g + wd·p}; momentum buffer {@code b = d} on a parameter's first step, afterwards
 * {@code b = μ·b + (1 − dampening)·d}; then {@code d = d + μ·b} (Nesterov) or {@code d = b}; finally
 * {@code p −= lr·d}. With momentum 0 there is no buffer and no state beyond the step count.
 */
public final class Sgd extends Optimizer {
    private final double momentum, dampening;
    private final boolean nesterov;

    public Sgd(List<ParamGroup> groups, double lr, double momentum, double dampening, double weightDecay, boolean nesterov) {
        super("SGD", groups, lr, weightDecay, momentum != 0 ? List.of("momentum_buffer") : List.of());
        this.momentum = requireNonNegative("SGD", "momentum", momentum);
        this.dampening = requireNonNegative("SGD", "dampening", dampening);
        this.nesterov = nesterov;
        // as PyTorch: Nesterov's look-ahead is defined for an undamped, non-zero momentum only
        if (nesterov && (momentum == 0 || dampening != 0)) throw new IllegalArgumentException("SGD: Nesterov momentum requires momentum > 0 and dampening = 0, got momentum " + momentum + ", dampening " + dampening);
    }

    /** Plain momentum SGD (dampening 0, no Nesterov), as ORCA configures it. */
    public Sgd(List<ParamGroup> groups, double lr, double momentum, double weightDecay) {
        this(groups, lr, momentum, 0, weightDecay, false);
    }

    @Override
    protected void update(Tensor param, Tensor grad, Tensor[] buffers, long step, double lr, double weightDecay) {
        Storage p = param.storage(), g = grad.storage();
        Storage buf = momentum != 0 ? buffers[0].storage() : null;
        int po = param.offset(), go = grad.offset(), n = param.numel();
        for (int i = 0; i < n; i++) {
            double w = p.get(po + i);
            double d = g.get(go + i) + weightDecay * w;
            if (buf != null) {
                double b = step == 1 ? d : momentum * buf.get(i) + (1 - dampening) * d;
                buf.set(i, b);
                d = nesterov ? d + momentum * b : b;
            }
            p.set(po + i, w - lr * d);
        }
    }
}
