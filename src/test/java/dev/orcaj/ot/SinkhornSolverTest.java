package dev.orcaj.ot;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SinkhornSolverTest {
    private static final PointCloud X = GoldenOtdd.dataset("gmm_src.csv").points();
    private static final PointCloud Y = GoldenOtdd.dataset("gmm_tgt.csv").points();
    private static final JsonNode CROSS = GoldenOtdd.expected().path("pot_and_geomloss_crosschecks").path("gmm");

    @Test
    void geomlossSamplesLossDefaultsMatchReference() {
        for (Precision p : Precision.values()) {
            double tol = p == Precision.FLOAT64 ? 1e-6 : 1e-4;
            SinkhornDivergence.Options o = SinkhornDivergence.Options.geomlossDefaults(p).withBlur(Math.sqrt(0.1));
            OtddGoldenTest.assertRel(CROSS.path("geomloss_sinkhorn_p2_blur_sqrt0.1_debiasTrue").asDouble(),
                    SinkhornDivergence.compute(X, Y, o, false).value(), tol, "geomloss debiased " + p);
            OtddGoldenTest.assertRel(CROSS.path("geomloss_sinkhorn_p2_blur_sqrt0.1_debiasFalse").asDouble(),
                    SinkhornDivergence.compute(X, Y, o.withDebias(false), false).value(), tol, "geomloss biased " + p);
        }
    }

    @Test
    void toleranceVariantMatchesPotSinkhornLog() {
        JsonNode pot = CROSS.path("sinkhorn2_sqeuclidean_reg1.0");
        for (Precision p : Precision.values()) {
            CostMatrix c = CostMatrix.build(X, null, Y, null, GroundCost.plain(2), p);
            double[] la = SinkhornSolver.uniformLogWeights(60), lb = SinkhornSolver.uniformLogWeights(60);
            double stop = p == Precision.FLOAT64 ? 1e-10 : 1e-6; // float32 exp lanes floor the marginal error ~1e-7
            SinkhornResult r = SinkhornSolver.toTolerance(c, c.transpose(), la, lb, 1.0, stop, 20000);
            assertTrue(r.marginalError() < stop && r.iterations() < 20000, "converged: " + r.marginalError());
            double cost = SinkhornSolver.transportCost(c, r, la, lb);
            OtddGoldenTest.assertRel(pot.path("value").asDouble(), cost, p == Precision.FLOAT64 ? 1e-8 : 1e-5, "POT sinkhorn2 reg 1 " + p);
            assertTrue(cost >= CROSS.path("emd2_sqeuclidean").asDouble(), "entropic cost above the exact OT cost");
            double[] plan = c.plan(1.0, la, r.fBA(), lb, r.gAB());
            for (int i = 0; i < 60; i++) {
                double row = 0, col = 0;
                for (int j = 0; j < 60; j++) {
                    row += plan[i * 60 + j];
                    col += plan[j * 60 + i];
                }
                double tol = p == Precision.FLOAT64 ? 1e-10 : 1e-6;
                assertEquals(1.0 / 60, row, tol);
                assertEquals(1.0 / 60, col, tol);
            }
        }
    }

    @Test
    void planOfAConvergedSolveHasTheRightMarginals() {
        double[] sched = EpsilonSchedule.geomloss(2, 40, Math.sqrt(5.0), 0.5);
        double[] eps = java.util.Arrays.copyOf(sched, sched.length + 2000);
        java.util.Arrays.fill(eps, sched.length, eps.length, 5.0);
        double[] la = SinkhornSolver.uniformLogWeights(60), lb = SinkhornSolver.uniformLogWeights(60);
        GroundCost cost = GroundCost.geomloss(2);
        SinkhornDivergence.Result r = SinkhornDivergence.compute(X, null, la, Y, null, lb, cost, eps, true, Precision.FLOAT64, false);
        double[] plan = SinkhornDivergence.plan(X, null, la, Y, null, lb, cost, Precision.FLOAT64, r.solve());
        for (int i = 0; i < 60; i++) {
            double row = 0, col = 0;
            for (int j = 0; j < 60; j++) {
                row += plan[i * 60 + j];
                col += plan[j * 60 + i];
            }
            assertEquals(1.0 / 60, row, 1e-9);
            assertEquals(1.0 / 60, col, 1e-9);
        }
    }

    @Test
    void selfDistanceIsExactlyZero() {
        SinkhornDivergence.Options o = SinkhornDivergence.Options.geomlossDefaults(Precision.FLOAT32);
        assertEquals(0.0, SinkhornDivergence.compute(X, X, o, false).value(), 0.0);
    }

    /**
     * Envelope-theorem gradient vs central differences on a converged problem: the geomloss schedule followed by
     * 300 iterations at the final epsilon (with the bare schedule the potentials lag the annealing and the
     * last-step gradient is only approximate). Label table constant, as OTDD treats W.
     */
    @Test
    void gradientMatchesFiniteDifferences() {
        Random rnd = new Random(11);
        int n = 9, m = 7, d = 3;
        double[] xs = gaussian(rnd, n * d), ys = gaussian(rnd, m * d);
        int[] lx = new int[n], ly = new int[m];
        for (int i = 0; i < n; i++) lx[i] = i % 2;
        for (int j = 0; j < m; j++) ly[j] = 2 + j % 2;
        double[][] w = {{0, 1, 2, 3}, {1, 0, 1.5, 0.5}, {2, 1.5, 0, 1}, {3, 0.5, 1, 0}};
        GroundCost cost = new GroundCost(2, 0.5, w, 0.5);
        double[] sched = EpsilonSchedule.geomloss(2, 20.0, 0.6, 0.5);
        double[] eps = java.util.Arrays.copyOf(sched, sched.length + 300);
        java.util.Arrays.fill(eps, sched.length, eps.length, sched[sched.length - 1]);
        PointCloud x = PointCloud.of(xs, n, d);
        for (boolean debias : new boolean[] {true, false}) {
            double[] g = solve(x, lx, PointCloud.of(ys, m, d), ly, cost, eps, debias, true)[1];
            double h = 1e-5;
            for (int t = 0; t < m * d; t++) {
                double[] yp = ys.clone(), ym = ys.clone();
                yp[t] += h;
                ym[t] -= h;
                double fd = (solve(x, lx, PointCloud.of(yp, m, d), ly, cost, eps, debias, false)[0][0]
                        - solve(x, lx, PointCloud.of(ym, m, d), ly, cost, eps, debias, false)[0][0]) / (2 * h);
                assertEquals(fd, g[t], 1e-7 + 1e-6 * Math.abs(fd), "debias=" + debias + " coordinate " + t);
            }
        }
    }

    /** {{value}, gradient or null}. */
    private static double[][] solve(PointCloud x, int[] lx, PointCloud y, int[] ly, GroundCost cost, double[] eps,
                                    boolean debias, boolean grad) {
        CostMatrix cxy = CostMatrix.build(x, lx, y, ly, cost, Precision.FLOAT64), cyx = cxy.transpose();
        CostMatrix cxx = debias ? CostMatrix.build(x, lx, x, lx, cost, Precision.FLOAT64) : null;
        CostMatrix cyy = debias ? CostMatrix.build(y, ly, y, ly, cost, Precision.FLOAT64) : null;
        double[] la = SinkhornSolver.uniformLogWeights(x.size()), lb = SinkhornSolver.uniformLogWeights(y.size());
        SinkhornResult r = SinkhornSolver.symmetric(cxy, cyx, cxx, cyy, la, lb, eps);
        return new double[][] {{r.value()}, grad ? SinkhornDivergence.gradientWrtY(r, cyx, cyy, x, y, lb, cost) : null};
    }

    @Test
    void float32AgreesWithFloat64OnAWiderProblem() {
        Random rnd = new Random(13);
        int n = 300, m = 500, d = 64;
        PointCloud x = PointCloud.of(gaussian(rnd, n * d), n, d), y = PointCloud.of(gaussian(rnd, m * d), m, d);
        SinkhornDivergence.Options o = SinkhornDivergence.Options.geomlossDefaults(Precision.FLOAT64).withBlur(1.0);
        SinkhornDivergence.Result r64 = SinkhornDivergence.compute(x, y, o, true);
        SinkhornDivergence.Result r32 = SinkhornDivergence.compute(x, y,
                new SinkhornDivergence.Options(2, 1.0, 0.5, Double.NaN, true, Precision.FLOAT32), true);
        OtddGoldenTest.assertRel(r64.value(), r32.value(), 1e-4, "float32 vs float64");
        double diff = 0, norm = 0;
        for (int t = 0; t < r64.gradY().length; t++) {
            diff += Math.pow(r64.gradY()[t] - r32.gradY()[t], 2);
            norm += Math.pow(r64.gradY()[t], 2);
        }
        assertTrue(Math.sqrt(diff / norm) < 1e-3, "gradient rel error " + Math.sqrt(diff / norm));
    }

    @Test
    void scheduleReproducesGeomlossLength() {
        double[] eps = EpsilonSchedule.geomloss(2, 40.537715132598926, Math.sqrt(0.1), 0.5);
        assertEquals(10, eps.length);
        assertEquals(1643.30634817174, eps[0], 1e-9);
        assertEquals(0.1, eps[9], 1e-15);
        for (int i = 2; i < 9; i++) assertEquals(0.25, eps[i] / eps[i - 1], 1e-12);
    }

    static double[] gaussian(Random rnd, int len) {
        double[] a = new double[len];
        for (int i = 0; i < len; i++) a[i] = rnd.nextGaussian();
        return a;
    }
}
