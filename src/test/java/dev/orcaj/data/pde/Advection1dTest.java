package dev.orcaj.data.pde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.orcaj.data.ArrayDataset;
import dev.orcaj.data.Targets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class Advection1dTest {

    @Test
    void solutionIsTheInitialStateTranslatedByBetaT() {
        // beta T = 0.4 * 2 = 0.8 = 80 cells of 1/100: u(x_i, T) = u0(x_{i-80}) on the periodic grid
        int n = 100;
        ArrayDataset ds = Advection1d.generate(5, 7, Advection1d.Params.pdeBench(n));
        assertArrayEquals(new int[] {1, n}, ds.sampleShape());
        float[] out = ((Targets.DenseTargets) ds.targets()).values();
        for (int s = 0; s < 5; s++)
            for (int i = 0; i < n; i++)
                assertEquals(ds.features()[s * n + Math.floorMod(i - 80, n)], out[s * n + i], 1e-5, "sample " + s + " cell " + i);
    }

    @Test
    void halfCellShiftMatchesTheProfileBetweenCells() {
        // T such that beta T = 0.5 dx: compare with the initial profile evaluated at x - beta T directly
        int n = 64;
        var p = new Advection1d.Params(n, 1.0, 0.5 / n);
        var profile = InitialConditions.sample(InitialConditions.sampleRng(3, 0), 1.0);
        double[] u = Advection1d.solve(profile, p);
        for (int i = 0; i < n; i++) assertEquals(profile.at(i / (double) n), u[i], 1e-12); // (i + .5)/n - .5/n
    }

    @Test
    void samplesAreSeededAndIndependentOfCount() {
        var p = Advection1d.Params.pdeBench(32);
        ArrayDataset a = Advection1d.generate(3, 11, p), b = Advection1d.generate(5, 11, p), c = Advection1d.generate(3, 12, p);
        assertArrayEquals(a.features(), Arrays.copyOf(b.features(), 3 * 32));
        assertFalse(Arrays.equals(a.features(), c.features()));
    }

    @Test
    void initialConditionsArePeriodicAndBounded() {
        for (int s = 0; s < 50; s++) {
            var profile = InitialConditions.sample(InitialConditions.sampleRng(1, s), 1.0);
            assertEquals(profile.at(0.0), profile.at(1.0), 1e-12);
            // at most 4 terms with amplitude < 1
            for (double x = 0; x < 1; x += 0.01) assertEquals(0, profile.at(x), 4.0);
        }
    }
}
