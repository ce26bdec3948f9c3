package dev.orcaj.optim;

import dev.orcaj.autograd.Autograd;
import dev.orcaj.tensor.Shape;
import dev.orcaj.tensor.Tensor;

import java.util.Arrays;

/** Access to a parameter's gradient as a contiguous buffer of the parameter's dtype, safe to update in place. */
final class Grads {
    private Grads() {}

    /**
     * The gradient of {@code param} (null when it has none), made contiguous and of the parameter's dtype; a
     * replaced gradient is stored back with {@link Tensor#setGrad} so in-place edits (clipping, averaging) stick.
     */
    static Tensor contiguousGrad(String name, Tensor param) {
        Tensor g = param.grad();
        if (g == null) return null;
        if (!Arrays.equals(g.shape(), param.shape())) {
            throw new IllegalStateException("parameter '" + name + "': gradient shape " + Shape.str(g.shape()) + " differs from parameter shape " + Shape.str(param.shape()));
        }
        if (g.isContiguous() && g.dtype() == param.dtype()) return g;
        // a cast or a contiguous copy always allocates, so the fixed gradient never aliases the original's storage
        Tensor fixed = Autograd.noGrad(() -> g.to(param.dtype()).contiguous().detach());
        param.setGrad(fixed);
        return fixed;
    }

    /** A fresh contiguous copy with the same dtype and shape. */
    static Tensor copy(Tensor t) {
        Tensor c = t.contiguous();
        int n = c.numel(), o = c.offset();
        return switch (c.dtype()) {
            case F32 -> Tensor.of(Arrays.copyOfRange(c.storage().readF(), o, o + n), c.shape());
            case F64 -> Tensor.of(Arrays.copyOfRange(c.storage().d, o, o + n), c.shape());
        };
    }
}
