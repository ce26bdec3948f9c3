package dev.orcaj.data.pde;

import java.util.SplittableRandom;

/**
 * Random 1D initial conditions after PDEBench's {@code init_multi} (pdebench/data_gen/data_gen_NLE/utils.py): pick
 * {@code numChoice} wave numbers from 1..kTot (with replacement; a wave number picked twice doubles), then
 * u0(x) = sum_k A_k sin(kk_k x + phi_k) over all k in 1..kTot with A_k ~ U(0,1), phi_k ~ U(0, 2 pi) and
 * kk_k = 2 pi k count_k / L (an unpicked k contributes the constant A_k sin(phi_k), as in PDEBench). With
 * probability 0.1 the absolute value is taken, and with probability 0.1 the profile is multiplied by the window
 * 0.5 (tanh((x - xL)/0.01) - tanh((x - xR)/0.01)), xL ~ U(0.1, 0.45), xR ~ U(0.55, 0.9).
 * Deviation: L is the domain length (PDEBench uses xc[-1] - xc[0], one cell less), so the profile is periodic.
 */
public final class InitialConditions {

    public static final int K_TOT = 4, NUM_CHOICE = 2;

    private InitialConditions() {}

    /** Cell centres (i + 0.5) L / n. */
    public static double[] cellCentres(int n, double length) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = (i + 0.5) * length / n;
        return x;
    }

    /** A profile evaluated at {@code x} on a periodic domain of length {@code length}. */
    public static Profile sample(SplittableRandom rng, double length) {
        int[] count = new int[K_TOT];
        for (int c = 0; c < NUM_CHOICE; c++) count[rng.nextInt(K_TOT)]++;
        double[] kk = new double[K_TOT], amp = new double[K_TOT], phase = new double[K_TOT];
        for (int k = 0; k < K_TOT; k++) {
            kk[k] = 2 * Math.PI * (k + 1) * count[k] / length;
            amp[k] = rng.nextDouble();
            phase[k] = 2 * Math.PI * rng.nextDouble();
        }
        boolean abs = rng.nextDouble() < 0.1;
        boolean window = rng.nextDouble() < 0.1;
        double xL = 0.1 + 0.35 * rng.nextDouble(), xR = 0.55 + 0.35 * rng.nextDouble();
        return new Profile(kk, amp, phase, abs, window, xL * length, xR * length, length);
    }

    /** A sampled initial profile; {@link #at} evaluates it at any x (periodically wrapped). */
    public record Profile(double[] kk, double[] amp, double[] phase, boolean abs, boolean window, double xL, double xR, double length) {

        public double at(double x) {
            double xw = x - Math.floor(x / length) * length;
            double u = 0;
            for (int k = 0; k < kk.length; k++) u += amp[k] * Math.sin(kk[k] * xw + phase[k]);
            if (abs) u = Math.abs(u);
            if (window) u *= 0.5 * (Math.tanh((xw - xL) / 0.01) - Math.tanh((xw - xR) / 0.01));
            return u;
        }

        public double[] at(double[] x) {
            double[] u = new double[x.length];
            for (int i = 0; i < x.length; i++) u[i] = at(x[i]);
            return u;
        }
    }

    /** Seed of sample {@code i}: samples do not depend on how many are generated. */
    static SplittableRandom sampleRng(long seed, int i) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
    }

    /** Min-max normalisation to [0, 1] (PDEBench's if_norm, used for reaction-diffusion); constant profiles become 0. */
    static double[] normalise(double[] u) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double v : u) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
        double[] out = new double[u.length];
        if (hi > lo) for (int i = 0; i < u.length; i++) out[i] = (u[i] - lo) / (hi - lo);
        return out;
    }

    static float[] toFloat(double[] d, float[] dst, int offset) {
        for (int i = 0; i < d.length; i++) dst[offset + i] = (float) d[i];
        return dst;
    }
}
