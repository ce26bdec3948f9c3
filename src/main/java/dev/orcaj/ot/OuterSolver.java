package dev.orcaj.ot;

/**
 * Solves class-wise OTDD's outer problem somewhere else than the host (a GPU, dev.orcaj.backend.cuda.CudaOuterSolver):
 * the debiased symmetric Sinkhorn of {@link SinkhornSolver#symmetric} between the labelled source and target points
 * under {@code cost} (features plus the label-distance table) over the schedule {@code eps}, and the gradient with
 * respect to the target points of {@link SinkhornDivergence#gradientWrtY}. The host code stays its reference.
 */
public interface OuterSolver {
    /** The value and the gradient ([m * d] row-major, null unless requested) of the outer problem. */
    record Solution(double value, double[] gradTarget) {}

    /**
     * {@code source} is the same object on every call of one ClasswiseOtdd (an implementation may keep it resident);
     * labels index the rows and columns of {@code cost}'s label table.
     */
    Solution solve(PointCloud source, int[] sourceLabels, float[] target, int m, int[] targetLabels, GroundCost cost, double[] eps,
                   boolean withGradient);

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
