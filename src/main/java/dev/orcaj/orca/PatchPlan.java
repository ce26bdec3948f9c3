package dev.orcaj.orca;

import dev.orcaj.tensor.Shape;

import java.util.Arrays;

/**
 * Dimensionality alignment (paper section 3.1, spec 1.1): the kernel = stride k of the embedder convolution, the
 * padded input extent, and the token grid. By default k is the smallest divisor of L with L/k <= the body's
 * sequence limit (for 2D: the smallest k dividing both H and W with (H/k)(W/k) <= limit). An explicit k that does
 * not divide the input uses the paper's padding variant: zero-pad right/bottom to a multiple of k (the predictor
 * crops the padding away again).
 */
public record PatchPlan(int k, int[] spatial, int[] padded, int[] grid) {

    public int tokens() {
        int t = 1;
        for (int g : grid) t *= g;
        return t;
    }

    public boolean needsPadding() { return !Arrays.equals(spatial, padded); }

    public static PatchPlan choose(int[] spatial, int sequenceLimit, int explicitK) {
        if (explicitK > 0) return withK(spatial, explicitK, sequenceLimit);
        int maxExtent = Arrays.stream(spatial).max().orElseThrow();
        for (int k = 1; k <= maxExtent; k++) {
            boolean divides = true;
            for (int s : spatial) divides &= s % k == 0;
            if (!divides) continue;
            PatchPlan p = new PatchPlan(k, spatial.clone(), spatial.clone(), grid(spatial, k));
            if (p.tokens() <= sequenceLimit) return p;
        }
        // 2D extents without a common divisor that fits: pad to a square multiple of the smallest fitting k.
        for (int k = 1; k <= maxExtent; k++) {
            PatchPlan p = withPadding(spatial, k);
            if (p.tokens() <= sequenceLimit) return p;
        }
        throw new IllegalArgumentException("cannot align input " + Shape.str(spatial) + " to at most " + sequenceLimit + " tokens");
    }

    private static PatchPlan withK(int[] spatial, int k, int limit) {
        PatchPlan p = withPadding(spatial, k);
        if (p.tokens() > limit) {
            PatchPlan auto = choose(spatial, limit, 0);
            throw new IllegalArgumentException("patch size k=" + k + " turns input " + Shape.str(spatial) + " into " + p.tokens()
                    + " tokens, more than the body's sequence limit " + limit + "; use k >= " + auto.k() + " (e.g. --patch " + auto.k() + ")");
        }
        return p;
    }

    private static PatchPlan withPadding(int[] spatial, int k) {
        int[] padded = new int[spatial.length];
        for (int i = 0; i < spatial.length; i++) padded[i] = (spatial[i] + k - 1) / k * k;
        return new PatchPlan(k, spatial.clone(), padded, grid(padded, k));
    }

    private static int[] grid(int[] extent, int k) {
        int[] g = new int[extent.length];
        for (int i = 0; i < extent.length; i++) g[i] = extent[i] / k;
        return g;
    }
}
