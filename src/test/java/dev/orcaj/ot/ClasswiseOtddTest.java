package dev.orcaj.ot;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ClasswiseOtddTest {
    private static final LabelledPoints SRC = GoldenOtdd.dataset("gmm_src.csv");
    private static final LabelledPoints TGT = GoldenOtdd.dataset("gmm_tgt.csv");
    private static final OtddOptions F64 = OtddOptions.orca().withPrecision(Precision.FLOAT64);

    @Test
    void matchesGoldenOrcaCallPattern() {
        JsonNode c = GoldenOtdd.gmmCase("orca_usage_target_single_label");
        ClasswiseOtdd ot = new ClasswiseOtdd(SRC, F64);
        OtddResult r = ot.evaluate(TGT.points());
        OtddGoldenTest.assertRel(c.path("value_double").asDouble(), r.value(), 1e-6, "classwise value");
        double[] g = GoldenOtdd.matrix("gmm_orca_usage_grad_tgt_double.csv");
        for (int i = 0; i < g.length; i++) assertEquals(g[i], r.gradTarget()[i], 1e-9, "grad " + i);
        // the cached W11 is the golden source-source block
        double[][] w = GoldenOtdd.table(c.path("label_distances_double"));
        double[][] w11 = ot.sourceLabelDistances();
        for (int i = 0; i < w11.length; i++) for (int j = 0; j < w11.length; j++) assertEquals(w[i][j], w11[i][j], 1e-9 * w[0][1]);
    }

    @Test
    void cachedEqualsUncachedOnOtherTargetsAndRepeats() {
        ClasswiseOtdd ot = new ClasswiseOtdd(SRC, F64);
        for (int cls = 0; cls < TGT.numClasses(); cls++) {
            PointCloud t = TGT.points().rows(TGT.rowsOf(cls));
            OtddResult ref = Otdd.distance(SRC, LabelledPoints.singleClass(t), F64, true);
            for (int rep = 0; rep < 2; rep++) { // second pass hits the self-potential cache
                OtddResult r = ot.evaluate(t);
                assertEquals(ref.value(), r.value(), 0.0, "class " + cls);
                assertArrayEquals(ref.gradTarget(), r.gradTarget(), 0.0);
            }
        }
    }

    @Test
    void fixedDiameterEqualsTheReferenceWhenItIsTheSame() {
        ClasswiseOtdd ot = new ClasswiseOtdd(SRC, F64);
        double dia = ot.referenceDiameter(TGT.points());
        ClasswiseOtdd fixed = ot.withFixedDiameter(dia);
        // every class of gmm_tgt lies inside the joint box of source + whole target, but its own call's box is smaller
        PointCloud t = TGT.points().rows(TGT.rowsOf(1));
        OtddResult perCall = ot.evaluate(t), r1 = fixed.evaluate(t), r2 = fixed.evaluate(t);
        assertEquals(dia, r1.diameter(), 0.0);
        assertEquals(r1.value(), r2.value(), 0.0); // second call reuses the self-potential
        assertEquals(perCall.value(), r1.value(), 1e-3 * perCall.value()); // schedule effect only
        OtddResult full = fixed.evaluate(TGT.points()), ref = ot.evaluate(TGT.points());
        assertEquals(ref.value(), full.value(), 0.0); // same diameter -> identical to the reference
        assertThrows(IllegalArgumentException.class, () -> ot.withFixedDiameter(Double.NaN));
    }

    @Test
    void gradientOnlySkipsTheSourceSelfProblemWithTheSameGradient() {
        // entreg 20: the target self-plan is spread out, so its barycentres differ from the points themselves
        ClasswiseOtdd ot = new ClasswiseOtdd(SRC, OtddOptions.orca().withEntreg(20), false);
        PointCloud t = TGT.points().rows(TGT.rowsOf(0));
        OtddResult full = ot.evaluate(t), gradOnly = ot.evaluate(t, false);
        assertArrayEquals(full.gradTarget(), gradOnly.gradTarget(), 0.0);
        assertEquals(true, Double.isNaN(gradOnly.value()));
    }

    @Test
    void gaussianInnerAndFeaturesOnlyMatchUncached() {
        PointCloud t = TGT.points().rows(TGT.rowsOf(3));
        for (OtddOptions o : new OtddOptions[] {F64.withInnerMethod(OtddOptions.InnerMethod.GAUSSIAN), F64.withLambdas(1, 0), F64.withP(1)}) {
            OtddResult ref = Otdd.distance(SRC, LabelledPoints.singleClass(t), o, o.p() == 2);
            OtddResult r = new ClasswiseOtdd(SRC, o).evaluate(t, true, o.p() == 2);
            assertEquals(ref.value(), r.value(), 0.0, o.toString());
            if (o.p() == 2) assertArrayEquals(ref.gradTarget(), r.gradTarget(), 0.0);
        }
    }

    @Test
    void float32CachedMatchesUncached() {
        OtddOptions f32 = OtddOptions.orca();
        ClasswiseOtdd ot = new ClasswiseOtdd(SRC, f32);
        PointCloud t = TGT.points().rows(TGT.rowsOf(2));
        OtddResult ref = Otdd.distance(SRC, LabelledPoints.singleClass(t), f32, true);
        OtddResult r = ot.evaluate(t);
        assertEquals(ref.value(), r.value(), 0.0);
        assertArrayEquals(ref.gradTarget(), r.gradTarget(), 0.0);
    }

    @Test
    void evaluateByClassIsTheWeightedSumOfClassCalls() {
        ClasswiseOtdd ot = new ClasswiseOtdd(SRC, F64);
        int[] classes = TGT.labels().clone();
        classes[0] = 3; // moves one row; class sizes 14, 15, 15, 16
        double[] weights = {0.1, 0.2, 0.3, 0.4};
        ClasswiseOtdd.ClassLoss loss = ot.evaluateByClass(TGT.points(), classes, weights);
        double expected = 0;
        double[] grad = new double[TGT.size() * TGT.points().dim()];
        int d = TGT.points().dim();
        for (int c = 0; c < 4; c++) {
            final int cc = c;
            int[] rows = java.util.stream.IntStream.range(0, classes.length).filter(i -> classes[i] == cc).toArray();
            OtddResult r = Otdd.distance(SRC, LabelledPoints.singleClass(TGT.points().rows(rows)), F64, true);
            expected += weights[c] * r.value();
            for (int k = 0; k < rows.length; k++) for (int j = 0; j < d; j++) grad[rows[k] * d + j] = weights[c] * r.gradTarget()[k * d + j];
        }
        assertEquals(expected, loss.value(), 1e-12 * expected);
        assertArrayEquals(grad, loss.gradTarget(), 1e-15);
        assertArrayEquals(new int[] {0, 1, 2, 3}, loss.classes());
    }

    @Test
    void rejectsBadTargets() {
        ClasswiseOtdd ot = new ClasswiseOtdd(SRC, F64);
        assertThrows(IllegalArgumentException.class, () -> ot.evaluate(PointCloud.of(new double[8], 1, 8)));
        assertThrows(IllegalArgumentException.class, () -> ot.evaluate(PointCloud.of(new double[14], 2, 7)));
        double[] nan = new double[16];
        nan[5] = Double.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ot.evaluate(PointCloud.of(nan, 2, 8)));
        assertEquals(true, e.getMessage().contains("row 0, column 5"), e.getMessage());
        Random rnd = new Random(1);
        double[] ok = new double[16];
        for (int i = 0; i < ok.length; i++) ok[i] = rnd.nextGaussian();
        assertEquals(true, Double.isFinite(ot.evaluate(PointCloud.of(ok, 2, 8)).value()));
    }
}
