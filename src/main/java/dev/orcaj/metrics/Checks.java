package dev.orcaj.metrics;

/** Input validation shared by the metrics: every failure names the metric and what was expected. */
final class Checks {

    private Checks() {}

    static void sameLength(String metric, int predLength, int trueLength) {
        if (trueLength == 0 || predLength == 0) throw new IllegalArgumentException(metric + ": empty input");
        if (predLength != trueLength)
            throw new IllegalArgumentException(metric + ": " + predLength + " predictions for " + trueLength + " targets");
    }

    static void finite(String metric, String what, float[] v) {
        for (int i = 0; i < v.length; i++)
            if (!Float.isFinite(v[i])) throw new IllegalArgumentException(metric + ": " + what + "[" + i + "] is " + v[i] + ", expected a finite number");
    }

    static void classes(String metric, String what, int[] labels, int numClasses) {
        for (int i = 0; i < labels.length; i++)
            if (labels[i] < 0 || labels[i] >= numClasses)
                throw new IllegalArgumentException(metric + ": " + what + "[" + i + "] = " + labels[i] + " outside [0, " + numClasses + ")");
    }

    static void binary(String metric, String what, float[] v) {
        for (int i = 0; i < v.length; i++)
            if (v[i] != 0f && v[i] != 1f) throw new IllegalArgumentException(metric + ": " + what + "[" + i + "] = " + v[i] + ", expected 0 or 1");
    }

    /** Values per sample when {@code length} values hold {@code samples} rows; fails if it does not divide. */
    static int valuesPerSample(String metric, int length, int samples) {
        if (samples <= 0) throw new IllegalArgumentException(metric + ": number of samples must be > 0, got " + samples);
        if (length % samples != 0) throw new IllegalArgumentException(metric + ": " + length + " values do not split into " + samples + " samples");
        return length / samples;
    }

    /** Rows when {@code length} values are rows of {@code width} (e.g. labels per sample); fails if it does not divide. */
    static int rows(String metric, int length, int width) {
        if (width <= 0) throw new IllegalArgumentException(metric + ": row width must be > 0, got " + width);
        if (length % width != 0) throw new IllegalArgumentException(metric + ": " + length + " values are not rows of width " + width);
        return length / width;
    }
}
