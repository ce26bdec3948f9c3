package dev.orcaj.data;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * NAS-Bench-360 / FNO Darcy flow ({@code piececonst_r421_N1024_smooth{1,2}.mat}, orca-spec section 7, DARCY-FLOW-5):
 * MATLAB v7.3 files, which are HDF5 and read with jhdf. MATLAB stores column-major, so an array (N, H, W) appears
 * in HDF5 with the dimensions reversed, [W, H, N] (FNO's MatReader transposes every axis back). Fields "coeff" (the
 * permeability, input) and "sol" (the solution, target), the first {@code n} samples, every {@code stride}-th grid
 * point (the reference's r = 5: 421 -> 85).
 */
public final class DarcyMatReader {
    private DarcyMatReader() {}

    /** The first (at most) {@code maxSamples} samples of one field as [n, H/stride, W/stride], row-major. */
    public static PdeBenchReader.FloatArray field(Path file, String name, int maxSamples, int stride) {
        if (!Files.isRegularFile(file)) throw DataFormatException.in(file, "MATLAB v7.3 file not found");
        try (HdfFile hdf = open(file)) {
            Node node;
            try {
                node = hdf.getByPath(name);
            } catch (RuntimeException e) {
                throw DataFormatException.in(file, "no field '" + name + "'; fields are " + hdf.getChildren().keySet());
            }
            if (!(node instanceof Dataset ds)) throw DataFormatException.in(file, "'" + name + "' is a group, expected a numeric array");
            int[] d = ds.getDimensions(); // [W, H, N]
            if (d.length != 3) throw DataFormatException.in(file, name + " has " + d.length + " dimensions " + Arrays.toString(d) + ", expected a (N, H, W) MATLAB array");
            int w = d[0], h = d[1], n = Math.min(maxSamples, d[2]);
            if (stride < 1 || stride > Math.min(w, h)) throw DataFormatException.in(file, "stride " + stride + " outside [1, " + Math.min(w, h) + "]");
            int hs = (h + stride - 1) / stride, ws = (w + stride - 1) / stride;
            float[] out = new float[n * hs * ws];
            for (int b = 0; b < ws; b++) { // one HDF5 row per kept MATLAB column: [1, H, n]
                float[] slab = PdeBenchReader.toFloat(ds.getData(new long[] {(long) b * stride, 0, 0}, new int[] {1, h, n}), file, name);
                for (int a = 0; a < hs; a++) {
                    for (int i = 0; i < n; i++) out[(i * hs + a) * ws + b] = slab[a * stride * n + i];
                }
            }
            return new PdeBenchReader.FloatArray(out, new int[] {n, hs, ws});
        }
    }

    /**
     * The reference's Darcy task from one file: inputs {3, H', W'} = coefficient normalised per grid point with the
     * given training statistics (UnitGaussianNormalizer, eps 1e-5) plus the x and y grid coordinates in [0, 1]; targets
     * {1, H', W'} = the solution in its own units (the reference normalises it and decodes before the loss, which a
     * linear head absorbs).
     */
    public static ArrayDataset task(PdeBenchReader.FloatArray coeff, PdeBenchReader.FloatArray sol, float[] mean, float[] std) {
        int n = coeff.shape()[0], hs = coeff.shape()[1], ws = coeff.shape()[2], area = hs * ws;
        if (!Arrays.equals(coeff.shape(), sol.shape())) {
            throw new DataFormatException("Darcy .mat: coeff " + Arrays.toString(coeff.shape()) + " and sol " + Arrays.toString(sol.shape()) + " differ");
        }
        float[] x = new float[n * 3 * area];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < area; p++) {
                x[(i * 3) * area + p] = (coeff.data()[i * area + p] - mean[p]) / (std[p] + 1e-5f);
                x[(i * 3 + 1) * area + p] = hs == 1 ? 0 : (float) (p / ws) / (hs - 1);
                x[(i * 3 + 2) * area + p] = ws == 1 ? 0 : (float) (p % ws) / (ws - 1);
            }
        }
        return new ArrayDataset(x, new int[] {3, hs, ws}, new Targets.DenseTargets(sol.data(), new int[] {1, hs, ws}));
    }

    /** Per-grid-point mean and standard deviation (torch.std: unbiased) over the samples of [n, H, W]. */
    public static float[][] pointwiseStats(PdeBenchReader.FloatArray a) {
        int n = a.shape()[0], area = a.data().length / n;
        float[] mean = new float[area], std = new float[area];
        for (int p = 0; p < area; p++) {
            double s = 0, ss = 0;
            for (int i = 0; i < n; i++) s += a.data()[i * area + p];
            double m = s / n;
            for (int i = 0; i < n; i++) ss += (a.data()[i * area + p] - m) * (a.data()[i * area + p] - m);
            mean[p] = (float) m;
            std[p] = (float) Math.sqrt(ss / Math.max(1, n - 1));
        }
        return new float[][] {mean, std};
    }

    private static HdfFile open(Path file) {
        try {
            return new HdfFile(file);
        } catch (RuntimeException e) {
            throw new DataFormatException(file + ": not a readable MATLAB v7.3 (HDF5) file (" + e.getMessage() + "); v5/v7 .mat files are not HDF5", e);
        }
    }
}
