package dev.orcaj.ot;

/**
 * geomloss-0.2.x {@code SamplesLoss('sinkhorn', p, blur, scaling, debias, backend='tensorized')} on two point
 * clouds with any {@link GroundCost}, plus the gradient with respect to the target points {@code y}.
 * <p>Gradient (envelope theorem, spec 6.3): the loop runs without autograd and geomloss builds
 * {@code C_yx = cost(y, x.detach())}, {@code C_yy = cost(y, y.detach())}, so only the first argument of the
 * last extrapolation's soft-mins carries gradient: for p=2,
 * {@code dS/dy_j = b_j 2s [ (y_j - sum_i P_ji x_i) - (y_j - sum_k Q_jk y_k) ]} where {@code s} is the
 * feature scale and P, Q are the soft-max weights of the last soft-min over {@code C_yx} and {@code C_yy}
 * (the second term only when debiased). Label terms of the cost do not depend on {@code y}.
 */
public final class SinkhornDivergence {
    private SinkhornDivergence() {}

    /** Settings; {@code diameter} NaN = computed from the points (geomloss default). */
    public record Options(int p, double blur, double scaling, double diameter, boolean debias, Precision precision) {
        public static Options geomlossDefaults(Precision precision) {
            return new Options(2, 0.05, 0.5, Double.NaN, true, precision);
        }

        public Options withBlur(double b) { return new Options(p, b, scaling, diameter, debias, precision); }

        public Options withDebias(boolean d) { return new Options(p, blur, scaling, diameter, d, precision); }
    }

    /** Value, potentials and (if requested) the gradient with respect to y, {@code m x d} row-major. */
    public record Result(SinkhornResult solve, double[] gradY, double[] epsilons) {
        public double value() { return solve.value(); }
    }

    /** Uniform weights, cost {@link GroundCost#geomloss(int)}. */
    public static Result compute(PointCloud x, PointCloud y, Options o, boolean withGradient) {
        return compute(x, null, SinkhornSolver.uniformLogWeights(x.size()), y, null,
                SinkhornSolver.uniformLogWeights(y.size()), GroundCost.geomloss(o.p()), o, withGradient);
    }

    public static Result compute(PointCloud x, int[] lx, double[] logA, PointCloud y, int[] ly, double[] logB,
                                 GroundCost cost, Options o, boolean withGradient) {
        double diameter = Double.isNaN(o.diameter()) ? EpsilonSchedule.diameter(x, y) : o.diameter();
        double[] eps = EpsilonSchedule.geomloss(o.p(), diameter, o.blur(), o.scaling());
        return compute(x, lx, logA, y, ly, logB, cost, eps, o.debias(), o.precision(), withGradient);
    }

    /** With an explicit epsilon list (one Sinkhorn iteration per entry, then the extrapolation step). */
    public static Result compute(PointCloud x, int[] lx, double[] logA, PointCloud y, int[] ly, double[] logB,
                                 GroundCost cost, double[] eps, boolean debias, Precision precision, boolean withGradient) {
        CostMatrix cxy = CostMatrix.build(x, lx, y, ly, cost, precision);
        CostMatrix cyx = cxy.transpose();
        CostMatrix cxx = debias ? CostMatrix.build(x, lx, x, lx, cost, precision) : null;
        CostMatrix cyy = debias ? CostMatrix.build(y, ly, y, ly, cost, precision) : null;
        SinkhornResult r = SinkhornSolver.symmetric(cxy, cyx, cxx, cyy, logA, logB, eps, null,
                withGradient ? x : null, withGradient ? y : null);
        double[] grad = withGradient ? gradientWrtY(r, cyx, cyy, x, y, logB, cost) : null;
        return new Result(r, grad, eps);
    }

    /**
     * The entropic plan of the cross problem, {@code pi_ij = a_i b_j exp((f_i + g_j - C_ij)/eps)} (n x m,
     * float64) from a result of {@link #compute} with the same inputs.
     */
    public static double[] plan(PointCloud x, int[] lx, double[] logA, PointCloud y, int[] ly, double[] logB,
                                GroundCost cost, Precision precision, SinkhornResult r) {
        return CostMatrix.build(x, lx, y, ly, cost, precision).plan(r.finalEps(), logA, r.fBA(), logB, r.gAB());
    }

    /** The gradient formula of the class comment; needs p = 2. */
    static double[] gradientWrtY(SinkhornResult r, CostMatrix cyx, CostMatrix cyy, PointCloud x, PointCloud y,
                                 double[] logB, GroundCost cost) {
        if (cost.p() != 2) throw new UnsupportedOperationException("sinkhorn gradient: only p=2 is implemented");
        int m = y.size(), d = y.dim();
        double eps = r.finalEps();
        double[] px = r.barycentresYX != null ? r.barycentresYX : cyx.softmaxTimes(eps, r.hYX, x);
        double[] qy = !r.debiased() ? null : r.barycentresYY != null ? r.barycentresYY : cyy.softmaxTimes(eps, r.hYY, y);
        double[] g = new double[m * d];
        double twoS = 2 * cost.featureScale();
        for (int j = 0; j < m; j++) {
            double bj = Math.exp(logB[j]) * twoS;
            for (int k = 0; k < d; k++) {
                int t = j * d + k;
                g[t] = bj * (qy != null ? qy[t] - px[t] : y.get(j, k) - px[t]);
            }
        }
        return g;
    }
}
