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
        int n = Checks.rows("AveragePrecision.meanOverLabels", yTrue.length, numLabels);
        Checks.binary("AveragePrecision.meanOverLabels", "yTrue", yTrue);
        Checks.finite("AveragePrecision.meanOverLabels", "scores", scores);
        double sum = 0;
        for (int l = 0; l < numLabels; l++) {
            int[] y = new int[n];
            float[] s = new float[n];
            for (int i = 0; i < n; i++) {
                y[i] = (int) yTrue[i * numLabels + l];
                s[i] = scores[i * numLabels + l];
            }
            sum += ap(y, s);
        }
        return sum / numLabels;
    }

    private static double ap(int[] yTrue, float[] scores) {
        int n = yTrue.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        java.util.Arrays.sort(order, (a, b) -> Float.compare(scores[b], scores[a]));
        long positives = 0;
        for (int y : yTrue) positives += y;
        if (positives == 0) return 0;
        double ap = 0, recallBefore = 0;
        long tp = 0, seen = 0;
        int i = 0;
        while (i < n) {
            float threshold = scores[order[i]];
            while (i < n && scores[order[i]] == threshold) {
                tp += yTrue[order[i]];
                seen++;
                i++;
            }
            double recall = (double) tp / positives, precision = (double) tp / seen;
            ap += (recall - recallBefore) * precision;
            recallBefore = recall;
        }
        return ap;
    }
}
