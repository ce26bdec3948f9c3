package dev.orcaj.optim;

import dev.orcaj.autograd.Autograd;
import dev.orcaj.backend.cpu.VecKernels;
import dev.orcaj.nn.Parameter;
import dev.orcaj.tensor.DType;
import dev.orcaj.tensor.Device;
import dev.orcaj.tensor.Finite;
import dev.orcaj.tensor.Storage;
import dev.orcaj.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Global-norm gradient clipping with the semantics of {@code torch.nn.utils.clip_grad_norm_} (L2, and
 * {@code error_if_nonfinite=True}): the total norm is the L2 norm of all gradients concatenated; when
 * {@code maxNorm / (norm + 1e-6) < 1} every gradient is multiplied by that factor (PyTorch multiplies by the factor
 * clamped to 1, which is the same). The norm is accumulated in double precision. Parameters without a gradient
 * are skipped.
 */
public final class GradClip {
    private GradClip() {}

    /** Clips the gradients of the optimizer's parameters; returns the total norm before clipping. */
    public static double clipGradNorm(Optimizer optimizer, double maxNorm) {
        return clip(optimizer.parameterNames(), optimizer.parameters(), maxNorm);
    }

    /** Clips named parameters (e.g. {@code module.namedParameters()}); returns the total norm before clipping. */
    public static double clipGradNorm(Map<String, Parameter> params, double maxNorm) {
        return clip(new ArrayList<>(params.keySet()), new ArrayList<>(params.values()), maxNorm);
    }

    /** Clips a plain list (named {@code param<i>} in errors); returns the total norm before clipping. */
    public static double clipGradNorm(List<Parameter> params, double maxNorm) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) names.add("param" + i);
        return clip(names, params, maxNorm);
    }

    private static double clip(List<String> names, List<Parameter> params, double maxNorm) {
        if (!(maxNorm > 0) || Double.isInfinite(maxNorm)) throw new IllegalArgumentException("clip_grad_norm: maxNorm must be finite and > 0, got " + maxNorm);
        List<Tensor> grads = new ArrayList<>();
        double sumSq = 0;
        Tensor onDevice = null;
        for (int k = 0; k < params.size(); k++) {
            Tensor g = Grads.contiguousGrad(names.get(k), params.get(k).get());
            grads.add(g);
            if (g == null) continue;
            if (g.device() != Device.CPU) { // summed on the device: one scalar per gradient, added there, read once
                Tensor sq = Autograd.noGrad(() -> g.mul(g).sum());
                Tensor acc = onDevice;
                onDevice = acc == null ? sq : Autograd.noGrad(() -> acc.add(sq));
                continue;
            }
            sumSq += sumOfSquares(g);
        }
        if (onDevice != null) sumSq += onDevice.item(); // the one device-to-host transfer of the clip
        double norm = Math.sqrt(sumSq);
        if (!Double.isFinite(norm)) throw nonFinite(names, grads, norm);
        double coef = maxNorm / (norm + 1e-6);
        if (coef < 1) {
            for (int k = 0; k < grads.size(); k++) {
                Tensor g = grads.get(k);
                if (g == null) continue;
                if (g.device() != Device.CPU) { // scaled on the device into a new gradient tensor
                    Tensor p = params.get(k).get();
                    p.setGrad(Autograd.noGrad(() -> g.mul(coef)));
                    continue;
                }
                scaleInPlace(g, coef);
            }
        }
        return norm;
    }

    /** float32 gradients go through the SIMD dot product (float lanes summed in blocks, blocks in double). */
    private static double sumOfSquares(Tensor g) {
        Storage s = g.storage();
        if (s.dtype == DType.F32) {
            float[] f = s.readF();
            return VecKernels.dot(f, g.offset(), f, g.offset(), g.numel());
        }
        double sumSq = 0;
        for (int i = g.offset(), end = i + g.numel(); i < end; i++) sumSq += s.get(i) * s.get(i);
        return sumSq;
    }

    private static void scaleInPlace(Tensor g, double coef) {
        Storage s = g.storage();
        if (s.dtype == DType.F32 && g.offset() == 0) {
            VecKernels.scale(s.f(), (float) coef, s.f(), g.numel());
            return;
        }
        for (int i = g.offset(), end = i + g.numel(); i < end; i++) s.set(i, s.get(i) * coef);
    }

    private static ArithmeticException nonFinite(List<String> names, List<Tensor> grads, double norm) {
        for (int k = 0; k < grads.size(); k++) {
            Tensor g = grads.get(k);
            int i = g == null ? -1 : Finite.firstNonFinite(g);
            if (i >= 0) {
                return new ArithmeticException("clip_grad_norm: the total gradient norm is " + norm + "; the gradient of parameter '" + names.get(k)
                        + "' has " + g.storage().get(g.offset() + i) + " at flat index " + i + " (cannot clip; lower the learning rate or check the loss)");
            }
        }
        return new ArithmeticException("clip_grad_norm: the total gradient norm overflowed to " + norm + " although every gradient entry is finite");
    }
}
