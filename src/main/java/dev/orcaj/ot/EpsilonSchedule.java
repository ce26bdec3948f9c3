package dev.orcaj.ot;

import java.util.Arrays;

/** The epsilon-scaling schedule of geomloss 0.2.x ({@code scaling_parameters}, spec 6.3). */
public final class EpsilonSchedule {
    private EpsilonSchedule() {}

    /**
     * {@code [D^p] + [exp(e) for e in numpy.arange(p ln D, p ln blur, p ln scaling)] + [blur^p]}: one Sinkhorn
     * iteration per entry, no convergence test. numpy's arange is reproduced exactly (length
     * {@code ceil((stop-start)/step)}, entries {@code start + i*delta} with {@code delta = (start+step)-start}).
     */
    public static double[] geomloss(int p, double diameter, double blur, double scaling) {
        if (!(diameter > 0) || !Double.isFinite(diameter)) {
            throw new IllegalArgumentException("epsilon schedule: diameter must be finite and > 0, got " + diameter
                    + " (all points identical?)");
        }
        if (!(blur > 0) || !(scaling > 0 && scaling < 1)) {
            throw new IllegalArgumentException("epsilon schedule: need blur > 0 and 0 < scaling < 1, got blur=" + blur + ", scaling=" + scaling);
        }
        double start = p * Math.log(diameter), stop = p * Math.log(blur), step = p * Math.log(scaling);
        int len = (int) Math.max(0, Math.ceil((stop - start) / step));
        double[] eps = new double[len + 2];
        eps[0] = Math.pow(diameter, p);
        double delta = (start + step) - start;
        for (int i = 0; i < len; i++) {
            double e = i == 0 ? start : i == 1 ? start + step : start + i * delta;
            eps[i + 1] = Math.exp(e);
        }
        eps[len + 1] = Math.pow(blur, p);
        return eps;
    }

    /** A fixed-epsilon schedule of {@code iterations} entries (benchmarks, warm problems). */
    public static double[] constant(double eps, int iterations) {
        double[] e = new double[iterations];
        Arrays.fill(e, eps);
        return e;
    }

    /** geomloss {@code max_diameter}: norm of the diagonal of the joint bounding box. */
    public static double diameter(PointCloud x, PointCloud y) {
        return diagonal(x.boundingBox(), y.boundingBox(), null, null);
    }

    /**
     * Diagonal norm of the union of two bounding boxes, optionally extended by one extra coordinate with the
     * given ranges {@code {min, max}} per side (OTDD's label-index coordinate).
     */
    static double diagonal(double[][] boxX, double[][] boxY, double[] extraX, double[] extraY) {
        double s = 0;
        for (int k = 0; k < boxX[0].length; k++) {
            double lo = Math.min(boxX[0][k], boxY[0][k]), hi = Math.max(boxX[1][k], boxY[1][k]);
            s += (hi - lo) * (hi - lo);
        }
        if (extraX != null) {
            double lo = Math.min(extraX[0], extraY[0]), hi = Math.max(extraX[1], extraY[1]);
            s += (hi - lo) * (hi - lo);
        }
        return Math.sqrt(s);
    }
}
