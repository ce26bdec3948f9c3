package dev.orcaj.metrics;

/**
 * Area under the ROC curve with sklearn's roc_auc_score semantics: the trapezoid rule over the ROC points at the
 * distinct score thresholds, so tied scores form one diagonal segment (equivalently the Mann-Whitney statistic
 * with ties counted 1/2).
 */
public final class Auroc {

    private Auroc() {}

    /** Binary AUROC; yTrue in {0, 1}, higher score = more likely class 1. Undefined (error) unless both classes occur. */
    public static double binary(int[] yTrue, float[] scores) {
        Checks.sameLength("Auroc", scores.length, yTrue.length);
        Checks.finite("Auroc", "scores", scores);
        Checks.classes("Auroc", "yTrue", yTrue, 2);
        double auc = binaryOrNaN(yTrue, scores);
        if (Double.isNaN(auc))
            throw new IllegalArgumentException("Auroc: only one class present in yTrue; ROC AUC is not defined");
        return auc;
    }

    /** NaN when yTrue holds one class only. */
    static double binaryOrNaN(int[] yTrue, float[] scores) {
        ThresholdCurve c = ThresholdCurve.of(yTrue, scores);
        if (c.positives() == 0 || c.negatives() == 0) return Double.NaN;
        double area = 0;
        long tpBefore = 0, fpBefore = 0;
        for (int k = 0; k < c.truePositives().length; k++) {
            long tp = c.truePositives()[k], fp = c.falsePositives()[k];
            area += (fp - fpBefore) * (tp + tpBefore) / 2.0; // trapezoid between consecutive ROC points
            tpBefore = tp;
            fpBefore = fp;
        }
        return area / ((double) c.positives() * c.negatives());
    }

    /**
     * Multiclass one-vs-one macro AUROC as sklearn's roc_auc_score(multi_class='ovo', average='macro') (Hand and
     * Till 2001): for each class pair (a, b), restricted to samples of class a or b, the mean of AUC(y == a,
     * p[:, a]) and AUC(y == b, p[:, b]); then the mean over pairs. As sklearn, requires probabilities
     * [n, numClasses] whose rows sum to 1 and every class present in yTrue.
     */
    public static double oneVsOne(int[] yTrue, float[] probabilities, int numClasses) {
        if (numClasses < 2) throw new IllegalArgumentException("Auroc.oneVsOne: need >= 2 classes, got " + numClasses);
        Checks.sameLength("Auroc.oneVsOne", probabilities.length, yTrue.length * numClasses);
        Checks.finite("Auroc.oneVsOne", "probabilities", probabilities);
        Checks.classes("Auroc.oneVsOne", "yTrue", yTrue, numClasses);
        int n = yTrue.length;
        int[] counts = new int[numClasses];
        for (int y : yTrue) counts[y]++;
        for (int c = 0; c < numClasses; c++)
            if (counts[c] == 0) throw new IllegalArgumentException("Auroc.oneVsOne: class " + c + " does not occur in yTrue (sklearn requires every column's class)");
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int c = 0; c < numClasses; c++) s += probabilities[i * numClasses + c];
            if (Math.abs(s - 1) > 1e-5 + 1e-8)
                throw new IllegalArgumentException("Auroc.oneVsOne: row " + i + " sums to " + s + ", expected probabilities summing to 1");
        }
        double total = 0;
        int pairs = 0;
        for (int a = 0; a < numClasses; a++)
            for (int b = a + 1; b < numClasses; b++) {
                int m = counts[a] + counts[b], k = 0;
                int[] isA = new int[m], isB = new int[m];
                float[] scoreA = new float[m], scoreB = new float[m];
                for (int i = 0; i < n; i++) {
                    if (yTrue[i] != a && yTrue[i] != b) continue;
                    isA[k] = yTrue[i] == a ? 1 : 0;
                    isB[k] = 1 - isA[k];
                    scoreA[k] = probabilities[i * numClasses + a];
                    scoreB[k] = probabilities[i * numClasses + b];
                    k++;
                }
                total += (binaryOrNaN(isA, scoreA) + binaryOrNaN(isB, scoreB)) / 2;
                pairs++;
            }
        return total / pairs;
    }

    /**
     * ORCA's OPENML metric input (spec section 5): softmax probabilities [n, numClasses]; binary uses the probability
     * of class 1, more classes use {@link #oneVsOne}.
     */
    public static double ofProbabilities(int[] yTrue, float[] probabilities, int numClasses) {
        if (numClasses != 2) return oneVsOne(yTrue, probabilities, numClasses);
        Checks.sameLength("Auroc", probabilities.length, yTrue.length * 2);
        float[] p1 = new float[yTrue.length];
        for (int i = 0; i < p1.length; i++) p1[i] = probabilities[2 * i + 1];
        return binary(yTrue, p1);
    }

    /**
     * Multi-label AUROC (ORCA DEEPSEA): the binary AUROC of each of the {@code numLabels} columns of yTrue / scores
     * [n, numLabels], averaged over the labels where it is defined (labels with one class only are skipped, the
     * spec's nan-mean). Fails if no label has both classes.
     */
    public static double multiLabelMean(float[] yTrue, float[] scores, int numLabels) {
        Checks.sameLength("Auroc.multiLabelMean", scores.length, yTrue.length);
        Checks.rows("Auroc.multiLabelMean", yTrue.length, numLabels);
        Checks.binary("Auroc.multiLabelMean", "yTrue", yTrue);
        Checks.finite("Auroc.multiLabelMean", "scores", scores);
        double sum = 0;
        int defined = 0;
        for (int l = 0; l < numLabels; l++) {
            double auc = binaryOrNaN(ThresholdCurve.asLabels(ThresholdCurve.column(yTrue, numLabels, l)), ThresholdCurve.column(scores, numLabels, l));
            if (!Double.isNaN(auc)) { sum += auc; defined++; }
        }
        if (defined == 0) throw new IllegalArgumentException("Auroc.multiLabelMean: no label has both classes; ROC AUC is not defined");
        return sum / defined;
    }

    /** The binary AUROC of each label column of yTrue / scores [n, numLabels]; NaN for a label with one class only. */
    public static double[] perLabel(float[] yTrue, float[] scores, int numLabels) {
        Checks.sameLength("Auroc.perLabel", scores.length, yTrue.length);
        Checks.rows("Auroc.perLabel", yTrue.length, numLabels);
        Checks.binary("Auroc.perLabel", "yTrue", yTrue);
        Checks.finite("Auroc.perLabel", "scores", scores);
        double[] out = new double[numLabels];
        for (int l = 0; l < numLabels; l++) {
            out[l] = binaryOrNaN(ThresholdCurve.asLabels(ThresholdCurve.column(yTrue, numLabels, l)), ThresholdCurve.column(scores, numLabels, l));
        }
        return out;
    }
}
