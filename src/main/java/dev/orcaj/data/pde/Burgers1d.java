package dev.orcaj.data.pde;

import dev.orcaj.data.ArrayDataset;
import dev.orcaj.data.Targets;

/**
 * 1D viscous Burgers u_t + (u^2 / 2)_x = nu u_xx on the periodic domain [0, 1) (PDEBench "1D_Burgers_Sols_Nu*",
 * final time 2.0; PDEBench writes the viscosity as nu/pi, so pass nu = nu_PDEBench / pi to match its files).
 *
 * <p>Conservative finite volumes: MUSCL reconstruction with the minmod limiter, Rusanov (local Lax-Friedrichs)
 * flux, central viscous flux, SSP-RK3 in time (Shu and Osher 1988). The time step is
 * cfl * min(dx / max|u|, dx^2 / (2 nu)); the last step is shortened to land on T. Fluxes telescope, so the mass
 * sum(u) dx is conserved to round-off.
 */
public final class Burgers1d {

    public record Params(int resolution, double nu, double finalTime, double cfl) {
        public Params {
            if (resolution < 4) throw new IllegalArgumentException("Burgers1d: resolution must be >= 4, got " + resolution);
            if (!(nu >= 0) || !(finalTime >= 0)) throw new IllegalArgumentException("Burgers1d: nu " + nu + " and T " + finalTime + " must be >= 0");
            if (!(cfl > 0 && cfl <= 0.5)) throw new IllegalArgumentException("Burgers1d: cfl must be in (0, 0.5], got " + cfl);
        }

        public static Params of(int resolution, double nu, double finalTime) { return new Params(resolution, nu, finalTime, 0.4); }
    }

    private Burgers1d() {}

    /** Evolves cell averages {@code u0} to time T. */
    public static double[] solve(double[] u0, Params p) {
        int n = u0.length;
        if (n != p.resolution()) throw new IllegalArgumentException("Burgers1d: " + n + " cells, expected resolution " + p.resolution());
        double dx = 1.0 / n;
        double[] u = u0.clone(), k = new double[n], u1 = new double[n], u2 = new double[n];
        double t = 0;
        while (t < p.finalTime()) {
            double maxSpeed = 0;
            for (double v : u) {
                if (!Double.isFinite(v)) throw new ArithmeticException("Burgers1d: solution became non-finite at t = " + t);
                maxSpeed = Math.max(maxSpeed, Math.abs(v));
            }
            double dt = p.cfl() * Math.min(maxSpeed > 0 ? dx / maxSpeed : Double.POSITIVE_INFINITY,
                    p.nu() > 0 ? dx * dx / (2 * p.nu()) : Double.POSITIVE_INFINITY);
            if (Double.isInfinite(dt)) break; // u == 0 and nu == 0: nothing moves
            dt = Math.min(dt, p.finalTime() - t);
            // SSP-RK3: u1 = u + dt L(u); u2 = 3/4 u + 1/4 (u1 + dt L(u1)); u = 1/3 u + 2/3 (u2 + dt L(u2))
            rhs(u, p.nu(), dx, k);
            for (int i = 0; i < n; i++) u1[i] = u[i] + dt * k[i];
            rhs(u1, p.nu(), dx, k);
            for (int i = 0; i < n; i++) u2[i] = 0.75 * u[i] + 0.25 * (u1[i] + dt * k[i]);
            rhs(u2, p.nu(), dx, k);
            for (int i = 0; i < n; i++) u[i] = u[i] / 3 + 2.0 / 3 * (u2[i] + dt * k[i]);
            t += dt;
        }
        return u;
    }

    /** du/dt = -(F_{i+1/2} - F_{i-1/2}) / dx with F = Rusanov(u_L, u_R) - nu (u_{i+1} - u_i) / dx. */
    static void rhs(double[] u, double nu, double dx, double[] out) {
        int n = u.length;
        double[] flux = new double[n]; // flux[i] at face i + 1/2
        for (int i = 0; i < n; i++) {
            int im = (i - 1 + n) % n, ip = (i + 1) % n, ipp = (i + 2) % n;
            double uL = u[i] + 0.5 * minmod(u[i] - u[im], u[ip] - u[i]);
            double uR = u[ip] - 0.5 * minmod(u[ip] - u[i], u[ipp] - u[ip]);
            double speed = Math.max(Math.abs(uL), Math.abs(uR));
            flux[i] = 0.25 * (uL * uL + uR * uR) - 0.5 * speed * (uR - uL) - nu * (u[ip] - u[i]) / dx;
        }
        for (int i = 0; i < n; i++) out[i] = -(flux[i] - flux[(i - 1 + n) % n]) / dx;
    }

    private static double minmod(double a, double b) {
        return a * b <= 0 ? 0 : (Math.abs(a) < Math.abs(b) ? a : b);
    }

    /** {@code samples} pairs u0 -> u(T) from PDEBench-style random initial conditions, shapes {1, resolution}. */
    public static ArrayDataset generate(int samples, long seed, Params p) {
        int n = p.resolution();
        float[] in = new float[samples * n], out = new float[samples * n];
        double[] x = InitialConditions.cellCentres(n, 1.0);
        for (int s = 0; s < samples; s++) {
            double[] u0 = InitialConditions.sample(InitialConditions.sampleRng(seed, s), 1.0).at(x);
            InitialConditions.toFloat(u0, in, s * n);
            InitialConditions.toFloat(solve(u0, p), out, s * n);
        }
        return new ArrayDataset(in, new int[] {1, n}, new Targets.DenseTargets(out, new int[] {1, n}));
    }
}
