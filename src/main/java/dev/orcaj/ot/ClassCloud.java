package dev.orcaj.ot;

import org.ejml.data.DMatrixRMaj;

/**
 * The points of one class plus what label-distance computations reuse across class pairs: the bounding box,
 * the self-cost matrix of the inner Sinkhorn (built once per class instead of once per pair as in the
 * reference, same numbers), and the Gaussian moments with the covariance square root.
 */
final class ClassCloud {
    final PointCloud x;
    final double[][] box;
    private CostMatrix selfCost;
    private int selfCostP;
    private double[] mean;
    private DMatrixRMaj cov, sqrtCov;

    ClassCloud(PointCloud x) {
        this.x = x;
        this.box = x.boundingBox();
    }

    static java.util.List<ClassCloud> split(LabelledPoints data) {
        java.util.List<ClassCloud> out = new java.util.ArrayList<>();
        for (int c = 0; c < data.numClasses(); c++) out.add(new ClassCloud(data.points().rows(data.rowsOf(c))));
        return out;
    }

    /** {@code ||x_i - x_j||^p} over this class, in the requested precision (cached). */
    synchronized CostMatrix selfCost(int p, Precision precision) {
        if (selfCost == null || selfCostP != p || selfCost.precision() != precision) {
            selfCost = CostMatrix.build(x, null, x, null, GroundCost.plain(p), precision);
            selfCostP = p;
        }
        return selfCost;
    }

    synchronized double[] mean() {
        if (mean == null) computeMoments();
        return mean;
    }

    synchronized DMatrixRMaj cov() {
        if (cov == null) computeMoments();
        return cov;
    }

    synchronized DMatrixRMaj sqrtCov() {
        if (sqrtCov == null) sqrtCov = Bures.sqrtPsd(cov());
        return sqrtCov;
    }

    /** Mean and unbiased covariance (1/(n-1)), as OTDD's label statistics. */
    private void computeMoments() {
        int n = x.size(), d = x.dim();
        if (n < 2) throw new IllegalArgumentException("gaussian label distance: a class needs >= 2 rows, got " + n);
        mean = new double[d];
        for (int i = 0; i < n; i++) for (int k = 0; k < d; k++) mean[k] += x.get(i, k);
        for (int k = 0; k < d; k++) mean[k] /= n;
        cov = new DMatrixRMaj(d, d);
        double[] row = new double[d];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < d; k++) row[k] = x.get(i, k) - mean[k];
            for (int a = 0; a < d; a++) for (int b = a; b < d; b++) cov.data[a * d + b] += row[a] * row[b];
        }
        for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
                double v = cov.data[a * d + b] / (n - 1);
                cov.data[a * d + b] = v;
                cov.data[b * d + a] = v;
            }
        }
    }
}
