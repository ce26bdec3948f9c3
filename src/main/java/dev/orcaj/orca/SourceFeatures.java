package dev.orcaj.orca;

/**
 * The embedded source proxy of stage 2 (spec 3.1): one mean-pooled embedding-layer feature per source example,
 * with its label. {@code description} says what produced it (body, data, settings); it keys the disk cache.
 */
public record SourceFeatures(float[] features, int n, int dim, int[] labels, int numClasses, String description) {
    public SourceFeatures {
        if (features.length != n * dim) throw new IllegalArgumentException("source features: " + features.length + " values for " + n + " x " + dim);
        if (labels.length != n) throw new IllegalArgumentException("source features: " + labels.length + " labels for " + n + " rows");
        if (n == 0) throw new IllegalArgumentException("source features: empty source proxy");
    }
}
