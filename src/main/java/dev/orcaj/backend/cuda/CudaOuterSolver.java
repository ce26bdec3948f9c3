package dev.orcaj.backend.cuda;

import dev.orcaj.ot.GroundCost;
import dev.orcaj.ot.OuterSolver;
import dev.orcaj.ot.PointCloud;
import dev.orcaj.ot.SinkhornSolver;

/**
 * Class-wise OTDD's outer problem on the GPU (ot.ClasswiseOtdd#useOuterSolver): {@link CudaOt}'s tiled soft-min
 * Sinkhorn (no n x m cost matrix; label-distance table on the device) and OTDD gradient. The source points and
 * labels are uploaded once and stay resident while the same source is asked again (every stage-2 epoch); each call
 * uploads the target class and downloads the gradient.
 */
public final class CudaOuterSolver implements OuterSolver {
    private final CudaOt ot;
    private PointCloud residentSource;
    private CudaOt.Cloud sourceCloud;

    public CudaOuterSolver(CudaDevice device) { this.ot = new CudaOt(device); }

    @Override
    public synchronized Solution solve(PointCloud source, int[] sourceLabels, float[] target, int m, int[] targetLabels, GroundCost cost,
                                       double[] eps, boolean withGradient) {
        if (source != residentSource) {
            if (sourceCloud != null) sourceCloud.close();
            sourceCloud = ot.cloud(OuterSolver.floats(source), source.size(), source.dim(), sourceLabels);
            residentSource = source;
        }
        double[] logA = SinkhornSolver.uniformLogWeights(source.size()), logB = SinkhornSolver.uniformLogWeights(m);
        try (CudaOt.Cloud y = ot.cloud(target, m, source.dim(), targetLabels)) {
            CudaOt.Divergence r = ot.divergence(sourceCloud, logA, y, logB, cost, eps, true, withGradient);
            double[] grad = null;
            if (withGradient) {
                grad = new double[r.gradY().length];
                for (int i = 0; i < grad.length; i++) grad[i] = r.gradY()[i];
            }
            return new Solution(r.value(), grad);
        }
    }
}
