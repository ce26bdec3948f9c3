package dev.orcaj.ot;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * OTDD against microsoft/otdd + geomloss 0.2.6 golden numbers (../shared/golden/otdd/README.md): relative 1e-6
 * vs value_double in float64 with the same schedule, 1e-4 vs value_single in float32.
 */
class OtddGoldenTest {
    private static final LabelledPoints SRC = GoldenOtdd.dataset("gmm_src.csv");
    private static final LabelledPoints TGT = GoldenOtdd.dataset("gmm_tgt.csv");
    private static final OtddOptions F64 = OtddOptions.orca().withPrecision(Precision.FLOAT64);
    private static final OtddOptions F32 = OtddOptions.orca().withPrecision(Precision.FLOAT32);

    static void assertRel(double expected, double actual, double rel, String what) {
        System.out.printf("%s: expected %.15g got %.15g rel err %.2e%n", what, expected, actual, Math.abs(actual - expected) / Math.abs(expected));
        assertTrue(Math.abs(actual - expected) <= rel * Math.abs(expected),
                what + ": expected " + expected + ", got " + actual + " (rel err " + Math.abs(actual - expected) / Math.abs(expected) + ")");
    }

    private static void assertTable(JsonNode expected, double[][] actual, double rel, String what) {
        double[][] e = GoldenOtdd.table(expected);
        assertEquals(e.length, actual.length, what + " rows");
        for (int i = 0; i < e.length; i++) {
            for (int j = 0; j < e.length; j++) {
                assertTrue(Math.abs(e[i][j] - actual[i][j]) <= rel * Math.max(1.0, Math.abs(e[i][j])),
                        what + "[" + i + "][" + j + "]: expected " + e[i][j] + ", got " + actual[i][j]);
            }
        }
    }

    private void checkCase(String name, OtddOptions options) {
        JsonNode c = GoldenOtdd.gmmCase(name);
        OtddResult r64 = Otdd.distance(SRC, TGT, options.withPrecision(Precision.FLOAT64), false);
        assertRel(c.path("value_double").asDouble(), r64.value(), 1e-6, name + " float64");
        if (c.has("label_distances_double")) assertTable(c.path("label_distances_double"), r64.labelDistances(), 1e-6, name + " W");
        assertEquals(c.path("outer_eps_schedule").path("n_eps_steps").asInt(), r64.epsilons().length, name + " schedule length");
        assertRel(c.path("outer_eps_schedule").path("diameter").asDouble(), r64.diameter(), 1e-12, name + " diameter");
        OtddResult r32 = Otdd.distance(SRC, TGT, options.withPrecision(Precision.FLOAT32), false);
        assertRel(c.path("value_single").asDouble(), r32.value(), 1e-4, name + " float32");
    }

    @Test void orcaExact() { checkCase("orca_exact", OtddOptions.orca()); }

    @Test void exactInnerNotDebiased() { checkCase("exact_inner_not_debiased", OtddOptions.orca().withInnerDebiased(false)); }

    @Test void gaussianApprox() { checkCase("gaussian_approx", OtddOptions.orca().withInnerMethod(OtddOptions.InnerMethod.GAUSSIAN)); }

    @Test void featuresOnly() { checkCase("features_only_lambda_y_0", OtddOptions.orca().withLambdas(1, 0)); }

    @Test
    void sourceAgainstItselfIsZero() {
        assertEquals(0.0, Otdd.distance(SRC, SRC, F64, false).value(), 1e-12);
        assertEquals(0.0, Otdd.distance(SRC, SRC, F32, false).value(), 1e-9);
    }

    @Test
    void orcaCallPatternValueAndGradient() {
        JsonNode c = GoldenOtdd.gmmCase("orca_usage_target_single_label");
        LabelledPoints tgt = LabelledPoints.singleClass(TGT.points());
        for (Precision p : Precision.values()) {
            boolean f64 = p == Precision.FLOAT64;
            double tol = f64 ? 1e-6 : 1e-4;
            OtddResult r = Otdd.distance(SRC, tgt, OtddOptions.orca().withPrecision(p), true);
            assertRel(c.path(f64 ? "value_double" : "value_single").asDouble(), r.value(), tol, "orca usage " + p);
            assertEquals(c.path("outer_eps_schedule").path("n_eps_steps").asInt(), r.epsilons().length);
            if (f64) assertTable(c.path("label_distances_double"), r.labelDistances(), 1e-6, "orca usage W");
            double[] g = GoldenOtdd.matrix(f64 ? "gmm_orca_usage_grad_tgt_double.csv" : "gmm_orca_usage_grad_tgt_single.csv");
            assertEquals(g.length, r.gradTarget().length);
            double diff = 0, norm = 0;
            for (int i = 0; i < g.length; i++) {
                diff += (g[i] - r.gradTarget()[i]) * (g[i] - r.gradTarget()[i]);
                norm += g[i] * g[i];
            }
            assertRel(c.path(f64 ? "grad_fro_norm_double" : "grad_fro_norm_single").asDouble(), Math.sqrt(norm), 1e-9, "golden norm");
            System.out.printf("gradient %s: rel Frobenius error %.2e%n", p, Math.sqrt(diff / norm));
            assertTrue(Math.sqrt(diff) <= tol * Math.sqrt(norm), "gradient " + p + ": rel Frobenius error " + Math.sqrt(diff / norm));
        }
    }
}
