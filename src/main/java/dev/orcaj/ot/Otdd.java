package dev.orcaj.ot;

import java.util.ArrayList;
import java.util.List;

/**
 * Optimal transport dataset distance (Alvarez-Melis and Fusi 2020) as implemented by microsoft/otdd +
 * geomloss 0.2.x (spec 6): label-to-label distances W, then a Sinkhorn divergence between the datasets
 * augmented as {@code z = (x, y)} with ground cost {@code lambda_x/p ||x-x'||^p + lambda_y/p W[y,y']}.
 * The outer epsilon schedule's diameter includes the label-index coordinate (target labels offset by C1 when
 * debiased), as the reference does. Non-debiased outer loss uses W[y_src, y_tgt] consistently (the reference
 * indexes the swapped cost with swapped labels, a bug; see golden README).
 */
public final class Otdd {
    private Otdd() {}

    /**
     * OTDD(source, target). Classes with fewer than {@code minLabelCount} rows are dropped (listed in the
     * result's warnings); features are converted to {@code o.precision()} first. With {@code withGradient}
     * (p = 2 only) the result carries d value / d target features, label distances held constant (spec 6.1).
     * Throws IllegalArgumentException for empty data, non-finite features or mismatched dimensions.
     */
    public static OtddResult distance(LabelledPoints source, LabelledPoints target, OtddOptions o, boolean withGradient) {
        validate(source, "source");
        validate(target, "target");
        if (source.points().dim() != target.points().dim()) {
            throw new IllegalArgumentException("otdd: feature dimensions differ: source has " + source.points().dim()
                    + ", target has " + target.points().dim());
        }
        List<String> warnings = new ArrayList<>();
        // the working precision applies to the data too (a float32 run sees float32 features, as in the reference)
        LabelledPoints.Filtered fs = filter(inPrecision(source, o.precision()), "source", o.minLabelCount(), warnings);
        LabelledPoints.Filtered ft = filter(inPrecision(target, o.precision()), "target", o.minLabelCount(), warnings);
        LabelledPoints s = fs.data(), t = ft.data();

        long t0 = System.nanoTime();
        List<ClassCloud> cs = ClassCloud.split(s), ct = ClassCloud.split(t);
        double[][] w = null;
        if (o.lambdaY() != 0) {
            double[][] w12 = LabelDistances.pairwise(cs, ct, false, o);
            w = o.outerDebiased()
                    ? LabelDistances.block(LabelDistances.pairwise(cs, cs, true, o), w12, LabelDistances.pairwise(ct, ct, true, o))
                    : w12;
        }
        long t1 = System.nanoTime();
        int offset = o.outerDebiased() ? s.numClasses() : 0;
        Outer outer = solveOuter(s, null, null, t, offset, w, o, Double.NaN, withGradient);
        long t2 = System.nanoTime();

        double[] grad = null;
        if (withGradient) {
            int d = target.points().dim();
            grad = new double[target.size() * d];
            for (int r = 0; r < ft.rows().length; r++) System.arraycopy(outer.gradTarget, r * d, grad, ft.rows()[r] * d, d);
        }
        return new OtddResult(outer.result.value(), w, s.classIds(), t.classIds(), grad, outer.diameter, outer.epsilons,
                List.copyOf(warnings), (t1 - t0) * 1e-9, (t2 - t1) * 1e-9);
    }

    /** The outer Sinkhorn problem and its gradient with respect to the target features. */
    record Outer(SinkhornResult result, double[] gradTarget, double diameter, double[] epsilons) {}

    /**
     * Solves the outer problem; target labels are shifted by {@code offset}. {@code cachedCxx} (nullable) is
     * the source-source outer cost matrix when the caller keeps it across calls; {@code cache} (nullable) maps an
     * epsilon schedule to the final source self-potential computed with that matrix; {@code fixedDiameter}
     * (NaN = the reference's per-call bounding-box diameter) sets the schedule.
     */
    static Outer solveOuter(LabelledPoints s, CostMatrix cachedCxx, SelfPotentialCache cache, LabelledPoints t,
                            int offset, double[][] w, OtddOptions o, double fixedDiameter, boolean withGradient) {
        return solveOuter(s, cachedCxx, cache, t, offset, w, o, fixedDiameter, withGradient, true, null, null);
    }

    /**
     * {@code withValue = false}: gradient only, the source self-problem is skipped and the value is NaN;
     * {@code sqDistances} (nullable): the source x target squared distances, to derive C_xy from;
     * {@code sourceBox} (nullable): the cached bounding box of the source features.
     */
    static Outer solveOuter(LabelledPoints s, CostMatrix cachedCxx, SelfPotentialCache cache, LabelledPoints t,
                            int offset, double[][] w, OtddOptions o, double fixedDiameter, boolean withGradient,
                            boolean withValue, CostMatrix sqDistances, double[][] sourceBox) {
        int[] lt = t.labels().clone();
        for (int i = 0; i < lt.length; i++) lt[i] += offset;
        double diameter = !Double.isNaN(fixedDiameter) ? fixedDiameter
                : EpsilonSchedule.diagonal(sourceBox != null ? sourceBox : s.points().boundingBox(), t.points().boundingBox(),
                        range(s.labels()), range(lt));
        double[] eps = EpsilonSchedule.geomloss(o.p(), diameter, o.blur(), o.scaling());
        GroundCost cost = o.outerCost(w);
        PointCloud xs = s.points(), xt = t.points();
        CostMatrix cxy = sqDistances != null ? sqDistances.mapSquared(cost, s.labels(), lt)
                : CostMatrix.build(xs, s.labels(), xt, lt, cost, o.precision());
        CostMatrix cyx = cxy.transpose();
        CostMatrix cxx = null, cyy = null;
        if (o.outerDebiased()) {
            cxx = cachedCxx != null ? cachedCxx : CostMatrix.build(xs, s.labels(), xs, s.labels(), cost, o.precision());
            cyy = CostMatrix.build(xt, lt, xt, lt, cost, o.precision());
        }
        double[] logA = SinkhornSolver.uniformLogWeights(xs.size()), logB = SinkhornSolver.uniformLogWeights(xt.size());
        double[] knownFAA = !withValue && o.outerDebiased() ? SinkhornSolver.SKIP_AA : cache == null ? null : cache.get(eps);
        SinkhornResult r = SinkhornSolver.symmetric(cxy, cyx, cxx, cyy, logA, logB, eps, knownFAA,
                withGradient ? xs : null, withGradient ? xt : null);
        if (cache != null && knownFAA == null && r.fAA() != null) cache.put(eps, r.fAA());
        double[] grad = withGradient ? SinkhornDivergence.gradientWrtY(r, cyx, cyy, xs, xt, logB, cost) : null;
        return new Outer(r, grad, diameter, eps);
    }

    /** Remembers the source self-potential of the last epsilon schedule seen (exact reuse, see SinkhornSolver). */
    static final class SelfPotentialCache {
        private double[] schedule, potential;

        synchronized double[] get(double[] eps) { return java.util.Arrays.equals(eps, schedule) ? potential : null; }

        synchronized void put(double[] eps, double[] fAA) {
            schedule = eps.clone();
            potential = fAA;
        }
    }

    static LabelledPoints inPrecision(LabelledPoints data, Precision p) {
        return data.points().precision() == p ? data : new LabelledPoints(data.points().as(p), data.labels(), data.classIds());
    }

    static double[] range(int[] labels) {
        int lo = Integer.MAX_VALUE, hi = Integer.MIN_VALUE;
        for (int l : labels) {
            lo = Math.min(lo, l);
            hi = Math.max(hi, l);
        }
        return new double[] {lo, hi};
    }

    static void validate(LabelledPoints data, String what) {
        if (data.size() == 0) throw new IllegalArgumentException("otdd: the " + what + " dataset is empty");
        data.points().requireFinite("otdd " + what);
    }

    private static LabelledPoints.Filtered filter(LabelledPoints data, String what, int min, List<String> warnings) {
        LabelledPoints.Filtered f = data.dropSmallClasses(min);
        if (!f.droppedClassIds().isEmpty()) {
            warnings.add(what + ": dropped classes with fewer than " + min + " rows: " + f.droppedClassIds());
        }
        if (f.data().size() == 0) {
            throw new IllegalArgumentException("otdd: no " + what + " class has at least " + min + " rows");
        }
        return f;
    }
}
