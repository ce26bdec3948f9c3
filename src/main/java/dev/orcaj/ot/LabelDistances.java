package dev.orcaj.ot;

import java.util.List;

/**
 * Label-to-label distance matrices W (spec 6.1). Entries are plain numbers: no gradient flows through them
 * (the reference converts each with {@code .item()}).
 */
final class LabelDistances {
    private LabelDistances() {}

    /** W[i][j] = distance(class i of a, class j of b); symmetric: only i < j computed, diagonal 0 (as OTDD). */
    static double[][] pairwise(List<ClassCloud> a, List<ClassCloud> b, boolean symmetric, OtddOptions o) {
        double[][] w = new double[a.size()][b.size()];
        for (int i = 0; i < a.size(); i++) {
            for (int j = symmetric ? i + 1 : 0; j < b.size(); j++) {
                w[i][j] = pair(a.get(i), b.get(j), o);
                if (symmetric) w[j][i] = w[i][j];
            }
        }
        return w;
    }

    static double pair(ClassCloud a, ClassCloud b, OtddOptions o) {
        return o.innerMethod() == OtddOptions.InnerMethod.GAUSSIAN ? Bures.w2Squared(a, b) : exactPair(a, b, o);
    }

    /**
     * Inner problem: geomloss {@code SamplesLoss('sinkhorn', p, cost=||x-y||^p (not halved), blur=entreg^(1/p),
     * debias=innerDebiased)} between two class clouds; its diameter covers the two classes' features only.
     */
    static double exactPair(ClassCloud a, ClassCloud b, OtddOptions o) {
        return exactPair(a, b, o, CostMatrix.build(a.x, null, b.x, null, GroundCost.plain(o.p()), o.precision()));
    }

    /** As above with the cross cost {@code ||a_i - b_j||^p} already built. */
    static double exactPair(ClassCloud a, ClassCloud b, OtddOptions o, CostMatrix cab) {
        double[] eps = pairSchedule(a, b, o);
        CostMatrix cba = cab.transpose();
        CostMatrix caa = o.innerDebiased() ? a.selfCost(o.p(), o.precision()) : null;
        CostMatrix cbb = o.innerDebiased() ? b.selfCost(o.p(), o.precision()) : null;
        return SinkhornSolver.symmetric(cab, cba, caa, cbb, SinkhornSolver.uniformLogWeights(a.x.size()),
                SinkhornSolver.uniformLogWeights(b.x.size()), eps).value();
    }

    /** The epsilon schedule of one inner problem (geomloss, from the two classes' bounding-box diagonal). */
    static double[] pairSchedule(ClassCloud a, ClassCloud b, OtddOptions o) {
        return EpsilonSchedule.geomloss(o.p(), EpsilonSchedule.diagonal(a.box, b.box, null, null), o.blur(), o.scaling());
    }

    /** [[W11, W12], [W12^T, W22]]: the (C1+C2)^2 table of the debiased outer problem. */
    static double[][] block(double[][] w11, double[][] w12, double[][] w22) {
        int c1 = w11.length, c2 = w22.length;
        double[][] w = new double[c1 + c2][c1 + c2];
        for (int i = 0; i < c1; i++) {
            System.arraycopy(w11[i], 0, w[i], 0, c1);
            System.arraycopy(w12[i], 0, w[i], c1, c2);
            for (int j = 0; j < c2; j++) w[c1 + j][i] = w12[i][j];
        }
        for (int j = 0; j < c2; j++) System.arraycopy(w22[j], 0, w[c1 + j], c1, c2);
        return w;
    }
}
