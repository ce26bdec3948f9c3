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
public record PatchPlan(int k, int[] spatial, int[] padded, int[] grid, boolean resize) {

    public PatchPlan(int k, int[] spatial, int[] padded, int[] grid) { this(k, spatial, padded, grid, false); }

    public int tokens() {
        int t = 1;
        for (int g : grid) t *= g;
        return t;
    }

    /** True when the input is zero-padded (right/bottom) to {@link #padded}; a resized plan never pads. */
    public boolean needsPadding() { return !resize && !Arrays.equals(spatial, padded); }

    /**
     * 2D input into a vision body (spec 1.2): bilinear resize to the body's image size, then the body's own patch size;
     * {@code padded} holds the resize target.
     */
    public static PatchPlan resized(int[] spatial, int imageSize, int patch) {
        if (spatial.length != 2) throw new IllegalArgumentException("resize plan: expected a 2D input, got " + Shape.str(spatial));
        int[] target = {imageSize, imageSize};
        return new PatchPlan(patch, spatial.clone(), target, grid(target, patch), true);
    }

    /**
     * 1D input into Swin (spec 1.1, Swin-1D variant): the smallest divisor k of L with L/k a perfect square no larger
     * than {@code limit}, so the tokens fill a square patch grid.
     */
    public static PatchPlan squareTokens(int[] spatial, int limit, int explicitK) {
        int l = spatial[0];
        for (int k = explicitK > 0 ? explicitK : 1; k <= l; k++) {
            if (l % k == 0) {
                int t = l / k, g = (int) Math.round(Math.sqrt(t));
                if (g * g == t && t <= limit) return new PatchPlan(k, spatial.clone(), spatial.clone(), new int[] {t});
            }
            if (explicitK > 0) break;
        }
        throw new IllegalArgumentException("cannot lay input length " + l + " on a square token grid for a Swin body"
                + (explicitK > 0 ? " with k=" + explicitK : "") + ": L/k must be a perfect square <= " + limit + " for some divisor k of L");
    }

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

    /** The same kernel k on another input extent (zero-shot resolution transfer): padding as needed, no resize. */
    public PatchPlan forExtent(int[] otherSpatial) {
        if (Arrays.equals(otherSpatial, spatial)) return this;
        if (resize) return new PatchPlan(k, otherSpatial.clone(), padded, grid, true);
        return withPadding(otherSpatial, k);
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
