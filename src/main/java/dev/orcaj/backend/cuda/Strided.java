package dev.orcaj.backend.cuda;

import dev.orcaj.tensor.Tensor;

/**
 * A tensor view prepared for the device: the storage span it touches (uploaded as one block) and the kernel-side
 * {@code View} struct of common.cuh packed as ints {rank, shape[8], stride[8], offset} with the offset relative
 * to the span's start. Views with negative strides or more than 8 axes are not stageable ({@link #of} is null).
 */
record Strided(int spanStart, int spanLength, int[] view) {
    static final int MAX_RANK = 8;

    static Strided of(Tensor t) {
        int[] shape = t.shape(), st = t.strides();
        if (shape.length > MAX_RANK) return null;
        int hi = t.offset();
        for (int d = 0; d < shape.length; d++) {
            if (st[d] < 0) return null;
            if (shape[d] > 1) hi += (shape[d] - 1) * st[d];
        }
        int len = t.numel() == 0 ? 0 : hi - t.offset() + 1;
        int[] v = new int[2 * MAX_RANK + 2];
        v[0] = shape.length;
        for (int d = 0; d < shape.length; d++) {
            v[1 + d] = shape[d];
            v[1 + MAX_RANK + d] = st[d];
        }
        v[2 * MAX_RANK + 1] = 0;
        return new Strided(t.offset(), len, v);
    }

    /** The View struct of an arbitrary layout (shape, element strides, element offset). */
    static int[] view(int[] shape, int[] strides, int offset) {
        int[] v = new int[2 * MAX_RANK + 2];
        v[0] = shape.length;
        for (int d = 0; d < shape.length; d++) {
            v[1 + d] = shape[d];
            v[1 + MAX_RANK + d] = strides[d];
        }
        v[2 * MAX_RANK + 1] = offset;
        return v;
    }

    /** The View of n contiguous elements from element 0 (rank 1: row-major order is all a contiguous view needs). */
    static int[] contiguous(int n) {
        int[] v = new int[2 * MAX_RANK + 2];
        v[0] = 1;
        v[1] = n;
        v[1 + MAX_RANK] = 1;
        return v;
    }
}
