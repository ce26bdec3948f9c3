package dev.orcaj.tensor;

import dev.orcaj.autograd.Node;
import dev.orcaj.autograd.Ops;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A dense n-dimensional array (F32 or F64) with shape, strides and offset over a shared {@link Storage}, plus the
 * autograd fields. Views (reshape, permute, slice, expand) share storage; every op returns a new tensor. All
 * differentiable operations go through {@link Ops}, which runs the backend and records the tape.
 */
public final class Tensor {
    private final Storage storage;
    private final int[] shape;
    private final int[] strides;
    private final int offset;

    // autograd state (see dev.orcaj.autograd)
    private boolean requiresGrad;
    private Tensor grad;
    private Node gradFn;

    public Tensor(Storage storage, int[] shape, int[] strides, int offset) {
        this.storage = storage;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
    }

    // ---------------------------------------------------------------- factories

    public static Tensor empty(DType dtype, int... shape) {
        return new Tensor(Storage.allocate(dtype, Shape.numel(shape)), shape.clone(), Shape.contiguousStrides(shape), 0);
    }

    public static Tensor zeros(int... shape) { return empty(DType.F32, shape); }

    public static Tensor zeros(DType dtype, int... shape) { return empty(dtype, shape); }

    /** F32 zeros resident on {@code device} (filled there: nothing crosses the bus). */
    public static Tensor zeros(Device device, int... shape) {
        if (device == Device.CPU) return zeros(shape);
        int n = Shape.numel(shape);
        return new Tensor(Storage.onDevice(device.allocateZeros(n), n), shape.clone(), Shape.contiguousStrides(shape), 0);
    }

    public static Tensor full(DType dtype, double value, int... shape) {
        Tensor t = empty(dtype, shape);
        if (dtype == DType.F32) Arrays.fill(t.storage.f(), (float) value); else Arrays.fill(t.storage.d, value);
        return t;
    }

    public static Tensor ones(int... shape) { return full(DType.F32, 1, shape); }

    public static Tensor scalar(double v) { return full(DType.F32, v); }

    public static Tensor of(float[] data, int... shape) {
        checkLength(data.length, shape);
        return new Tensor(Storage.wrap(data), shape.clone(), Shape.contiguousStrides(shape), 0);
    }

    public static Tensor of(double[] data, int... shape) {
        checkLength(data.length, shape);
        return new Tensor(Storage.wrap(data), shape.clone(), Shape.contiguousStrides(shape), 0);
    }

    private static void checkLength(int len, int[] shape) {
        if (len != Shape.numel(shape)) {
            throw new IllegalArgumentException("data length " + len + " does not match shape " + Shape.str(shape) + " (" + Shape.numel(shape) + " elements)");
        }
    }

    /** Standard normal entries times {@code std}, from a seeded generator (Box-Muller, deterministic). */
    public static Tensor randn(DType dtype, SplittableRandom rng, double std, int... shape) {
        Tensor t = empty(dtype, shape);
        int n = t.numel();
        for (int i = 0; i < n; i += 2) {
            double u1 = 1.0 - rng.nextDouble(), u2 = rng.nextDouble();
            double r = Math.sqrt(-2 * Math.log(u1));
            t.storage.set(i, std * r * Math.cos(2 * Math.PI * u2));
            if (i + 1 < n) t.storage.set(i + 1, std * r * Math.sin(2 * Math.PI * u2));
        }
        return t;
    }

    /** Uniform entries in [lo, hi). */
    public static Tensor rand(DType dtype, SplittableRandom rng, double lo, double hi, int... shape) {
        Tensor t = empty(dtype, shape);
        for (int i = 0; i < t.numel(); i++) t.storage.set(i, lo + (hi - lo) * rng.nextDouble());
        return t;
    }

    // ---------------------------------------------------------------- raw access (backends, io)

    public Storage storage() { return storage; }

    public int[] shape() { return shape.clone(); }

    public int[] strides() { return strides.clone(); }

    public int offset() { return offset; }

    public int shape(int axis) { return shape[Shape.axis("shape", axis, shape.length)]; }

    public int rank() { return shape.length; }

    public int numel() { return Shape.numel(shape); }

    public DType dtype() { return storage.dtype; }

    /** True when elements are laid out row-major without gaps starting at {@link #offset()}. */
    public boolean isContiguous() {
        int s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && strides[i] != s) return false;
            s *= shape[i];
        }
        return true;
    }

    /** Storage index of a multi-index. */
    public int index(int... idx) {
        if (idx.length != shape.length) throw new IllegalArgumentException("index rank " + idx.length + " != tensor rank " + shape.length);
        int p = offset;
        for (int i = 0; i < idx.length; i++) {
            if (idx[i] < 0 || idx[i] >= shape[i]) throw new IndexOutOfBoundsException("index " + Arrays.toString(idx) + " out of bounds for shape " + Shape.str(shape));
            p += idx[i] * strides[i];
        }
        return p;
    }

    public double get(int... idx) { return storage.get(index(idx)); }

    public void set(double v, int... idx) { storage.set(index(idx), v); }

    public double item() {
        if (numel() != 1) throw new IllegalStateException("item(): tensor of shape " + Shape.str(shape) + " has " + numel() + " elements");
        return storage.get(offset);
    }

    /** A contiguous row-major copy of the data as float32 (always a fresh array). */
    public float[] toFloatArray() {
        Tensor c = Ops.contiguousData(this);
        float[] out = new float[c.numel()];
        if (c.dtype() == DType.F32) System.arraycopy(c.storage.readF(), c.offset, out, 0, out.length);
        else for (int i = 0; i < out.length; i++) out[i] = (float) c.storage.d[c.offset + i];
        return out;
    }

    /** A contiguous row-major copy of the data as float64 (always a fresh array). */
    public double[] toDoubleArray() {
        Tensor c = Ops.contiguousData(this);
        double[] out = new double[c.numel()];
        for (int i = 0; i < out.length; i++) out[i] = c.storage.get(c.offset + i);
        return out;
    }

    // ---------------------------------------------------------------- autograd

    public boolean requiresGrad() { return requiresGrad; }

    /** Marks a leaf as trainable; returns this. */
    public Tensor requiresGrad(boolean on) {
        if (gradFn != null && !on) throw new IllegalStateException("cannot clear requiresGrad on a non-leaf tensor; use detach()");
        this.requiresGrad = on;
        return this;
    }

    public Tensor grad() { return grad; }

    public void setGrad(Tensor g) {
        this.grad = g;
        if (g != null) BufferPool.gradientSet(this, g); // a gradient still attached when a step closes outlives it
    }

    public void zeroGrad() { this.grad = null; }

    public Node gradFn() { return gradFn; }

    /** Set by {@link Ops} when recording; not for user code. */
    public void attach(Node node) {
        this.gradFn = node;
        this.requiresGrad = true;
    }

    /** Reverse-mode gradient of this scalar with respect to every leaf that requires grad. */
    public void backward() { dev.orcaj.autograd.Autograd.backward(this, null); }

    public void backward(Tensor seed) { dev.orcaj.autograd.Autograd.backward(this, seed); }

    /** Same data, cut from the tape. */
    public Tensor detach() { return new Tensor(storage, shape, strides, offset); }

    // ---------------------------------------------------------------- views (zero-copy, differentiable)

    public Tensor reshape(int... newShape) { return Ops.reshape(this, newShape); }

    public Tensor permute(int... perm) { return Ops.permute(this, perm); }

    public Tensor transpose(int a, int b) {
        int[] p = new int[rank()];
        for (int i = 0; i < p.length; i++) p[i] = i;
        a = Shape.axis("transpose", a, rank());
        b = Shape.axis("transpose", b, rank());
        p[a] = b;
        p[b] = a;
        return permute(p);
    }

    /** Elements [start, end) along an axis. */
    public Tensor slice(int axis, int start, int end) { return Ops.slice(this, axis, start, end); }

    public Tensor expand(int... newShape) { return Ops.expand(this, newShape); }

    public Tensor unsqueeze(int axis) {
        int a = axis < 0 ? axis + rank() + 1 : axis;
        int[] s = new int[rank() + 1];
        for (int i = 0, j = 0; i < s.length; i++) s[i] = i == a ? 1 : shape[j++];
        return reshape(s);
    }

    public Tensor squeeze(int axis) {
        int a = Shape.axis("squeeze", axis, rank());
        if (shape[a] != 1) throw new IllegalArgumentException("squeeze: axis " + axis + " has size " + shape[a] + " in " + Shape.str(shape));
        int[] s = new int[rank() - 1];
        for (int i = 0, j = 0; i < shape.length; i++) if (i != a) s[j++] = shape[i];
        return reshape(s);
    }

    /** Merges axes [from, to] (inclusive) into one. */
    public Tensor flatten(int from, int to) {
        from = Shape.axis("flatten", from, rank());
        to = Shape.axis("flatten", to, rank());
        int[] s = new int[rank() - (to - from)];
        int j = 0;
        for (int i = 0; i < from; i++) s[j++] = shape[i];
        int m = 1;
        for (int i = from; i <= to; i++) m *= shape[i];
        s[j++] = m;
        for (int i = to + 1; i < rank(); i++) s[j++] = shape[i];
        return reshape(s);
    }

    public Tensor contiguous() { return isContiguous() ? this : Ops.copy(this); }

    public Tensor to(DType dtype) { return dtype == dtype() ? this : Ops.cast(this, dtype); }

    /** This tensor on {@code device}: itself when already there, else a contiguous copy (differentiable). */
    public Tensor to(Device device) { return Ops.toDevice(this, device); }

    /** Where the data lives (the storage's device). */
    public Device device() { return storage.device(); }

    // ---------------------------------------------------------------- elementwise

    public Tensor add(Tensor o) { return Ops.binary(Ops.Binary.ADD, this, o); }

    public Tensor sub(Tensor o) { return Ops.binary(Ops.Binary.SUB, this, o); }

    public Tensor mul(Tensor o) { return Ops.binary(Ops.Binary.MUL, this, o); }

    public Tensor div(Tensor o) { return Ops.binary(Ops.Binary.DIV, this, o); }

    public Tensor add(double c) { return Ops.affine(this, 1, c); }

    public Tensor sub(double c) { return Ops.affine(this, 1, -c); }

    public Tensor mul(double c) { return Ops.affine(this, c, 0); }

    public Tensor div(double c) { return Ops.affine(this, 1 / c, 0); }

    public Tensor neg() { return Ops.affine(this, -1, 0); }

    public Tensor exp() { return Ops.unary(Ops.Unary.EXP, this); }

    public Tensor log() { return Ops.unary(Ops.Unary.LOG, this); }

    public Tensor sqrt() { return Ops.unary(Ops.Unary.SQRT, this); }

    public Tensor rsqrt() { return Ops.unary(Ops.Unary.RSQRT, this); }

    public Tensor tanh() { return Ops.unary(Ops.Unary.TANH, this); }

    public Tensor erf() { return Ops.unary(Ops.Unary.ERF, this); }

    public Tensor relu() { return Ops.unary(Ops.Unary.RELU, this); }

    /** GELU in the exact erf form x/2 (1 + erf(x/sqrt 2)), as BERT/RoBERTa/Swin use it. */
    public Tensor gelu() { return Ops.unary(Ops.Unary.GELU, this); }

    public Tensor sigmoid() { return Ops.unary(Ops.Unary.SIGMOID, this); }

    public Tensor abs() { return Ops.unary(Ops.Unary.ABS, this); }

    public Tensor square() { return mul(this); }

    public Tensor pow(double p) { return Ops.pow(this, p); }

    public Tensor clamp(double lo, double hi) { return Ops.clamp(this, lo, hi); }

    /** Where mask (non-zero) is set, {@code value}; elsewhere this. Mask broadcasts against this. */
    public Tensor maskedFill(Tensor mask, double value) {
        return Ops.where(mask, full(dtype(), value), this);
    }

    // ---------------------------------------------------------------- reductions

    public Tensor sum(int... axes) { return Ops.reduce(Ops.Reduce.SUM, this, axes, false); }

    public Tensor sumKeep(int... axes) { return Ops.reduce(Ops.Reduce.SUM, this, axes, true); }

    public Tensor max(int... axes) { return Ops.reduce(Ops.Reduce.MAX, this, axes, false); }

    public Tensor maxKeep(int... axes) { return Ops.reduce(Ops.Reduce.MAX, this, axes, true); }

    public Tensor mean(int... axes) { return Ops.mean(this, axes, false); }

    public Tensor meanKeep(int... axes) { return Ops.mean(this, axes, true); }

    /** Population variance (divide by n) over the axes, as LayerNorm uses it. */
    public Tensor var(int... axes) {
        Tensor centered = sub(meanKeep(axes));
        return centered.square().mean(axes);
    }

    /** log(sum(exp(x))) over the axes, stabilized by the detached max. */
    public Tensor logSumExp(int... axes) {
        Tensor m = maxKeep(axes).detach();
        return sub(m).exp().sumKeep(axes).log().add(m).sum(axes);
    }

    /** Indices of the maximum along an axis (first on ties); not differentiable. */
    public int[] argmax(int axis) { return Ops.argmax(this, axis); }

    // ---------------------------------------------------------------- linear algebra, nn primitives

    /** Matrix product over the last two axes; leading axes broadcast. Transposed views are used without copies. */
    public Tensor matmul(Tensor o) { return Ops.matmul(this, o); }

    public Tensor softmax() { return Ops.softmax(this, false); }

    public Tensor logSoftmax() { return Ops.softmax(this, true); }

    /** LayerNorm over the last axis; gamma/beta of shape [last] or null. */
    public Tensor layerNorm(Tensor gamma, Tensor beta, double eps) { return Ops.layerNorm(this, gamma, beta, eps); }

    @Override
    public String toString() {
        return "Tensor" + Shape.str(shape) + " " + dtype() + (requiresGrad ? " requiresGrad" : "");
    }
}
