package dev.orcaj.metrics;

/** Top-1 accuracy: the fraction of samples whose predicted class equals the true class. */
public final class Accuracy {

    private Accuracy() {}

    public static double of(int[] yTrue, int[] yPred) {
        Checks.sameLength("Accuracy", yPred.length, yTrue.length);
        int correct = 0;
        for (int i = 0; i < yTrue.length; i++) if (yTrue[i] == yPred[i]) correct++;
        return (double) correct / yTrue.length;
    }

    /** Accuracy of argmax over scores [n, numClasses] (logits or probabilities). */
    public static double ofScores(int[] yTrue, float[] scores, int numClasses) {
        return of(yTrue, argmax(scores, numClasses));
    }

    /** Row-wise argmax of [n, numClasses]; the first maximum wins ties, as numpy/torch argmax. */
    public static int[] argmax(float[] scores, int numClasses) {
        if (numClasses < 1) throw new IllegalArgumentException("argmax: numClasses must be >= 1");
        if (scores.length == 0) throw new IllegalArgumentException("argmax: empty input");
        if (scores.length % numClasses != 0)
            throw new IllegalArgumentException("argmax: " + scores.length + " scores is not a multiple of " + numClasses + " classes");
        Checks.finite("argmax", "scores", scores);
        int[] out = new int[scores.length / numClasses];
        for (int i = 0; i < out.length; i++) {
            int best = 0;
            for (int c = 1; c < numClasses; c++) if (scores[i * numClasses + c] > scores[i * numClasses + best]) best = c;
            out[i] = best;
        }
        return out;
    }
}
