package dev.orcaj.optim;

import dev.orcaj.nn.Parameter;
import dev.orcaj.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.orcaj.optim.OptimTestSupport.Weights;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Global-norm clipping on gradients (3, 4) and (12): total norm √(9 + 16 + 144) = 13. */
class GradClipTest {
    private Weights weights;

    private List<Parameter> params(double... bGrad) {
        Map<String, Tensor> v = new LinkedHashMap<>();
        v.put("a", Tensor.of(new double[] {0, 0}, 2));
        v.put("b", Tensor.of(new double[] {0}, 1));
        v.put("frozen", Tensor.of(new double[] {0}, 1));
        weights = new Weights(v);
        weights.p("a").get().setGrad(Tensor.of(new double[] {3, 4}, 2));
        weights.p("b").get().setGrad(Tensor.of(bGrad, 1));
        return List.of(weights.p("a"), weights.p("b"), weights.p("frozen")); // "frozen" has no gradient
    }

    private static double[] grad(Parameter p) { return p.get().grad().toDoubleArray(); }

    @Test
    void scalesByMaxNormOverNormPlusEpsilon() {
        List<Parameter> ps = params(12);
        assertEquals(13, GradClip.clipGradNorm(ps, 6.5), 0);
        double c = 6.5 / (13 + 1e-6);
        assertArrayEquals(new double[] {3 * c, 4 * c}, grad(ps.get(0)), 1e-15);
        assertArrayEquals(new double[] {12 * c}, grad(ps.get(1)), 1e-15);
        // after clipping the norm is 6.5·13/(13 + 1e-6), just under max_norm
        assertEquals(6.5, Math.sqrt(9 * c * c + 16 * c * c + 144 * c * c), 1e-6);
    }

    @Test
    void leavesGradientsAloneBelowTheThreshold() {
        List<Parameter> ps = params(12);
        assertEquals(13, GradClip.clipGradNorm(ps, 100), 0);
        assertArrayEquals(new double[] {3, 4}, grad(ps.get(0)), 0);
        assertArrayEquals(new double[] {12}, grad(ps.get(1)), 0);
    }

    @Test
    void atExactlyMaxNormTheEpsilonStillScalesSlightly() {
        // PyTorch: coef = 13 / (13 + 1e-6) < 1, so gradients shrink by about 7.7e-8 relative
        List<Parameter> ps = params(12);
        GradClip.clipGradNorm(ps, 13);
        assertArrayEquals(new double[] {12 * 13 / (13 + 1e-6)}, grad(ps.get(1)), 1e-15);
        assertTrue(grad(ps.get(1))[0] < 12);
    }

    @Test
    void nonFiniteGradientsAreReportedByName() {
        params(Double.NaN);
        Map<String, Parameter> named = weights.namedParameters();
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> GradClip.clipGradNorm(named, 1));
        assertTrue(e.getMessage().contains("'b'") && e.getMessage().contains("NaN"), e.getMessage());
        params(Double.POSITIVE_INFINITY);
        e = assertThrows(ArithmeticException.class, () -> GradClip.clipGradNorm(weights.namedParameters(), 1));
        assertTrue(e.getMessage().contains("'b'") && e.getMessage().contains("Infinity"), e.getMessage());
    }

    @Test
    void clippingThroughTheOptimizerUsesItsParameters() {
        List<Parameter> ps = params(12);
        Sgd opt = new Sgd(List.of(ParamGroup.of(weights)), 1, 0, 0);
        assertEquals(13, GradClip.clipGradNorm(opt, 1), 0);
        assertEquals(1, Math.sqrt(sumSq(grad(ps.get(0))) + sumSq(grad(ps.get(1)))), 1e-6);
        assertThrows(IllegalArgumentException.class, () -> GradClip.clipGradNorm(opt, 0));
    }

    private static double sumSq(double[] v) {
        double s = 0;
        for (double x : v) s += x * x;
        return s;
    }
}
