package dev.orcaj.metrics;

/** Coefficient of determination R^2 = 1 - sum (pred - y)^2 / sum (y - mean y)^2 over all values (ORCA DRUG-*: 1 - R^2). */
public final class R2 {

    private R2() {}

    public static double of(float[] pred, float[] target) {
        Checks.sameLength("R2", pred.length, target.length);
        Checks.finite("R2", "pred", pred);
        Checks.finite("R2", "target", target);
        double mean = 0;
        for (float t : target) mean += t;
        mean /= target.length;
        double residual = 0, total = 0;
        for (int i = 0; i < pred.length; i++) {
            residual += ((double) pred[i] - target[i]) * ((double) pred[i] - target[i]);
            total += (target[i] - mean) * (target[i] - mean);
        }
        if (total == 0) throw new IllegalArgumentException("R2: target is constant; R^2 undefined");
        return 1 - residual / total;
    }
}
