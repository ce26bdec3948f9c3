package dev.orcaj.metrics;

/** RMSE as ORCA's PDE-Burgers / PDE-1DCFD loss (spec section 2): mean over samples of per-sample sqrt(mean((pred - true)^2)). */
public final class Rmse {

    private Rmse() {}

    public static double of(float[] pred, float[] target, int samples) {
        Checks.sameLength("Rmse", pred.length, target.length);
        int m = Checks.valuesPerSample("Rmse", target.length, samples);
        Checks.finite("Rmse", "pred", pred);
        Checks.finite("Rmse", "target", target);
        double sum = 0;
        for (int i = 0; i < samples; i++) {
            double se = 0;
            for (int k = i * m; k < (i + 1) * m; k++) {
                double d = pred[k] - target[k];
                se += d * d;
            }
            sum += Math.sqrt(se / m);
        }
        return sum / samples;
    }
}
