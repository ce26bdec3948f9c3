package dev.orcaj.backend.cpu;

import dev.orcaj.backend.BinaryOp;
import dev.orcaj.tensor.DType;
import dev.orcaj.tensor.Tensor;

/**
 * F32 elementwise loops over arbitrary strides. Axes are first coalesced (adjacent axes that are contiguous with
 * each other in every operand become one), so common layouts reduce to one long inner loop with constant
 * strides, which C2 vectorizes for the unit-stride cases; outer rows are split over {@link CpuPool}.
 */
final class StridedLoops {
    private StridedLoops() {}

    /** Contiguous copy of an F32 tensor. */
    static Tensor copy(Tensor a) {
        Tensor out = Tensor.empty(DType.F32, a.shape());
        float[] src = a.storage().readF(), dst = out.storage().f();
        if (a.isContiguous()) {
            System.arraycopy(src, a.offset(), dst, 0, dst.length);
            return out;
        }
        Coalesced c = Coalesced.of(a.shape(), a.strides());
        int inner = c.inner(), sa = c.innerStride(0);
        CpuPool.parallelFor(0, c.outerCount(), Math.max(1, (1 << 15) / Math.max(inner, 1)), (lo, hi) -> {
            for (int row = lo; row < hi; row++) {
                int pa = a.offset() + c.outerOffset(row, 0), po = row * inner;
                if (sa == 1) System.arraycopy(src, pa, dst, po, inner);
                else for (int i = 0; i < inner; i++) dst[po + i] = src[pa + i * sa];
            }
        });
        return out;
    }

    /** out = op(a, b) where a and b are already broadcast views of the output shape. */
    static Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        Tensor out = Tensor.empty(DType.F32, a.shape());
        float[] x = a.storage().readF(), y = b.storage().readF(), z = out.storage().f();
        Coalesced c = Coalesced.of(a.shape(), a.strides(), b.strides());
        int inner = c.inner(), sa = c.innerStride(0), sb = c.innerStride(1);
        CpuPool.parallelFor(0, c.outerCount(), Math.max(1, (1 << 15) / Math.max(inner, 1)), (lo, hi) -> {
            for (int row = lo; row < hi; row++) {
                int pa = a.offset() + c.outerOffset(row, 0), pb = b.offset() + c.outerOffset(row, 1), po = row * inner;
                if (sa == 1 && sb == 1) contiguous(op, x, pa, y, pb, z, po, inner);
                else if (sa == 1 && sb == 0) scalarRight(op, x, pa, y[pb], z, po, inner);
                else for (int i = 0; i < inner; i++) z[po + i] = apply(op, x[pa + i * sa], y[pb + i * sb]);
            }
        });
        return out;
    }

    private static float apply(BinaryOp op, float a, float b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
        };
    }

    private static void contiguous(BinaryOp op, float[] x, int px, float[] y, int py, float[] z, int pz, int n) {
        switch (op) {
            case ADD -> { for (int i = 0; i < n; i++) z[pz + i] = x[px + i] + y[py + i]; }
            case SUB -> { for (int i = 0; i < n; i++) z[pz + i] = x[px + i] - y[py + i]; }
            case MUL -> { for (int i = 0; i < n; i++) z[pz + i] = x[px + i] * y[py + i]; }
            case DIV -> { for (int i = 0; i < n; i++) z[pz + i] = x[px + i] / y[py + i]; }
        }
    }

    private static void scalarRight(BinaryOp op, float[] x, int px, float s, float[] z, int pz, int n) {
        switch (op) {
            case ADD -> { for (int i = 0; i < n; i++) z[pz + i] = x[px + i] + s; }
            case SUB -> { for (int i = 0; i < n; i++) z[pz + i] = x[px + i] - s; }
            case MUL -> { for (int i = 0; i < n; i++) z[pz + i] = x[px + i] * s; }
            case DIV -> { for (int i = 0; i < n; i++) z[pz + i] = x[px + i] / s; }
        }
    }

    /**
     * A shape with per-operand strides after merging adjacent axes that are contiguous in all operands (and dropping
     * size-1 axes). The last merged axis is the inner loop; the rest are "outer rows" enumerated by index.
     */
    record Coalesced(int[] shape, int[][] strides) {
        static Coalesced of(int[] shape, int[]... strides) {
            int n = strides.length;
            int[] s = new int[shape.length];
            int[][] st = new int[n][shape.length];
            int r = 0;
            for (int d = 0; d < shape.length; d++) {
                if (shape[d] == 1) continue;
                boolean merge = r > 0;
                for (int k = 0; k < n && merge; k++) merge = st[k][r - 1] == strides[k][d] * shape[d];
                if (merge) {
                    s[r - 1] *= shape[d];
                    for (int k = 0; k < n; k++) st[k][r - 1] = strides[k][d];
                } else {
                    s[r] = shape[d];
                    for (int k = 0; k < n; k++) st[k][r] = strides[k][d];
                    r++;
                }
            }
            if (r == 0) return new Coalesced(new int[] {1}, new int[n][1]); // a single element
            int[] fs = java.util.Arrays.copyOf(s, r);
            int[][] fst = new int[n][];
            for (int k = 0; k < n; k++) fst[k] = java.util.Arrays.copyOf(st[k], r);
            return new Coalesced(fs, fst);
        }

        int inner() { return shape[shape.length - 1]; }

        int innerStride(int operand) { return strides[operand][shape.length - 1]; }

        int outerCount() {
            int c = 1;
            for (int d = 0; d < shape.length - 1; d++) c *= shape[d];
            return c;
        }

        /** Storage offset (relative to the tensor's offset) of the start of an outer row. */
        int outerOffset(int row, int operand) {
            int off = 0;
            for (int d = shape.length - 2; d >= 0; d--) {
                off += (row % shape[d]) * strides[operand][d];
                row /= shape[d];
            }
            return off;
        }
    }
}
