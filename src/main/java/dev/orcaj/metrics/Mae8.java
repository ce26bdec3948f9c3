package dev.orcaj.metrics;

/**
 * PSICOV's MAE8 (spec section 5): for each predicted distance map [L, L] the prediction is symmetrised (mean of both
 * triangles) and clamped below at 0.01, then the mean |pred - true| is taken over the residue pairs (i, j) with
 * sequence separation |i - j| >= {@value #MIN_SEPARATION} whose true distance is <= 8 Angstrom; the result is the
 * mean over the maps that have such pairs (the reference's nan-mean). The reference's 5-pixel padding shift belongs
 * to its data loader and is not applied here: maps are taken as given.
 */
public final class Mae8 {
    public static final int MIN_SEPARATION = 24;
    public static final double CONTACT = 8.0, FLOOR = 0.01;

    private Mae8() {}

    /** pred and target [samples, L, L] row-major; NaN when no map has a pair within 8 A at separation >= 24. */
    public static double of(float[] pred, float[] target, int samples) {
        Checks.sameLength("Mae8", pred.length, target.length);
        int area = Checks.valuesPerSample("Mae8", target.length, samples);
        int l = (int) Math.round(Math.sqrt(area));
        if (l * l != area) throw new IllegalArgumentException("Mae8: each sample must be a square distance map, got " + area + " values");
        Checks.finite("Mae8", "pred", pred);
        Checks.finite("Mae8", "target", target);
        double sum = 0;
        int maps = 0;
        for (int s = 0; s < samples; s++) {
            int o = s * area;
            double err = 0;
            long pairs = 0;
            for (int i = 0; i < l; i++) {
                for (int j = 0; j < l; j++) {
                    if (Math.abs(i - j) < MIN_SEPARATION || target[o + i * l + j] > CONTACT) continue;
                    double p = Math.max(FLOOR, (pred[o + i * l + j] + (double) pred[o + j * l + i]) / 2);
                    err += Math.abs(p - target[o + i * l + j]);
                    pairs++;
                }
            }
            if (pairs > 0) {
                sum += err / pairs;
                maps++;
            }
        }
        return maps == 0 ? Double.NaN : sum / maps;
    }
}
