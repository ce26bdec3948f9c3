package dev.orcaj.optim;

import dev.orcaj.backend.cpu.CpuPool;
import dev.orcaj.tensor.Storage;
import dev.orcaj.tensor.Tensor;

import java.util.List;

/**
 * Adam (Kingma and Ba 2015, Algorithm 1) as {@code torch.optim.Adam}: with coupled (L2) weight decay
 * {@code g += wd·p}; {@code m = β1·m + (1 − β1)·g}, {@code v = β2·v + (1 − β2)·g²};
 * {@code p −= (lr / (1 − β1^t)) · m / (sqrt(v) / sqrt(1 − β2^t) + eps)}, i.e. eps is added outside the square
 * root, after bias correction of v. {@link AdamW} replaces the coupled decay with a decoupled one.
 */
public class Adam extends Optimizer {
    private final double beta1, beta2, eps;
    private final boolean decoupledWeightDecay;

    public Adam(List<ParamGroup> groups, double lr, double beta1, double beta2, double eps, double weightDecay) {
        this("Adam", groups, lr, beta1, beta2, eps, weightDecay, false);
    }

    Adam(String kind, List<ParamGroup> groups, double lr, double beta1, double beta2, double eps, double weightDecay, boolean decoupledWeightDecay) {
        super(kind, groups, lr, weightDecay, List.of("exp_avg", "exp_avg_sq"));
        this.beta1 = requireBeta(kind, "beta1", beta1);
        this.beta2 = requireBeta(kind, "beta2", beta2);
        this.eps = requireNonNegative(kind, "eps", eps);
        this.decoupledWeightDecay = decoupledWeightDecay;
    }

    private static double requireBeta(String kind, String what, double b) {
        if (!(b >= 0 && b < 1)) throw new IllegalArgumentException(kind + ": " + what + " must be in [0, 1), got " + b);
        return b;
    }

    @Override
    protected final void update(Tensor param, Tensor grad, Tensor[] buffers, long step, double lr, double weightDecay) {
        double stepSize = lr / (1 - Math.pow(beta1, step));
        double bias2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
        // AdamW (Loshchilov and Hutter 2019): p *= 1 - lr·wd before the Adam step, the gradient is left alone
        double shrink = decoupledWeightDecay ? 1 - lr * weightDecay : 1;
        double l2 = decoupledWeightDecay ? 0 : weightDecay;
        Storage p = param.storage(), g = grad.storage(), m = buffers[0].storage(), v = buffers[1].storage();
        int po = param.offset(), go = grad.offset(), n = param.numel();
        if (p.f != null && g.f != null && m.f != null && v.f != null) {
            updateF32(p.f, po, g.f, go, m.f, v.f, n, stepSize, bias2Sqrt, shrink, l2);
            return;
        }
        for (int i = 0; i < n; i++) {
            double w = p.get(po + i);
            double gi = g.get(go + i) + l2 * w;
            double mi = beta1 * m.get(i) + (1 - beta1) * gi;
            double vi = beta2 * v.get(i) + (1 - beta2) * gi * gi;
            m.set(i, mi);
            v.set(i, vi);
            p.set(po + i, w * shrink - stepSize * mi / (Math.sqrt(vi) / bias2Sqrt + eps));
        }
    }

    /**
     * The same update on float arrays directly (no per-element Storage dispatch), split over the engine's thread
     * pool: same arithmetic and rounding per element, so the result does not depend on the thread count.
     */
    private void updateF32(float[] p, int po, float[] g, int go, float[] m, float[] v, int n,
                           double stepSize, double bias2Sqrt, double shrink, double l2) {
        double b1 = beta1, b2 = beta2, e = eps;
        CpuPool.parallelFor(0, n, 1 << 16, (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                double w = p[po + i];
                double gi = g[go + i] + l2 * w;
                double mi = b1 * m[i] + (1 - b1) * gi;
                double vi = b2 * v[i] + (1 - b2) * gi * gi;
                m[i] = (float) mi;
                v[i] = (float) vi;
                p[po + i] = (float) (w * shrink - stepSize * mi / (Math.sqrt(vi) / bias2Sqrt + e));
            }
        });
    }
}
