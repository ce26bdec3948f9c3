package dev.orcaj.data.pde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orcaj.data.ArrayDataset;
import dev.orcaj.data.Targets;
import org.junit.jupiter.api.Test;

class DiffusionReaction1dTest {

    @Test
    void heatEquationSineModeDecaysAsExpMinusNuKSquaredT() {
        int n = 256, mode = 2;
        double nu = 0.1, t = 0.1, k = 2 * Math.PI * mode;
        double[] x = InitialConditions.cellCentres(n, 1.0), u0 = new double[n];
        for (int i = 0; i < n; i++) u0[i] = Math.sin(k * x[i]);
        double[] u = DiffusionReaction1d.solve(u0, new DiffusionReaction1d.Params(n, nu, 0.0, t, 200));
        double decay = Math.exp(-nu * k * k * t); // ~0.206
        for (int i = 0; i < n; i++) assertEquals(decay * u0[i], u[i], 1e-3 * decay, "cell " + i);
    }

    @Test
    void pureReactionFollowsTheLogisticSolution() {
        int n = 8;
        double rho = 1.5, t = 1.0;
        double[] u0 = new double[n];
        java.util.Arrays.fill(u0, 0.2);
        double[] u = DiffusionReaction1d.solve(u0, new DiffusionReaction1d.Params(n, 0.5, rho, t, 10));
        // logistic u' = rho u (1 - u): u(t) = 1 / (1 + (1/u0 - 1) e^{-rho t}); diffusion of a constant is zero
        double expected = 1 / (1 + (1 / 0.2 - 1) * Math.exp(-rho * t));
        for (double v : u) assertEquals(expected, v, 1e-12);
    }

    @Test
    void generatedSamplesStayInTheUnitIntervalAndConvergeInTime() {
        var p = DiffusionReaction1d.Params.pdeBench(128, 0.5, 1.0);
        ArrayDataset ds = DiffusionReaction1d.generate(3, 4, p);
        assertArrayEquals(new int[] {1, 128}, ds.sampleShape());
        float[] out = ((Targets.DenseTargets) ds.targets()).values();
        for (float v : ds.features()) assertTrue(v >= 0 && v <= 1, "normalised input " + v);
        for (float v : out) assertTrue(v >= -1e-6 && v <= 1 + 1e-6, "maximum principle: " + v);
        // halving dt changes the result by far less than the solution scale (second order in dt)
        double[] u0 = new double[128];
        for (int i = 0; i < 128; i++) u0[i] = ds.features()[i];
        double[] a = DiffusionReaction1d.solve(u0, new DiffusionReaction1d.Params(128, 0.5, 1.0, 1.0, 100));
        double[] b = DiffusionReaction1d.solve(u0, new DiffusionReaction1d.Params(128, 0.5, 1.0, 1.0, 200));
        for (int i = 0; i < 128; i++) assertEquals(a[i], b[i], 1e-4);
    }

    @Test
    void cyclicTridiagonalMatchesADenseSolve() {
        int n = 7;
        double a = -0.3, b = 1.9, c = -0.7;
        double[] d = {1, -2, 0.5, 3, 0, -1, 2};
        double[] x = CyclicTridiagonal.solve(a, b, c, d);
        // residual of the periodic system, row by row
        for (int i = 0; i < n; i++)
            assertEquals(d[i], a * x[(i - 1 + n) % n] + b * x[i] + c * x[(i + 1) % n], 1e-12, "row " + i);
    }
}
