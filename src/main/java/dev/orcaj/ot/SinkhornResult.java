package dev.orcaj.ot;

/**
 * Output of a Sinkhorn solve. Potentials follow geomloss names: {@code fBA} on x and {@code gAB} on y for
 * OT(a,b); {@code fAA}, {@code gBB} for OT(a,a), OT(b,b) (null when not debiased). {@code value} is the
 * debiased divergence {@code <a, fBA - fAA> + <b, gAB - gBB>} or, without debiasing, {@code <a,fBA> + <b,gAB>}.
 * {@code iterations} counts soft-min sweeps; {@code marginalError} is NaN for the fixed-schedule solver.
 */
public final class SinkhornResult {
    private final double value;
    private final double[] fBA, gAB, fAA, gBB;
    private final double finalEps;
    private final int iterations;
    private final double marginalError;
    /** Soft-min arguments of the last extrapolation (potentials before it): the gradient needs them. */
    final double[] hYX, hYY;
    /**
     * When the solver was asked for them and could (else null): the soft-max barycentres of the last
     * extrapolation, {@code C_yx.softmaxTimes(finalEps, hYX, x)} and {@code C_yy.softmaxTimes(finalEps, hYY, y)}.
     */
    final double[] barycentresYX, barycentresYY;

    SinkhornResult(double value, double[] fBA, double[] gAB, double[] fAA, double[] gBB, double finalEps,
                   int iterations, double marginalError, double[] hYX, double[] hYY) {
        this(value, fBA, gAB, fAA, gBB, finalEps, iterations, marginalError, hYX, hYY, null, null);
    }

    SinkhornResult(double value, double[] fBA, double[] gAB, double[] fAA, double[] gBB, double finalEps,
                   int iterations, double marginalError, double[] hYX, double[] hYY,
                   double[] barycentresYX, double[] barycentresYY) {
        this.barycentresYX = barycentresYX;
        this.barycentresYY = barycentresYY;
        this.value = value;
        this.fBA = fBA;
        this.gAB = gAB;
        this.fAA = fAA;
        this.gBB = gBB;
        this.finalEps = finalEps;
        this.iterations = iterations;
        this.marginalError = marginalError;
        this.hYX = hYX;
        this.hYY = hYY;
    }

    public double value() { return value; }
    public double[] fBA() { return fBA; }
    public double[] gAB() { return gAB; }
    public double[] fAA() { return fAA; }
    public double[] gBB() { return gBB; }
    public double finalEps() { return finalEps; }
    public int iterations() { return iterations; }
    public double marginalError() { return marginalError; }
    /** True when OT(b,b) was solved (OT(a,a) may have been skipped: gradient-only evaluation). */
    public boolean debiased() { return gBB != null; }
}
