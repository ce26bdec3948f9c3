package dev.orcaj.tensor;

/** Non-finite detection for training loops: a NaN/Inf loss or gradient should stop a run with a precise message. */
public final class Finite {
    private Finite() {}

    /** Index (row-major) of the first NaN/Inf element, or -1 when all are finite. */
    public static int firstNonFinite(Tensor t) {
        Tensor c = t.contiguous();
        Storage s = c.storage();
        int n = c.numel(), o = c.offset();
        for (int i = 0; i < n; i++) if (!Double.isFinite(s.get(o + i))) return i;
        return -1;
    }

    /** Throws an {@link ArithmeticException} naming {@code what} and the first bad element. */
    public static Tensor check(String what, Tensor t) {
        int i = firstNonFinite(t);
        if (i >= 0) {
            throw new ArithmeticException(what + " has a non-finite value " + t.contiguous().storage().get(t.contiguous().offset() + i)
                    + " at flat index " + i + " (shape " + Shape.str(t.shape()) + ")");
        }
        return t;
    }
}
