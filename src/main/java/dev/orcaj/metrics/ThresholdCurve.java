package dev.orcaj.metrics;

import java.util.Arrays;

/**
 * Cumulative true / false positive counts at each distinct score threshold, highest first, as sklearn's
 * _binary_clf_curve: tied scores enter together as one point. Shared by {@link Auroc} and {@link AveragePrecision}.
 */
record ThresholdCurve(long[] truePositives, long[] falsePositives, long positives, long negatives) {

    static ThresholdCurve of(int[] yTrue, float[] scores) {
        int n = yTrue.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Float.compare(scores[b], scores[a]));
        long[] tps = new long[n], fps = new long[n];
        long tp = 0, fp = 0;
        int points = 0, i = 0;
        while (i < n) {
            float threshold = scores[order[i]];
            while (i < n && scores[order[i]] == threshold) {
                if (yTrue[order[i]] == 1) tp++; else fp++;
                i++;
            }
            tps[points] = tp;
            fps[points] = fp;
            points++;
        }
        return new ThresholdCurve(Arrays.copyOf(tps, points), Arrays.copyOf(fps, points), tp, fp);
    }

    /** Column {@code col} of row-major [n, width] values (one label of a multi-label problem). */
    static float[] column(float[] values, int width, int col) {
        float[] out = new float[values.length / width];
        for (int i = 0; i < out.length; i++) out[i] = values[i * width + col];
        return out;
    }

    /** 0/1 floats (already validated by {@link Checks#binary}) as int labels. */
    static int[] asLabels(float[] zeroOne) {
        int[] out = new int[zeroOne.length];
        for (int i = 0; i < out.length; i++) out[i] = (int) zeroOne[i];
        return out;
    }
}
