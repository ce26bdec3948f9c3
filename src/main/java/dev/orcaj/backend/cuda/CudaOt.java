package dev.orcaj.backend.cuda;

import dev.orcaj.ot.GroundCost;

/**
 * Optimal-transport kernels on point clouds kept on the device: the log-domain soft-min computed tile by tile from
 * the points (sinkhorn.cu, no n x m cost matrix), the soft-max barycentres and gradient of otdd_grad.cu, and the
 * geomloss symmetric Sinkhorn loop on top (potentials stay in double on the host, as in
 * {@link dev.orcaj.ot.SinkhornSolver#symmetric}; only n + m floats cross the bus per soft-min).
 */
public final class CudaOt {
    private final CudaDevice dev;

    public CudaOt(CudaDevice dev) { this.dev = dev; }

    /** Points [n, d] on the device with their squared norms and (optional) integer labels. */
    public final class Cloud implements AutoCloseable {
        public final int n, d;
        final DeviceBuffer points, norms, labels;

        private Cloud(float[] rowMajor, int n, int d, int[] labelIds) {
            if (rowMajor.length != n * d) throw new IllegalArgumentException("point cloud: " + rowMajor.length + " values for " + n + " x " + d);
            if (labelIds != null && labelIds.length != n) throw new IllegalArgumentException("point cloud: " + labelIds.length + " labels for " + n + " points");
            this.n = n;
            this.d = d;
            synchronized (dev) {
                points = dev.upload(rowMajor);
                norms = dev.allocate(4L * n);
                labels = labelIds == null ? null : dev.upload(labelIds);
                if (n > 0) dev.launch(Kernel.ROW_SQ_NORMS, (n + 7) / 8, 256, points, norms, n, d);
            }
        }

        @Override
        public void close() {
            synchronized (dev) {
                points.close();
                norms.close();
                if (labels != null) labels.close();
            }
        }
    }

    public Cloud cloud(float[] rowMajor, int n, int d, int[] labels) { return new Cloud(rowMajor, n, d, labels); }

    /** CostMatrix.softmin: out_i = -eps log sum_j exp(h_j - C(x_i, y_j)/eps), i over x, j over y. */
    public float[] softmin(Cloud x, Cloud y, float[] h, double eps, GroundCost cost) {
        check(x, y, cost);
        if (h.length != y.n) throw new IllegalArgumentException("softmin: h has " + h.length + " entries, expected " + y.n);
        synchronized (dev) {
            try (DeviceBuffer hd = dev.upload(h); DeviceBuffer table = labelTable(cost); DeviceBuffer out = dev.allocate(4L * x.n)) {
                launchSoftmin(x, y, hd, table, cost, eps, out);
                return dev.download(out, x.n);
            }
        }
    }

    private void launchSoftmin(Cloud x, Cloud y, DeviceBuffer h, DeviceBuffer table, GroundCost cost, double eps, DeviceBuffer out) {
        if (x.n == 0) return;
        dev.launch(Kernel.SINKHORN_SOFTMIN, (x.n + 31) / 32, 256, x.points, y.points, x.norms, y.norms,
                table == null ? null : x.labels, table == null ? null : y.labels, table, nLabelsY(cost),
                h, out, x.n, y.n, x.d, (float) eps, (float) cost.featureScale(), (float) cost.labelScale(), cost.p());
    }

    /**
     * CostMatrix.softmaxTimes: out_i = sum_j w_ij v_j with w_ij = softmax_j(h_j - C_ij/eps); {@code softmin} is the
     * matching {@link #softmin} output (it supplies the row normalisers). v has y.n points; returns [x.n, v.d].
     */
    public float[] softmaxTimes(Cloud x, Cloud y, float[] h, float[] softmin, double eps, GroundCost cost, Cloud v) {
        check(x, y, cost);
        if (v.n != y.n) throw new IllegalArgumentException("softmaxTimes: v has " + v.n + " points, expected " + y.n);
        synchronized (dev) {
            try (DeviceBuffer hd = dev.upload(h); DeviceBuffer sm = dev.upload(softmin); DeviceBuffer table = labelTable(cost);
                 DeviceBuffer out = dev.allocate(4L * x.n * v.d)) {
                launchSoftmaxTimes(x, y, hd, sm, table, cost, eps, v, out);
                return dev.download(out, x.n * v.d);
            }
        }
    }

    private void launchSoftmaxTimes(Cloud x, Cloud y, DeviceBuffer h, DeviceBuffer softmin, DeviceBuffer table, GroundCost cost,
                                    double eps, Cloud v, DeviceBuffer out) {
        if (x.n == 0 || v.d == 0) return;
        dev.launch2d(Kernel.SOFTMAX_TIMES, (x.n + 31) / 32, (v.d + 31) / 32, 256, x.points, y.points, x.norms, y.norms,
                table == null ? null : x.labels, table == null ? null : y.labels, table, nLabelsY(cost),
                h, softmin, v.points, out, x.n, y.n, x.d, v.d, (float) eps, (float) cost.featureScale(), (float) cost.labelScale(), cost.p());
    }

    /** Value and (optionally) the gradient with respect to y, [m, d] row-major. */
    public record Divergence(double value, float[] gradY) {}

    /**
     * SinkhornSolver.symmetric (geomloss sinkhorn_loop: damped symmetric updates over {@code epsList}, then the
     * extrapolation step), debiased when {@code debias}, plus SinkhornDivergence.gradientWrtY (p = 2 only).
     */
    public Divergence divergence(Cloud x, double[] logA, Cloud y, double[] logB, GroundCost cost, double[] epsList,
                                 boolean debias, boolean withGradient) {
        check(x, y, cost);
        if (logA.length != x.n || logB.length != y.n) throw new IllegalArgumentException("sinkhorn: weights do not match the clouds");
        if (withGradient && cost.p() != 2) throw new UnsupportedOperationException("sinkhorn gradient: only p=2 is implemented");
        LoopResult r = symmetricLoop(x, logA, y, logB, cost, epsList, debias, (from, to, c, eps, h) -> softmin(from, to, h, eps, c));
        return new Divergence(r.value, withGradient ? gradient(x, y, cost, swap(cost), r.finalEps, r.hYX, r.ay, r.hYY, r.by, logB) : null);
    }

    /** One soft-min: for every point of {@code from}, {@code -eps log sum_j exp(h_j - cost(from_i, to_j) / eps)}. */
    interface SoftMin<C> {
        float[] apply(C from, C to, GroundCost cost, double eps, float[] h);
    }

    /** What the gradient needs from the loop: final eps, the last extrapolation's h and soft-mins on the y side. */
    record LoopResult(double value, double finalEps, float[] hYX, double[] ay, float[] hYY, double[] by) {}

    /**
     * SinkhornSolver.symmetric with the soft-min abstracted (device kernels here, a CPU loop in tests): damped
     * symmetric updates over epsList, then the extrapolation step; value = <a, f_ba - f_aa> + <b, g_ab - g_bb>.
     */
    static <C> LoopResult symmetricLoop(C x, double[] logA, C y, double[] logB, GroundCost cost, double[] epsList,
                                        boolean debias, SoftMin<C> sm) {
        if (epsList.length == 0) throw new IllegalArgumentException("sinkhorn: empty epsilon schedule");
        GroundCost swapped = swap(cost);
        double eps = epsList[0];
        double[] ax = null, by = null;
        if (debias) {
            ax = soft(sm, x, x, cost, eps, logA, null);
            by = soft(sm, y, y, cost, eps, logB, null);
        }
        double[] ay = soft(sm, y, x, swapped, eps, logA, null), bx = soft(sm, x, y, cost, eps, logB, null);
        for (double e : epsList) {
            eps = e;
            double[] tx = debias ? soft(sm, x, x, cost, e, logA, ax) : null, ty = debias ? soft(sm, y, y, cost, e, logB, by) : null;
            double[] tay = soft(sm, y, x, swapped, e, logA, bx), tbx = soft(sm, x, y, cost, e, logB, ay);
            if (debias) { average(ax, tx); average(by, ty); }
            average(ay, tay);
            average(bx, tbx);
        }
        float[] hYX = shifted(logA, bx, eps), hYY = debias ? shifted(logB, by, eps) : null;
        double[] ax2 = debias ? soft(sm, x, x, cost, eps, logA, ax) : null, by2 = debias ? soft(sm, y, y, cost, eps, logB, by) : null;
        double[] ay2 = soft(sm, y, x, swapped, eps, logA, bx), bx2 = soft(sm, x, y, cost, eps, logB, ay);
        double value = weightedDiff(logA, bx2, ax2) + weightedDiff(logB, ay2, by2);
        return new LoopResult(value, eps, hYX, ay2, hYY, by2);
    }

    /** softmin over {@code to} of {@code log w + potential/eps} (potential null: log w alone), for every point of {@code from}. */
    private static <C> double[] soft(SoftMin<C> sm, C from, C to, GroundCost cost, double eps, double[] logW, double[] potential) {
        float[] h = potential == null ? toFloats(logW) : shifted(logW, potential, eps);
        float[] f = sm.apply(from, to, cost, eps, h);
        double[] out = new double[f.length];
        for (int i = 0; i < f.length; i++) out[i] = f[i];
        return out;
    }

    private float[] gradient(Cloud x, Cloud y, GroundCost cost, GroundCost swapped, double eps, float[] hYX, double[] ay,
                             float[] hYY, double[] by, double[] logB) {
        int m = y.n, d = y.d;
        synchronized (dev) {
            try (DeviceBuffer h1 = dev.upload(hYX); DeviceBuffer s1 = dev.upload(toFloats(ay)); DeviceBuffer tYX = labelTable(swapped);
                 DeviceBuffer px = dev.allocate(4L * m * d); DeviceBuffer lb = dev.upload(toFloats(logB)); DeviceBuffer g = dev.allocate(4L * m * d)) {
                launchSoftmaxTimes(y, x, h1, s1, tYX, swapped, eps, x, px);
                if (hYY == null) {
                    dev.launch(Kernel.OTDD_GRAD_COMBINE, CudaDevice.gridFor((long) m * d), 256, px, null, y.points, lb, g, m, d, (float) (2 * cost.featureScale()));
                } else {
                    try (DeviceBuffer h2 = dev.upload(hYY); DeviceBuffer s2 = dev.upload(toFloats(by)); DeviceBuffer tYY = labelTable(cost);
                         DeviceBuffer qy = dev.allocate(4L * m * d)) {
                        launchSoftmaxTimes(y, y, h2, s2, tYY, cost, eps, y, qy);
                        dev.launch(Kernel.OTDD_GRAD_COMBINE, CudaDevice.gridFor((long) m * d), 256, px, qy, y.points, lb, g, m, d, (float) (2 * cost.featureScale()));
                    }
                }
                return dev.download(g, m * d);
            }
        }
    }

    private static boolean hasLabels(GroundCost c) { return c.labelTable() != null && c.labelScale() != 0; }

    private static int nLabelsY(GroundCost c) { return hasLabels(c) && c.labelTable().length > 0 ? c.labelTable()[0].length : 0; }

    private DeviceBuffer labelTable(GroundCost c) {
        if (!hasLabels(c)) return null;
        double[][] t = c.labelTable();
        int r = t.length, k = nLabelsY(c);
        float[] f = new float[r * k];
        for (int i = 0; i < r; i++) for (int j = 0; j < k; j++) f[i * k + j] = (float) t[i][j];
        return dev.upload(f);
    }

    static GroundCost swap(GroundCost c) {
        if (c.labelTable() == null) return c;
        double[][] t = c.labelTable();
        int r = t.length, k = r == 0 ? 0 : t[0].length;
        double[][] s = new double[k][r];
        for (int i = 0; i < r; i++) for (int j = 0; j < k; j++) s[j][i] = t[i][j];
        return new GroundCost(c.p(), c.featureScale(), s, c.labelScale());
    }

    private static void check(Cloud x, Cloud y, GroundCost cost) {
        if (x.d != y.d) throw new IllegalArgumentException("cost: feature dimensions differ: " + x.d + " vs " + y.d);
        if (hasLabels(cost) && (x.labels == null || y.labels == null)) {
            throw new IllegalArgumentException("cost: the ground cost has a label term but a cloud has no labels");
        }
    }

    private static float[] shifted(double[] logW, double[] potential, double eps) {
        float[] h = new float[logW.length];
        for (int i = 0; i < h.length; i++) h[i] = (float) (logW[i] + potential[i] / eps);
        return h;
    }

    private static float[] toFloats(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) f[i] = (float) a[i];
        return f;
    }

    private static void average(double[] old, double[] fresh) {
        for (int i = 0; i < old.length; i++) old[i] = 0.5 * (old[i] + fresh[i]);
    }

    private static double weightedDiff(double[] logW, double[] p, double[] q) {
        double s = 0;
        for (int i = 0; i < logW.length; i++) s += Math.exp(logW[i]) * (q == null ? p[i] : p[i] - q[i]);
        return s;
    }
}
