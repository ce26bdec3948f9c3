package dev.orcaj.ot;

/**
 * OTDD settings (spec 3.3 / 6). {@link #orca()} is ORCA's {@code otdd-exact}: exact debiased inner Sinkhorn,
 * debiased outer loss, p=2, entropic regularization 0.1, lambda_x = lambda_y = 1, min label count 2.
 * {@code scaling} is geomloss's epsilon-scaling factor (0.5, not configurable in OTDD).
 */
public record OtddOptions(InnerMethod innerMethod, double entreg, int p, boolean innerDebiased,
                          boolean outerDebiased, double lambdaX, double lambdaY, int minLabelCount,
                          Precision precision, double scaling) {

    /** How label-to-label distances W are computed (spec 6.1). */
    public enum InnerMethod {
        /** Debiased (or plain) entropic OT between the class-conditional point clouds. */
        EXACT,
        /** Squared 2-Wasserstein (Bures) distance between Gaussians fitted to the classes. */
        GAUSSIAN;

        public static InnerMethod parse(String s) {
            return switch (s.toLowerCase(java.util.Locale.ROOT)) {
                case "exact" -> EXACT;
                case "gaussian", "gaussian_approx" -> GAUSSIAN;
                default -> throw new IllegalArgumentException("inner method: expected exact or gaussian, got '" + s + "'");
            };
        }
    }

    public OtddOptions {
        if (!(entreg > 0) || !Double.isFinite(entreg)) throw new IllegalArgumentException("otdd: entreg must be > 0, got " + entreg);
        if (p != 1 && p != 2) throw new IllegalArgumentException("otdd: p must be 1 or 2, got " + p);
        if (!(lambdaX >= 0) || !(lambdaY >= 0) || !Double.isFinite(lambdaX) || !Double.isFinite(lambdaY)) {
            throw new IllegalArgumentException("otdd: lambda_x and lambda_y must be finite and >= 0");
        }
        if (lambdaX == 0 && lambdaY == 0) throw new IllegalArgumentException("otdd: lambda_x and lambda_y are both 0");
        if (minLabelCount < 1) throw new IllegalArgumentException("otdd: min label count must be >= 1");
        if (!(scaling > 0 && scaling < 1)) throw new IllegalArgumentException("otdd: scaling must be in (0,1)");
    }

    public static OtddOptions orca() {
        return new OtddOptions(InnerMethod.EXACT, 0.1, 2, true, true, 1, 1, 2, Precision.FLOAT32, 0.5);
    }

    public OtddOptions withInnerMethod(InnerMethod m) { return new OtddOptions(m, entreg, p, innerDebiased, outerDebiased, lambdaX, lambdaY, minLabelCount, precision, scaling); }
    public OtddOptions withEntreg(double e) { return new OtddOptions(innerMethod, e, p, innerDebiased, outerDebiased, lambdaX, lambdaY, minLabelCount, precision, scaling); }
    public OtddOptions withP(int q) { return new OtddOptions(innerMethod, entreg, q, innerDebiased, outerDebiased, lambdaX, lambdaY, minLabelCount, precision, scaling); }
    public OtddOptions withInnerDebiased(boolean b) { return new OtddOptions(innerMethod, entreg, p, b, outerDebiased, lambdaX, lambdaY, minLabelCount, precision, scaling); }
    public OtddOptions withOuterDebiased(boolean b) { return new OtddOptions(innerMethod, entreg, p, innerDebiased, b, lambdaX, lambdaY, minLabelCount, precision, scaling); }
    public OtddOptions withLambdas(double lx, double ly) { return new OtddOptions(innerMethod, entreg, p, innerDebiased, outerDebiased, lx, ly, minLabelCount, precision, scaling); }
    public OtddOptions withMinLabelCount(int c) { return new OtddOptions(innerMethod, entreg, p, innerDebiased, outerDebiased, lambdaX, lambdaY, c, precision, scaling); }
    public OtddOptions withPrecision(Precision pr) { return new OtddOptions(innerMethod, entreg, p, innerDebiased, outerDebiased, lambdaX, lambdaY, minLabelCount, pr, scaling); }

    /** geomloss blur = entreg^(1/p), so that the final epsilon blur^p equals entreg. */
    double blur() { return Math.pow(entreg, 1.0 / p); }

    /** The outer ground cost for a label table W (null: features only). */
    GroundCost outerCost(double[][] w) {
        double featureScale = lambdaX * (p == 2 ? 0.5 : 1.0);
        return new GroundCost(p, featureScale, lambdaY == 0 ? null : w, lambdaY / p);
    }
}
