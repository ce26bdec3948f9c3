package dev.orcaj.ot;

/**
 * Solves class-wise OTDD's Sinkhorn problems somewhere else than the host (a GPU, dev.orcaj.backend.cuda.CudaOtddSolver):
 * the inner label distances (one {@link SinkhornSolver#symmetric} value per source class x target class, as
 * LabelDistances.exactPair) and the outer problem (the debiased symmetric Sinkhorn between the labelled source and
 * target points under {@code cost}, features plus the label-distance table, and the gradient with respect to the
 * target points of {@link SinkhornDivergence#gradientWrtY}). The host code stays the reference of both.
 */
public interface OtddSolver {
    /** The value and the gradient ([m * d] row-major, null unless requested) of the outer problem. */
    record Solution(double value, double[] gradTarget) {}

    /**
     * {@code source} is the same object on every call of one ClasswiseOtdd (an implementation may keep it resident);
     * labels index the rows and columns of {@code cost}'s label table.
     */
    Solution solve(PointCloud source, int[] sourceLabels, float[] target, int m, int[] targetLabels, GroundCost cost, double[] eps,
                   boolean withGradient);

    /**
     * One inner label distance: the (debiased when {@code debias}) Sinkhorn value between a source class's points
     * (the same object every call: may stay resident) and target points {@code [m, d]} under {@code cost}.
     */
    double pairValue(PointCloud sourceClass, float[] target, int m, GroundCost cost, double[] eps, boolean debias);

    /** Row-major float copy of a point cloud (for implementations outside this package). */
    static float[] floats(PointCloud p) {
        float[] f = p.floats();
        if (f != null) return f;
        double[] d = p.doubles();
        float[] out = new float[d.length];
        for (int i = 0; i < d.length; i++) out[i] = (float) d[i];
        return out;
    }
}
