package dev.orcaj.metrics;

/** Normalised RMSE, ORCA PDE-* metric (spec section 5): per sample sqrt(mean((pred - true)^2)) / sqrt(mean(true^2)), averaged. */
public final class Nrmse {

    private Nrmse() {}

    public static double of(float[] pred, float[] target, int samples) {
        Checks.sameLength("Nrmse", pred.length, target.length);
        int m = Checks.valuesPerSample("Nrmse", target.length, samples);
        Checks.finite("Nrmse", "pred", pred);
        Checks.finite("Nrmse", "target", target);
        double sum = 0;
        for (int i = 0; i < samples; i++) {
            double se = 0, sq = 0;
            for (int k = i * m; k < (i + 1) * m; k++) {
                double d = pred[k] - target[k];
                se += d * d;
                sq += (double) target[k] * target[k];
            }
            if (sq == 0) throw new IllegalArgumentException("Nrmse: target sample " + i + " is all zeros; nRMSE undefined");
            sum += Math.sqrt(se / m) / Math.sqrt(sq / m);
        }
        return sum / samples;
    }
}
