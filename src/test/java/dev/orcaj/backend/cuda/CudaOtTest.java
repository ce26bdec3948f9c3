package dev.orcaj.backend.cuda;

import dev.orcaj.ot.EpsilonSchedule;
import dev.orcaj.ot.GroundCost;
import dev.orcaj.ot.PointCloud;
import dev.orcaj.ot.Precision;
import dev.orcaj.ot.SinkhornDivergence;
import dev.orcaj.ot.SinkhornSolver;
import dev.orcaj.tensor.DType;
import dev.orcaj.tensor.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static dev.orcaj.backend.cuda.GpuAssume.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The matrix-free OT kernels against plain double loops over explicit costs (softmin, barycentres, with a label
 * term) and the whole device Sinkhorn loop against dev.orcaj.ot.SinkhornDivergence in float64. Tolerances: the
 * kernels form costs in float32 from |x|^2 + |y|^2 - 2 x.y (d = 70: about 1e-5 relative to the costs), so soft-mins
 * agree to 1e-4 relative to the largest |value| and the divergence to 1e-3 relative.
 */
class CudaOtTest {
    private static CudaOt ot;

    @BeforeEach
    void open() { // per test, so each one is reported as skipped with the reason
        CudaDevice d = GpuAssume.device();
        if (ot == null) ot = new CudaOt(d);
    }

    private static float[] rnd(long seed, int n, double std) {
        return Tensor.randn(DType.F32, new SplittableRandom(seed), std, n).toFloatArray();
    }

    private static double cost(float[] x, int i, float[] y, int j, int d, GroundCost c, int[] lx, int[] ly) {
        double s = 0;
        for (int k = 0; k < d; k++) { double t = (double) x[i * d + k] - y[j * d + k]; s += t * t; }
        double v = c.featureScale() * (c.p() == 2 ? s : Math.sqrt(s));
        if (c.labelTable() != null) v += c.labelScale() * c.labelTable()[lx[i]][ly[j]];
        return v;
    }

    @Test
    void softminAndBarycentresMatchExplicitCosts() {
        int n = 45, m = 70, d = 70;
        float[] x = rnd(1, n * d, 1), y = rnd(2, m * d, 1.2), h = rnd(3, m, 0.5);
        int[] lx = new int[n], ly = new int[m];
        for (int i = 0; i < n; i++) lx[i] = i % 3;
        for (int j = 0; j < m; j++) ly[j] = j % 4;
        double[][] table = new double[3][4];
        for (int a = 0; a < 3; a++) for (int b = 0; b < 4; b++) table[a][b] = (a + 1) * 0.7 + b * 0.3;
        double eps = 3.0;
        for (GroundCost c : new GroundCost[] {GroundCost.geomloss(2), GroundCost.plain(1), new GroundCost(2, 0.5, table, 2.0)}) {
            float[] expected = new float[n], bary = new float[n * d];
            for (int i = 0; i < n; i++) {
                double mx = Double.NEGATIVE_INFINITY;
                double[] val = new double[m];
                for (int j = 0; j < m; j++) { val[j] = h[j] - cost(x, i, y, j, d, c, lx, ly) / eps; mx = Math.max(mx, val[j]); }
                double s = 0;
                for (int j = 0; j < m; j++) s += Math.exp(val[j] - mx);
                expected[i] = (float) (-eps * (mx + Math.log(s)));
                for (int j = 0; j < m; j++) for (int k = 0; k < d; k++) bary[i * d + k] += (float) (Math.exp(val[j] - mx) / s * y[j * d + k]);
            }
            try (CudaOt.Cloud cx = ot.cloud(x, n, d, lx); CudaOt.Cloud cy = ot.cloud(y, m, d, ly)) {
                float[] got = ot.softmin(cx, cy, h, eps, c);
                assertClose(expected, got, 1e-4, 1e-4, "softmin p=" + c.p() + " labels=" + (c.labelTable() != null));
                assertClose(bary, ot.softmaxTimes(cx, cy, h, got, eps, c, cy), 1e-4, 1e-4, "barycentres p=" + c.p());
            }
        }
    }

    @Test
    void deviceSinkhornDivergenceAndGradientMatchTheCpuSolver() {
        int n = 150, m = 130, d = 24;
        float[] x = rnd(4, n * d, 1), y = rnd(5, m * d, 1);
        for (int j = 0; j < m * d; j++) y[j] += 0.5f;
        PointCloud px = PointCloud.of(x, n, d), py = PointCloud.of(y, m, d);
        for (boolean debias : new boolean[] {true, false}) {
            SinkhornDivergence.Options o = SinkhornDivergence.Options.geomlossDefaults(Precision.FLOAT64).withDebias(debias);
            SinkhornDivergence.Result cpu = SinkhornDivergence.compute(px, py, o, true);
            double[] eps = EpsilonSchedule.geomloss(2, EpsilonSchedule.diameter(px, py), o.blur(), o.scaling());
            try (CudaOt.Cloud cx = ot.cloud(x, n, d, null); CudaOt.Cloud cy = ot.cloud(y, m, d, null)) {
                CudaOt.Divergence gpu = ot.divergence(cx, SinkhornSolver.uniformLogWeights(n), cy, SinkhornSolver.uniformLogWeights(m),
                        GroundCost.geomloss(2), eps, debias, true);
                assertEquals(cpu.value(), gpu.value(), 1e-3 * Math.abs(cpu.value()) + 1e-5, "divergence debias=" + debias);
                assertClose(GpuAssume.toFloats(cpu.gradY()), gpu.gradY(), 1e-6, 1e-3, "gradient debias=" + debias);
            }
        }
    }
}
