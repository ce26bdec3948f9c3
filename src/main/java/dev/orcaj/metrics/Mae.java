package dev.orcaj.metrics;

/** Mean absolute error over all values (flattened). */
public final class Mae {

    private Mae() {}

    public static double of(float[] pred, float[] target) {
        Checks.sameLength("Mae", pred.length, target.length);
        Checks.finite("Mae", "pred", pred);
        Checks.finite("Mae", "target", target);
        double sum = 0;
        for (int i = 0; i < pred.length; i++) sum += Math.abs((double) pred[i] - target[i]);
        return sum / pred.length;
    }
}
