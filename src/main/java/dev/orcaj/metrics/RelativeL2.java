package dev.orcaj.metrics;

/**
 * Relative L2 error, ORCA DARCY-FLOW-5 (spec section 5): ||pred_i - true_i||_2 / ||true_i||_2 per sample, averaged
 * over the samples (the caller decodes any normaliser first).
 */
public final class RelativeL2 {

    private RelativeL2() {}

    /** pred and target are row-major [samples, ...]. */
    public static double of(float[] pred, float[] target, int samples) {
        Checks.sameLength("RelativeL2", pred.length, target.length);
        int m = Checks.valuesPerSample("RelativeL2", target.length, samples);
        Checks.finite("RelativeL2", "pred", pred);
        Checks.finite("RelativeL2", "target", target);
        double sum = 0;
        for (int i = 0; i < samples; i++) {
            double diff = 0, norm = 0;
            for (int k = i * m; k < (i + 1) * m; k++) {
                double d = pred[k] - target[k];
                diff += d * d;
                norm += (double) target[k] * target[k];
            }
            if (norm == 0) throw new IllegalArgumentException("RelativeL2: target sample " + i + " is all zeros; relative error undefined");
            sum += Math.sqrt(diff / norm);
        }
        return sum / samples;
    }
}
