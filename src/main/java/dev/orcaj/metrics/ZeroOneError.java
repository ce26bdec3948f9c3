package dev.orcaj.metrics;

/** 0-1 error = 1 - top-1 accuracy (ORCA spec section 5: CIFAR100, SATELLITE, MNIST, ...; lower is better). */
public final class ZeroOneError {

    private ZeroOneError() {}

    public static double of(int[] yTrue, int[] yPred) {
        return 1 - Accuracy.of(yTrue, yPred);
    }

    public static double ofScores(int[] yTrue, float[] scores, int numClasses) {
        return 1 - Accuracy.ofScores(yTrue, scores, numClasses);
    }
}
