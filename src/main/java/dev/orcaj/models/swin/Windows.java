package dev.orcaj.models.swin;

import dev.orcaj.nn.Functional;
import dev.orcaj.tensor.DType;
import dev.orcaj.tensor.Tensor;

/**
 * The geometry of shifted-window attention (Liu et al. 2021, Swin Transformer, section 3.2): cyclic shift, window
 * partition and its inverse, the relative-position index into the bias table, and the mask that keeps a shifted
 * window from mixing regions that are not adjacent in the image. Layouts follow HF {@code modeling_swin.py}.
 */
public final class Windows {
    private Windows() {}

    /** Value of the shifted-window mask between tokens of different regions (HF uses -100, not -inf). */
    public static final double REGION_MASK = -100.0;

    /** {@code torch.roll(x, shift, axis)}: out[i] = x[(i - shift) mod n], as two slices concatenated. */
    public static Tensor roll(Tensor x, int axis, int shift) {
        int n = x.shape(axis);
        int k = Math.floorMod(shift, n);
        if (k == 0) return x;
        return Functional.concat(axis, x.slice(axis, n - k, n), x.slice(axis, 0, n - k));
    }

    /** [B, H, W, C] -> [B * (H/w) * (W/w), w*w, C], windows row-major, tokens row-major inside a window. */
    public static Tensor partition(Tensor x, int w) {
        int b = x.shape(0), h = x.shape(1), wd = x.shape(2), c = x.shape(3);
        return x.reshape(b, h / w, w, wd / w, w, c).permute(0, 1, 3, 2, 4, 5).reshape(b * (h / w) * (wd / w), w * w, c);
    }

    /** Inverse of {@link #partition}: [B * (H/w) * (W/w), w*w, C] -> [B, H, W, C]. */
    public static Tensor reverse(Tensor windows, int w, int h, int wd) {
        int c = windows.shape(2), b = windows.shape(0) / ((h / w) * (wd / w));
        return windows.reshape(b, h / w, wd / w, w, w, c).permute(0, 1, 3, 2, 4, 5).reshape(b, h, wd, c);
    }

    /**
     * Index into the [(2W-1)^2, heads] bias table for every (query, key) pair of a ws x ws window, W being the table's
     * window: (dh + W - 1) * (2W - 1) + (dw + W - 1). With ws == W this is HF's {@code relative_position_index}.
     */
    public static int[] relativePositionIndex(int ws, int tableWindow) {
        int n = ws * ws, span = 2 * tableWindow - 1;
        int[] idx = new int[n * n];
        for (int p = 0; p < n; p++) {
            for (int q = 0; q < n; q++) {
                int dh = p / ws - q / ws, dw = p % ws - q % ws;
                idx[p * n + q] = (dh + tableWindow - 1) * span + (dw + tableWindow - 1);
            }
        }
        return idx;
    }

    /**
     * Additive mask [nW, 1, w*w, w*w] for a padded grid h x wd shifted by {@code shift}: the grid is cut into
     * 3 x 3 regions ([0, h-w), [h-w, h-shift), [h-shift, h) per axis); tokens of different regions get -100.
     */
    public static Tensor shiftMask(int h, int wd, int w, int shift, DType dtype) {
        int[] region = new int[h * wd];
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < wd; j++) region[i * wd + j] = band(i, h, w, shift) * 3 + band(j, wd, w, shift);
        }
        int nh = h / w, nw = wd / w, n = w * w;
        double[] m = new double[nh * nw * n * n];
        for (int win = 0; win < nh * nw; win++) {
            int top = (win / nw) * w, left = (win % nw) * w;
            for (int p = 0; p < n; p++) {
                int rp = region[(top + p / w) * wd + left + p % w];
                for (int q = 0; q < n; q++) {
                    int rq = region[(top + q / w) * wd + left + q % w];
                    m[(win * n + p) * n + q] = rp == rq ? 0 : REGION_MASK;
                }
            }
        }
        return Tensor.of(m, nh * nw, 1, n, n).to(dtype);
    }

    private static int band(int i, int size, int w, int shift) {
        if (i < size - w) return 0;
        return i < size - shift ? 1 : 2;
    }
}
