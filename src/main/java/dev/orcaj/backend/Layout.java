package dev.orcaj.backend;

import dev.orcaj.tensor.Shape;
import dev.orcaj.tensor.Tensor;

/** Raw layout helpers shared by backends: broadcast views and storage offsets of strided tensors. */
public final class Layout {
    private Layout() {}

    /** A raw (tape-free) view of t broadcast to {@code shape}: size-1 and missing leading axes get stride 0. */
    public static Tensor broadcastTo(Tensor t, int[] shape) {
        int[] ts = t.shape(), st = t.strides();
        int lead = shape.length - ts.length;
        if (lead < 0) throw new IllegalArgumentException("cannot broadcast " + Shape.str(ts) + " to " + Shape.str(shape));
        int[] out = new int[shape.length];
        for (int i = 0; i < shape.length; i++) {
            if (i < lead) continue;
            int d = ts[i - lead];
            if (d == shape[i]) out[i] = st[i - lead];
            else if (d == 1) out[i] = 0;
            else throw new IllegalArgumentException("cannot broadcast " + Shape.str(ts) + " to " + Shape.str(shape));
        }
        return new Tensor(t.storage(), shape.clone(), out, t.offset());
    }

    /** Storage offset of every element in row-major order. */
    public static int[] offsets(Tensor t) {
        int[] shape = t.shape(), st = t.strides();
        int n = t.numel();
        int[] out = new int[n];
        int[] idx = new int[shape.length];
        int p = t.offset();
        for (int i = 0; i < n; i++) {
            out[i] = p;
            for (int d = shape.length - 1; d >= 0; d--) {
                idx[d]++;
                p += st[d];
                if (idx[d] < shape[d]) break;
                p -= st[d] * shape[d];
                idx[d] = 0;
            }
        }
        return out;
    }

    /** The shape of a [.., last] tensor seen as rows x last. */
    public static int rows(Tensor t) {
        int last = t.shape(-1);
        return last == 0 ? 0 : t.numel() / last;
    }
}
