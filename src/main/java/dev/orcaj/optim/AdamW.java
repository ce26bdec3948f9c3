package dev.orcaj.optim;

import java.util.List;

/**
 * Adam with decoupled weight decay, as {@code torch.optim.AdamW}: each step first shrinks the parameter,
 * {@code p *= 1 − lr·wd}, then applies the {@link Adam} update computed from the raw gradient.
 */
public final class AdamW extends Adam {
    public AdamW(List<ParamGroup> groups, double lr, double beta1, double beta2, double eps, double weightDecay) {
        super("AdamW", groups, lr, beta1, beta2, eps, weightDecay, true);
    }
}
