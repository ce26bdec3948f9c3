package dev.orcaj.data.pde;

import dev.orcaj.data.ArrayDataset;
import dev.orcaj.data.Targets;

/**
 * 1D diffusion-reaction u_t = nu u_xx + rho u (1 - u) on the periodic domain [0, 1) (PDEBench
 * "ReacDiff_Nu*_Rho*", final time 1.0, initial conditions min-max normalised to [0, 1]).
 *
 * <p>Strang splitting: half a step of the logistic reaction solved exactly, u -> u e^{rho dt} / (1 - u + u e^{rho dt}),
 * one Crank-Nicolson step of the diffusion on the 3-point Laplacian (a cyclic tridiagonal solve), half a reaction
 * step. Second order in dt and dx; unconditionally stable.
 */
public final class DiffusionReaction1d {

    /** steps = number of time steps up to T. */
    public record Params(int resolution, double nu, double rho, double finalTime, int steps) {
        public Params {
            if (resolution < 3) throw new IllegalArgumentException("DiffusionReaction1d: resolution must be >= 3, got " + resolution);
            if (!(nu >= 0) || !Double.isFinite(rho) || !(finalTime >= 0) || steps < 1)
                throw new IllegalArgumentException("DiffusionReaction1d: bad nu " + nu + ", rho " + rho + ", T " + finalTime + " or steps " + steps);
        }

        /** PDEBench's settings: T = 1, with dt about dx (accurate to the solver's O(dt^2 + dx^2)). */
        public static Params pdeBench(int resolution, double nu, double rho) {
            return new Params(resolution, nu, rho, 1.0, Math.max(100, resolution));
        }
    }

    private DiffusionReaction1d() {}

    public static double[] solve(double[] u0, Params p) {
        int n = u0.length;
        if (n != p.resolution()) throw new IllegalArgumentException("DiffusionReaction1d: " + n + " cells, expected " + p.resolution());
        double dt = p.finalTime() / p.steps(), dx = 1.0 / n;
        double r = p.nu() * dt / (dx * dx);
        double[] u = u0.clone(), rhs = new double[n];
        for (int s = 0; s < p.steps(); s++) {
            react(u, p.rho(), dt / 2);
            // Crank-Nicolson: (1 + r) u_i - r/2 (u_{i-1} + u_{i+1}) = (1 - r) u_i + r/2 (u_{i-1} + u_{i+1}) (old values)
            for (int i = 0; i < n; i++) rhs[i] = (1 - r) * u[i] + 0.5 * r * (u[(i - 1 + n) % n] + u[(i + 1) % n]);
            u = CyclicTridiagonal.solve(-0.5 * r, 1 + r, -0.5 * r, rhs);
            react(u, p.rho(), dt / 2);
        }
        return u;
    }

    private static void react(double[] u, double rho, double dt) {
        if (rho == 0) return;
        double e = Math.exp(rho * dt);
        for (int i = 0; i < u.length; i++) u[i] = u[i] * e / (1 - u[i] + u[i] * e);
    }

    /** {@code samples} pairs u0 -> u(T), PDEBench initial conditions normalised to [0, 1], shapes {1, resolution}. */
    public static ArrayDataset generate(int samples, long seed, Params p) {
        int n = p.resolution();
        float[] in = new float[samples * n], out = new float[samples * n];
        double[] x = InitialConditions.cellCentres(n, 1.0);
        for (int s = 0; s < samples; s++) {
            double[] u0 = InitialConditions.normalise(InitialConditions.sample(InitialConditions.sampleRng(seed, s), 1.0).at(x));
            InitialConditions.toFloat(u0, in, s * n);
            InitialConditions.toFloat(solve(u0, p), out, s * n);
        }
        return new ArrayDataset(in, new int[] {1, n}, new Targets.DenseTargets(out, new int[] {1, n}));
    }
}
