package dev.orcaj.nn;

import dev.orcaj.tensor.DType;
import dev.orcaj.tensor.Device;
import dev.orcaj.tensor.Shape;
import dev.orcaj.tensor.Tensor;

import java.util.Arrays;

/**
 * A named slot holding a trainable tensor (or, with {@code buffer = true}, a non-trainable state tensor such as
 * a position-id table). The slot lets checkpoints, dtype changes and optimizers replace or update the value
 * without modules holding stale references.
 */
public final class Parameter {
    private Tensor value;
    private final boolean buffer;

    Parameter(Tensor value, boolean buffer) {
        this.buffer = buffer;
        set(value);
    }

    public Tensor get() { return value; }

    public boolean isBuffer() { return buffer; }

    public boolean trainable() { return !buffer && value.requiresGrad(); }

    /** Freezes or unfreezes (e.g. LayerNorm-only fine-tuning freezes everything else). */
    public void setTrainable(boolean on) {
        if (buffer && on) throw new IllegalStateException("a buffer cannot be trainable");
        value.requiresGrad(on);
    }

    /**
     * Replaces the value; the new tensor is a fresh leaf with the same trainability, on the device of the old
     * value (a host snapshot restored into a model on a GPU goes to the GPU).
     */
    public void set(Tensor t) {
        boolean train = value == null ? !buffer : value.requiresGrad();
        if (value != null && t.device() != value.device()) t = t.detach().to(value.device());
        Tensor leaf = t.detach().contiguous();
        if (leaf == t) leaf = t.detach();
        leaf.requiresGrad(train);
        value = leaf;
    }

    /** Copies values from {@code t} after checking the shape; {@code name} is used in the error. */
    public void load(String name, Tensor t) {
        if (!Arrays.equals(t.shape(), value.shape())) {
            throw new IllegalArgumentException("tensor '" + name + "': expected shape " + Shape.str(value.shape()) + ", found " + Shape.str(t.shape()));
        }
        set(t.to(value.dtype()));
    }

    void to(DType dtype) { if (value.dtype() != dtype) set(value.to(dtype)); }

    /** Moves the value's storage to {@code device} in place (the leaf, its trainability and views stay). */
    void to(Device device) { value.storage().moveTo(device); }
}
