package dev.orcaj.backend.cuda;

import dev.orcaj.ot.GroundCost;
import dev.orcaj.ot.OtddSolver;
import dev.orcaj.ot.PointCloud;
import dev.orcaj.ot.SinkhornSolver;

/**
 * Class-wise OTDD's Sinkhorn problems on the GPU (ot.ClasswiseOtdd#useSolver): {@link CudaOt}'s tiled soft-min
 * Sinkhorn (no n x m cost matrix; label-distance table on the device) and OTDD gradient, for the inner label
 * distances and the outer problem. The source points, labels and per-class clouds are uploaded once and stay
 * resident while the same source is asked again (every stage-2 epoch); a target class is uploaded once per
 * evaluation (shared by its inner and outer problems) and its gradient downloaded.
 */
public final class CudaOtddSolver implements OtddSolver {
    private final CudaOt ot;
    private PointCloud residentSource;
    private CudaOt.Cloud sourceCloud;
    private final java.util.IdentityHashMap<PointCloud, CudaOt.Cloud> classClouds = new java.util.IdentityHashMap<>();
    private float[] residentTarget; // identity of the last target array and its cloud (inner and outer calls share it)
    private int[] residentTargetLabels;
    private CudaOt.Cloud targetCloud;

    public CudaOtddSolver(CudaDevice device) { this.ot = new CudaOt(device); }

    @Override
    public synchronized Solution solve(PointCloud source, int[] sourceLabels, float[] target, int m, int[] targetLabels, GroundCost cost,
                                       double[] eps, boolean withGradient) {
        if (source != residentSource) {
            if (sourceCloud != null) sourceCloud.close();
            sourceCloud = ot.cloud(OtddSolver.floats(source), source.size(), source.dim(), sourceLabels);
            residentSource = source;
        }
        double[] logA = SinkhornSolver.uniformLogWeights(source.size()), logB = SinkhornSolver.uniformLogWeights(m);
        CudaOt.Divergence r = ot.divergence(sourceCloud, logA, target(target, m, source.dim(), targetLabels), logB, cost, eps, true, withGradient);
        double[] grad = null;
        if (withGradient) {
            grad = new double[r.gradY().length];
            for (int i = 0; i < grad.length; i++) grad[i] = r.gradY()[i];
        }
        return new Solution(r.value(), grad);
    }

    @Override
    public synchronized double pairValue(PointCloud sourceClass, float[] target, int m, GroundCost cost, double[] eps, boolean debias) {
        CudaOt.Cloud x = classClouds.computeIfAbsent(sourceClass, c -> ot.cloud(OtddSolver.floats(c), c.size(), c.dim(), null));
        return ot.divergence(x, SinkhornSolver.uniformLogWeights(sourceClass.size()), target(target, m, sourceClass.dim(), null),
                SinkhornSolver.uniformLogWeights(m), cost, eps, debias, false).value();
    }

    /** The target's device cloud, uploaded once per target array (labels only when the outer problem needs them). */
    private CudaOt.Cloud target(float[] t, int m, int d, int[] labels) {
        if (t != residentTarget || (labels != null && residentTargetLabels == null)) {
            if (targetCloud != null) targetCloud.close();
            targetCloud = ot.cloud(t, m, d, labels);
            residentTarget = t;
            residentTargetLabels = labels;
        }
        return targetCloud;
    }
}
