package dev.orcaj.ot;

import java.util.ArrayList;
import java.util.List;

/**
 * ORCA's OTDD call pattern (spec 3.2/3.3, Algorithm 1 of the paper) with the source side cached: the full
 * labelled source set against one target class whose rows are all labelled 0 (so in the debiased block table
 * the target is class C1). Built once per source set; holds the per-class source clouds (with their inner
 * self-cost matrices), the source-source label distances W11 (the reference recomputes them on every call),
 * the source-source outer cost matrix (n_src^2 entries: 100 MB for 5000 points in float32) and, optionally,
 * the source self-potential of the last epsilon schedule (reused only when the schedule is bitwise equal).
 * Results are identical to {@link Otdd#distance} on the same inputs.
 * <p>Cost per call: the source self-problem OT(a,a) (one soft-min sweep over the n_src^2 source matrix per
 * schedule step) depends on the target only through the schedule's diameter, which the reference takes from
 * the joint bounding box. With {@link #withFixedDiameter} the schedule is fixed per source set, the
 * self-potential is computed once, and a call costs only the target-sized work; values then differ from the
 * reference by the (small) schedule effect, the final epsilon being the same.
 */
public final class ClasswiseOtdd {
    private final LabelledPoints source;
    private final OtddOptions options;
    private final List<ClassCloud> sourceClasses;
    private final int[][] classRows;
    private final double[] sourceNorms;
    private final double[][] sourceBox;
    private final double[][] w11;
    private final CostMatrix sourceCost;
    private final Otdd.SelfPotentialCache selfPotentials;
    private final List<String> warnings;
    private final double fixedDiameter;
    private volatile OtddSolver outerSolver; // null: the Sinkhorn problems on the host

    public ClasswiseOtdd(LabelledPoints source, OtddOptions options) { this(source, options, true); }

    /** {@code cacheSelfPotential}: reuse the source OT(a,a) potential when the epsilon schedule repeats. */
    public ClasswiseOtdd(LabelledPoints source, OtddOptions options, boolean cacheSelfPotential) {
        this.fixedDiameter = Double.NaN;
        if (!options.outerDebiased()) throw new IllegalArgumentException("classwise otdd: needs the debiased outer loss (ORCA's setting)");
        Otdd.validate(source, "source");
        LabelledPoints.Filtered f = source.dropSmallClasses(options.minLabelCount());
        if (f.data().size() == 0) throw new IllegalArgumentException("classwise otdd: no source class has at least " + options.minLabelCount() + " rows");
        this.warnings = f.droppedClassIds().isEmpty() ? List.of()
                : List.of("source: dropped classes with fewer than " + options.minLabelCount() + " rows: " + f.droppedClassIds());
        this.source = Otdd.inPrecision(f.data(), options.precision());
        this.options = options;
        this.sourceClasses = ClassCloud.split(this.source);
        int c1 = this.source.numClasses();
        this.sourceNorms = this.source.points().squaredNorms();
        this.sourceBox = this.source.points().boundingBox();
        this.classRows = new int[c1][];
        for (int c = 0; c < c1; c++) classRows[c] = this.source.rowsOf(c);
        this.w11 = options.lambdaY() == 0 ? new double[c1][c1] : LabelDistances.pairwise(sourceClasses, sourceClasses, true, options);
        double[][] table = LabelDistances.block(w11, new double[c1][1], new double[1][1]);
        this.sourceCost = CostMatrix.build(this.source.points(), this.source.labels(), this.source.points(),
                this.source.labels(), options.outerCost(table), options.precision());
        this.selfPotentials = cacheSelfPotential ? new Otdd.SelfPotentialCache() : null;
    }

    /**
     * A copy that uses the given diameter for every call's epsilon schedule (and caches the source
     * self-potential for it), e.g. {@link #referenceDiameter} of the source with the whole target set.
     */
    public ClasswiseOtdd withFixedDiameter(double diameter) {
        if (!(diameter > 0 && Double.isFinite(diameter))) {
            throw new IllegalArgumentException("classwise otdd: fixed diameter must be finite and > 0, got " + diameter);
        }
        return new ClasswiseOtdd(this, diameter);
    }

    /** Shares the source-side caches of {@code base}; a fresh self-potential cache for the fixed schedule. */
    private ClasswiseOtdd(ClasswiseOtdd base, double fixedDiameter) {
        this.source = base.source;
        this.options = base.options;
        this.sourceClasses = base.sourceClasses;
        this.classRows = base.classRows;
        this.sourceNorms = base.sourceNorms;
        this.sourceBox = base.sourceBox;
        this.w11 = base.w11;
        this.sourceCost = base.sourceCost;
        this.warnings = base.warnings;
        this.selfPotentials = new Otdd.SelfPotentialCache();
        this.fixedDiameter = fixedDiameter;
    }

    /** The reference's schedule diameter for this source and a target set (labelled as one class). */
    public double referenceDiameter(PointCloud target) {
        return EpsilonSchedule.diagonal(sourceBox, target.boundingBox(),
                Otdd.range(source.labels()), new double[] {source.numClasses(), source.numClasses()});
    }

    public LabelledPoints source() { return source; }

    public OtddOptions options() { return options; }

    /** Cached source-source label distances (C1 x C1). */
    public double[][] sourceLabelDistances() {
        double[][] c = new double[w11.length][];
        for (int i = 0; i < c.length; i++) c[i] = w11[i].clone();
        return c;
    }

    public List<String> warnings() { return warnings; }

    /**
     * Solves {@link #evaluate}'s outer problem with {@code solver} (a GPU; null: the host again). The label distances
     * stay on the host; {@link #evaluateByClass} always runs on the host.
     */
    public ClasswiseOtdd useSolver(OtddSolver solver) {
        this.outerSolver = solver;
        return this;
    }

    /** OTDD(source, target rows as one class) with the gradient with respect to the target rows. */
    public OtddResult evaluate(PointCloud target) { return evaluate(target, true); }

    /**
     * As {@link #evaluate(PointCloud)}; with {@code withValue = false} only the gradient is computed (bitwise the
     * same): the source self-problem OT(a,a), which does not affect the gradient, is skipped, and the result's
     * value is NaN. An embedder step needs only the gradient; ask for the value when logging it.
     */
    public OtddResult evaluate(PointCloud target, boolean withValue) { return evaluate(target, withValue, true); }

    /** Value and/or gradient (the gradient needs p = 2); at least one must be requested. */
    public OtddResult evaluate(PointCloud target, boolean withValue, boolean withGradient) {
        if (!withValue && !withGradient) throw new IllegalArgumentException("classwise otdd: nothing requested (value and gradient both off)");
        if (target.dim() != source.points().dim()) {
            throw new IllegalArgumentException("classwise otdd: target dimension " + target.dim() + " != source dimension " + source.points().dim());
        }
        if (target.size() < Math.max(2, options.minLabelCount())) {
            throw new IllegalArgumentException("classwise otdd: a target class needs at least "
                    + Math.max(2, options.minLabelCount()) + " rows, got " + target.size());
        }
        target.requireFinite("classwise otdd target");
        PointCloud t = target.as(options.precision());
        long t0 = System.nanoTime();
        int c1 = source.numClasses();
        // one source x target distance GEMM serves the inner cross costs and the outer C_xy
        OtddSolver solver = outerSolver;
        CostMatrix sq = solver != null ? null // the solver's tiled kernels need no distance matrix
                : CostMatrix.build(source.points(), sourceNorms, null, t, null, GroundCost.plain(2), options.precision());
        float[] tf = solver == null ? null : OtddSolver.floats(t); // one array: the solver uploads it once
        double[][] w = null;
        if (options.lambdaY() != 0) {
            ClassCloud tc = new ClassCloud(t);
            double[][] w12 = new double[c1][1];
            for (int c = 0; c < c1; c++) {
                if (solver != null && options.innerMethod() == OtddOptions.InnerMethod.EXACT) { // LabelDistances.exactPair there
                    ClassCloud sc = sourceClasses.get(c);
                    w12[c][0] = solver.pairValue(sc.x, tf, t.size(), GroundCost.plain(options.p()), LabelDistances.pairSchedule(sc, tc, options), options.innerDebiased());
                    continue;
                }
                w12[c][0] = options.innerMethod() == OtddOptions.InnerMethod.GAUSSIAN
                        ? Bures.w2Squared(sourceClasses.get(c), tc)
                        : LabelDistances.exactPair(sourceClasses.get(c), tc, options,
                                sq.selectRows(classRows[c]).mapSquared(GroundCost.plain(options.p()), null, null));
            }
            w = LabelDistances.block(w11, w12, new double[1][1]);
        }
        long t1 = System.nanoTime();
        if (solver != null) { // same schedule and cost as Otdd.solveOuter; the target labelled as class c1
            double diameter = !Double.isNaN(fixedDiameter) ? fixedDiameter : referenceDiameter(t);
            double[] eps = EpsilonSchedule.geomloss(options.p(), diameter, options.blur(), options.scaling());
            int[] lt = new int[t.size()];
            java.util.Arrays.fill(lt, c1);
            OtddSolver.Solution sol = solver.solve(source.points(), source.labels(), tf, t.size(), lt, options.outerCost(w), eps, withGradient);
            return new OtddResult(sol.value(), w, source.classIds(), new int[] {0}, sol.gradTarget(), diameter, eps, warnings,
                    (t1 - t0) * 1e-9, (System.nanoTime() - t1) * 1e-9);
        }
        Otdd.Outer outer = Otdd.solveOuter(source, sourceCost, selfPotentials, LabelledPoints.singleClass(t), c1, w, options,
                fixedDiameter, withGradient, withValue, sq, sourceBox);
        long t2 = System.nanoTime();
        return new OtddResult(outer.result().value(), w, source.classIds(), new int[] {0}, outer.gradTarget(),
                outer.diameter(), outer.epsilons(), warnings, (t1 - t0) * 1e-9, (t2 - t1) * 1e-9);
    }

    /** Algorithm 1 loss over a labelled target batch: {@code sum_c w_c OTDD(source, rows of class c)}. */
    public record ClassLoss(double value, double[] gradTarget, int[] classes, double[] classValues) {}

    /**
     * Evaluates every class of {@code targetClasses} with at least two rows (ORCA skips single-row classes);
     * {@code classWeights[c]} is the weight of class index c (ORCA: the class share n_c / n of the whole target
     * set). Gradient rows follow {@code target}'s rows.
     */
    public ClassLoss evaluateByClass(PointCloud target, int[] targetClasses, double[] classWeights) {
        return evaluateByClass(target, targetClasses, classWeights, true);
    }

    /** {@code withValue = false}: gradients only (values NaN), see {@link #evaluate(PointCloud, boolean)}. */
    public ClassLoss evaluateByClass(PointCloud target, int[] targetClasses, double[] classWeights, boolean withValue) {
        if (targetClasses.length != target.size()) {
            throw new IllegalArgumentException("classwise otdd: " + targetClasses.length + " class ids for " + target.size() + " rows");
        }
        int d = target.dim();
        double[] grad = new double[target.size() * d];
        double total = 0;
        List<Integer> used = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (int c = 0; c < classWeights.length; c++) {
            final int cc = c;
            int[] rows = java.util.stream.IntStream.range(0, targetClasses.length).filter(i -> targetClasses[i] == cc).toArray();
            if (rows.length < 2) continue;
            OtddResult r = evaluate(target.rows(rows), withValue);
            total += classWeights[c] * r.value();
            for (int k = 0; k < rows.length; k++) {
                for (int j = 0; j < d; j++) grad[rows[k] * d + j] += classWeights[c] * r.gradTarget()[k * d + j];
            }
            used.add(c);
            values.add(r.value());
        }
        return new ClassLoss(total, grad, used.stream().mapToInt(Integer::intValue).toArray(),
                values.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
