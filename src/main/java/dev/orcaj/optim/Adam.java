package dev.orcaj.optim;

import dev.orcaj.backend.cpu.CpuPool;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import dev.orcaj.backend.Backends;
import dev.orcaj.tensor.DType;
import dev.orcaj.tensor.Device;
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
        if (p.device() != Device.CPU) { // the fused kernel on the parameter's device: nothing crosses the bus
            if (step == 1 && m.device() != p.device()) { // fresh moments: zeros made on the device, not uploaded
                buffers[0] = Tensor.zeros(p.device(), param.shape());
                buffers[1] = Tensor.zeros(p.device(), param.shape());
                m = buffers[0].storage();
                v = buffers[1].storage();
            }
            m.moveTo(p.device()); // loaded state (a resumed run): uploaded once
            v.moveTo(p.device());
            Backends.forTensor(param).adamStep(param, grad, buffers[0], buffers[1], beta1, beta2, eps, stepSize, bias2Sqrt, shrink, l2);
            return;
        }
        int po = param.offset(), go = grad.offset(), n = param.numel();
        if (p.dtype == DType.F32 && g.dtype == DType.F32 && m.dtype == DType.F32 && v.dtype == DType.F32) {
            updateF32(p.f(), po, g.readF(), go, m.f(), v.f(), n, stepSize, bias2Sqrt, shrink, l2);
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

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    /**
     * F32 parameters are updated in float32 arithmetic, as {@code torch.optim.AdamW} does on float32 tensors
     * (its order: decay, moments, denominator sqrt(v) / sqrt(1 - β2^t) + eps, step), with SIMD lanes and split over
     * the engine's pool; element-wise, so the result does not depend on the thread count. It is memory-bound: one
     * read of p, g, m, v and one write of p, m, v per element.
     */
    private void updateF32(float[] p, int po, float[] g, int go, float[] m, float[] v, int n,
                           double stepSize, double bias2Sqrt, double shrink, double l2) {
        // 1 - β is formed in double, then rounded (as PyTorch's Python scalars are): 1f - 0.999f would lose digits
        float b1 = (float) beta1, b2 = (float) beta2, c1 = (float) (1 - beta1), c2 = (float) (1 - beta2);
        float e = (float) eps, step = (float) stepSize, invBias2 = (float) (1 / bias2Sqrt);
        float decay = (float) shrink, coupled = (float) l2;
        CpuPool.parallelFor(0, n, 1 << 16, (lo, hi) -> {
            int i = lo;
            for (; i <= hi - F.length(); i += F.length()) {
                FloatVector w = FloatVector.fromArray(F, p, po + i);
                FloatVector gi = FloatVector.fromArray(F, g, go + i).add(w.mul(coupled));
                FloatVector mi = FloatVector.fromArray(F, m, i).mul(b1).add(gi.mul(c1));
                FloatVector vi = FloatVector.fromArray(F, v, i).mul(b2).add(gi.mul(gi).mul(c2));
                mi.intoArray(m, i);
                vi.intoArray(v, i);
                w.mul(decay).sub(mi.mul(step).div(vi.sqrt().mul(invBias2).add(e))).intoArray(p, po + i);
            }
            for (; i < hi; i++) {
                float w = p[po + i];
                float gi = g[go + i] + w * coupled;
                float mi = m[i] * b1 + gi * c1;
                float vi = v[i] * b2 + gi * gi * c2;
                m[i] = mi;
                v[i] = vi;
                p[po + i] = w * decay - mi * step / ((float) Math.sqrt(vi) * invBias2 + e);
            }
        });
    }
}
