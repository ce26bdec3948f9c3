package dev.orcaj.ot;

/**
 * Ground cost {@code c(x_i, y_j) = featureScale * ||x_i - y_j||^p + labelScale * labelTable[lx_i][ly_j]} with
 * p in {1, 2}. geomloss's p=2 cost is {@code featureScale = 1/2}; OTDD's augmented cost is
 * {@code lambda_x/p * ||x - x'||^p + lambda_y/p * W[y, y']} (spec 6.2). {@code labelTable} may be null (no label
 * term); then labels are ignored.
 */
public record GroundCost(int p, double featureScale, double[][] labelTable, double labelScale) {
    public GroundCost {
        if (p != 1 && p != 2) throw new IllegalArgumentException("ground cost: p must be 1 or 2, got " + p);
        if (!(featureScale >= 0) || !Double.isFinite(featureScale)) {
            throw new IllegalArgumentException("ground cost: feature scale must be finite and >= 0, got " + featureScale);
        }
        if (!Double.isFinite(labelScale)) throw new IllegalArgumentException("ground cost: label scale must be finite");
    }

    /** geomloss {@code cost_routines[p]}: ||x-y||^2 / 2 for p=2, ||x-y|| for p=1. */
    public static GroundCost geomloss(int p) { return new GroundCost(p, p == 2 ? 0.5 : 1.0, null, 0); }

    /** Plain ||x-y||^p (the cost OTDD's inner problem passes to geomloss). */
    public static GroundCost plain(int p) { return new GroundCost(p, 1.0, null, 0); }

    boolean hasLabels() { return labelTable != null && labelScale != 0; }

    /** The same cost with the label table transposed: the cost of the swapped arguments. */
    GroundCost swapped() {
        if (labelTable == null) return this;
        int r = labelTable.length, c = r == 0 ? 0 : labelTable[0].length;
        double[][] t = new double[c][r];
        for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) t[j][i] = labelTable[i][j];
        return new GroundCost(p, featureScale, t, labelScale);
    }

    /** Combines a squared distance (clamped at 0) and the label entry exactly as the kernels do. */
    double combine(double squaredDistance, int lx, int ly) {
        double sq = Math.max(0.0, squaredDistance);
        double c = featureScale * (p == 2 ? sq : Math.sqrt(sq));
        if (hasLabels()) c += labelScale * labelTable[lx][ly];
        return c;
    }
}
