package dev.orcaj.metrics;

/**
 * Macro-averaged F1, as sklearn's f1_score(average='macro'): F1_c = 2 TP / (2 TP + FP + FN) per class, 0 when the
 * class has no true and no predicted samples (sklearn's zero_division default), then the unweighted mean over
 * classes. The ORCA ECG metric is 1 - macro F1 over the fixed labels {0, 1, 2, 3}.
 */
public final class MacroF1 {

    private MacroF1() {}

    /** Mean over the fixed label set 0..numClasses-1 (sklearn's labels=range(numClasses)). */
    public static double of(int[] yTrue, int[] yPred, int numClasses) {
        Checks.sameLength("MacroF1", yPred.length, yTrue.length);
        Checks.classes("MacroF1", "yTrue", yTrue, numClasses);
        Checks.classes("MacroF1", "yPred", yPred, numClasses);
        return mean(yTrue, yPred, numClasses, false);
    }

    /** Mean over the labels present in yTrue or yPred (sklearn's default labels=None). */
    public static double ofPresentLabels(int[] yTrue, int[] yPred) {
        Checks.sameLength("MacroF1", yPred.length, yTrue.length);
        int k = 0;
        for (int i = 0; i < yTrue.length; i++) {
            if (yTrue[i] < 0 || yPred[i] < 0) throw new IllegalArgumentException("MacroF1: negative label at index " + i);
            k = Math.max(k, Math.max(yTrue[i], yPred[i]) + 1);
        }
        return mean(yTrue, yPred, k, true);
    }

    private static double mean(int[] yTrue, int[] yPred, int k, boolean presentOnly) {
        int[] tp = new int[k], fp = new int[k], fn = new int[k];
        for (int i = 0; i < yTrue.length; i++) {
            if (yTrue[i] == yPred[i]) tp[yTrue[i]]++;
            else {
                fp[yPred[i]]++;
                fn[yTrue[i]]++;
            }
        }
        double sum = 0;
        int count = 0;
        for (int c = 0; c < k; c++) {
            int denominator = 2 * tp[c] + fp[c] + fn[c];
            if (presentOnly && denominator == 0) continue;
            sum += denominator == 0 ? 0 : 2.0 * tp[c] / denominator;
            count++;
        }
        return sum / count;
    }
}
