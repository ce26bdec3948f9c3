package dev.orcaj.metrics;

/**
 * Average precision with sklearn's average_precision_score semantics: AP = sum_n (R_n - R_{n-1}) P_n over the
 * distinct score thresholds in decreasing order (tied scores enter together), R_0 = 0; no interpolation. As in
 * sklearn, a label without positives gives AP = 0 (its recall is taken as 1 at every threshold).
 */
public final class AveragePrecision {

    private AveragePrecision() {}

    public static double binary(int[] yTrue, float[] scores) {
        Checks.sameLength("AveragePrecision", scores.length, yTrue.length);
        Checks.finite("AveragePrecision", "scores", scores);
        Checks.classes("AveragePrecision", "yTrue", yTrue, 2);
        return ap(yTrue, scores);
    }

    /** Macro mAP: the mean over the {@code numLabels} columns of yTrue / scores [n, numLabels] (ORCA FSD metric: 1 - mAP). */
    public static double meanOverLabels(float[] yTrue, float[] scores, int numLabels) {
        Checks.sameLength("AveragePrecision.meanOverLabels", scores.length, yTrue.length);
        Checks.rows("AveragePrecision.meanOverLabels", yTrue.length, numLabels);
        Checks.binary("AveragePrecision.meanOverLabels", "yTrue", yTrue);
        Checks.finite("AveragePrecision.meanOverLabels", "scores", scores);
        double sum = 0;
        for (int l = 0; l < numLabels; l++)
            sum += ap(ThresholdCurve.asLabels(ThresholdCurve.column(yTrue, numLabels, l)), ThresholdCurve.column(scores, numLabels, l));
        return sum / numLabels;
    }

    private static double ap(int[] yTrue, float[] scores) {
        ThresholdCurve c = ThresholdCurve.of(yTrue, scores);
        if (c.positives() == 0) return 0;
        double ap = 0, recallBefore = 0;
        for (int k = 0; k < c.truePositives().length; k++) {
            long tp = c.truePositives()[k];
            double recall = (double) tp / c.positives(), precision = (double) tp / (tp + c.falsePositives()[k]);
            ap += (recall - recallBefore) * precision;
            recallBefore = recall;
        }
        return ap;
    }
}
