package dev.orcaj.backend.cuda;

import dev.orcaj.ot.GroundCost;
import dev.orcaj.ot.PointCloud;
import dev.orcaj.ot.Precision;
import dev.orcaj.ot.SinkhornDivergence;
import dev.orcaj.ot.SinkhornSolver;
import dev.orcaj.tensor.DType;
import dev.orcaj.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The host side of the device Sinkhorn (CudaOt.symmetricLoop: schedule, damping, extrapolation, value) with the
 * soft-min supplied by a plain double loop over explicit costs instead of the kernel, against
 * dev.orcaj.ot.SinkhornDivergence in float64. Runs without a GPU. The loop hands h to the soft-min as float (as the
 * kernel takes it), so agreement is to about 1e-6 relative, not bitwise.
 */
class SinkhornLoopTest {
    private record Points(float[] v, int n, int d, int[] labels) {}

    private static float[] cpuSoftmin(Points from, Points to, GroundCost c, double eps, float[] h) {
        float[] out = new float[from.n];
        int d = from.d;
        for (int i = 0; i < from.n; i++) {
            double[] val = new double[to.n];
            double mx = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < to.n; j++) {
                double s = 0;
                for (int k = 0; k < d; k++) { double t = (double) from.v[i * d + k] - to.v[j * d + k]; s += t * t; }
                double cost = c.featureScale() * (c.p() == 2 ? s : Math.sqrt(s));
                if (c.labelTable() != null) cost += c.labelScale() * c.labelTable()[from.labels[i]][to.labels[j]];
                val[j] = h[j] - cost / eps;
                mx = Math.max(mx, val[j]);
            }
            double sum = 0;
            for (double v : val) sum += Math.exp(v - mx);
            out[i] = (float) (-eps * (mx + Math.log(sum)));
        }
        return out;
    }

    @Test
    void loopMatchesTheCpuSolverWithAndWithoutDebiasAndLabels() {
        int n = 40, m = 33, d = 5;
        float[] x = Tensor.randn(DType.F32, new SplittableRandom(1), 1, n * d).toFloatArray();
        float[] y = Tensor.randn(DType.F32, new SplittableRandom(2), 1, m * d).toFloatArray();
        for (int i = 0; i < y.length; i++) y[i] += 0.7f;
        int[] lx = new int[n], ly = new int[m];
        for (int i = 0; i < n; i++) lx[i] = i % 2;
        for (int j = 0; j < m; j++) ly[j] = j % 3;
        double[][] table = {{0.0, 1.5, 2.0}, {1.5, 0.0, 3.0}, {2.0, 3.0, 0.0}}; // one label space for both sides (debiased terms use it too)
        double[] logA = SinkhornSolver.uniformLogWeights(n), logB = SinkhornSolver.uniformLogWeights(m);
        for (GroundCost cost : new GroundCost[] {GroundCost.geomloss(2), new GroundCost(2, 0.5, table, 1.0), GroundCost.geomloss(1)}) {
            for (boolean debias : new boolean[] {true, false}) {
                SinkhornDivergence.Options o = new SinkhornDivergence.Options(cost.p(), 0.05, 0.5, 4.0, debias, Precision.FLOAT64);
                double expected = SinkhornDivergence.compute(PointCloud.of(x, n, d), lx, logA, PointCloud.of(y, m, d), ly, logB, cost, o, false).value();
                double[] eps = dev.orcaj.ot.EpsilonSchedule.geomloss(cost.p(), 4.0, 0.05, 0.5);
                double got = CudaOt.symmetricLoop(new Points(x, n, d, lx), logA, new Points(y, m, d, ly), logB, cost, eps, debias,
                        SinkhornLoopTest::cpuSoftmin).value();
                assertEquals(expected, got, 1e-5 * Math.abs(expected) + 1e-6,
                        "p=" + cost.p() + " labels=" + (cost.labelTable() != null) + " debias=" + debias);
            }
        }
    }
}
