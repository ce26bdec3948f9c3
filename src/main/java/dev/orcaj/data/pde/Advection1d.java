package dev.orcaj.data.pde;

import dev.orcaj.data.ArrayDataset;
import dev.orcaj.data.Targets;

/**
 * 1D linear advection u_t + beta u_x = 0 on the periodic domain [0, 1) (PDEBench "1D_Advection_Sols_beta*",
 * final time 2.0). Solved exactly: u(x, T) = u0(x - beta T), evaluating the analytic initial profile at the
 * shifted cell centres, so there is no discretisation error.
 */
public final class Advection1d {

    /** resolution = number of cells, beta = velocity, finalTime = T. PDEBench uses beta in {0.1, 0.4, 1, 4}, T = 2. */
    public record Params(int resolution, double beta, double finalTime) {
        public Params {
            if (resolution < 2) throw new IllegalArgumentException("Advection1d: resolution must be >= 2, got " + resolution);
            if (!(finalTime >= 0) || !Double.isFinite(beta)) throw new IllegalArgumentException("Advection1d: bad beta " + beta + " or T " + finalTime);
        }

        public static Params pdeBench(int resolution) { return new Params(resolution, 0.4, 2.0); }
    }

    private Advection1d() {}

    /** u(x, T) on the cell centres for the given initial profile. */
    public static double[] solve(InitialConditions.Profile u0, Params p) {
        double[] x = InitialConditions.cellCentres(p.resolution(), 1.0);
        double[] u = new double[x.length];
        for (int i = 0; i < x.length; i++) u[i] = u0.at(x[i] - p.beta() * p.finalTime());
        return u;
    }

    /** {@code samples} pairs u0 -> u(T), shapes {1, resolution}; sample i depends only on (seed, i). */
    public static ArrayDataset generate(int samples, long seed, Params p) {
        int n = p.resolution();
        float[] in = new float[samples * n], out = new float[samples * n];
        double[] x = InitialConditions.cellCentres(n, 1.0);
        for (int s = 0; s < samples; s++) {
            InitialConditions.Profile u0 = InitialConditions.sample(InitialConditions.sampleRng(seed, s), 1.0);
            InitialConditions.toFloat(u0.at(x), in, s * n);
            InitialConditions.toFloat(solve(u0, p), out, s * n);
        }
        return new ArrayDataset(in, new int[] {1, n}, new Targets.DenseTargets(out, new int[] {1, n}));
    }
}
