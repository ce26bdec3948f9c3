package dev.orcaj.data;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * PDEBench HDF5 files (Takamoto et al. 2022, https://github.com/pdebench/PDEBench) read with the pure-Java jhdf
 * library. Layouts handled:
 * <ul>
 *   <li>1D time series (advection, Burgers, reaction-diffusion): dataset "tensor" [N, T, X];
 *   input = state at t index {@code inputStep}, target = state at {@code outputStep}; samples {1, X/stride}.</li>
 *   <li>1D compressible Navier-Stokes ("1D_CFD_*"): "density", "Vx", "pressure", each [N, T, X]; samples
 *   {3, X/stride} (ORCA flattens these to (1, 3X); reshape if wanted).</li>
 *   <li>2D Darcy flow: "nu" [N, X, Y] coefficient and "tensor" [N, 1, X, Y] solution; samples {1, X/s, Y/s}.</li>
 *   <li>2D per-sample groups ("2D_rdb_NA_NA.h5" shallow water, "2D_diff-react_NA_NA.h5"): group "0000", "0001", ...
 *   each with "data" [T, X, Y, C]; samples {C, X/s, Y/s}.</li>
 * </ul>
 * The spec's "res/4" subsampling is {@code stride}; the test split (first 10 % of samples) is the caller's, via
 * {@link Splits#range}.
 */
public final class PdeBenchReader {

    /** A dense float array with its shape. */
    public record FloatArray(float[] data, int[] shape) {}

    private PdeBenchReader() {}

    /** A whole numeric dataset (float32/float64/int) as float32 with its shape. */
    public static FloatArray readFloats(Path file, String datasetPath) {
        try (HdfFile hdf = open(file)) {
            Dataset ds = dataset(hdf, file, datasetPath);
            return new FloatArray(toFloat(ds.getDataFlat(), file, datasetPath), ds.getDimensions());
        }
    }

    /** "tensor" [N, T, X]: inputs u(t_in), targets u(t_out), every {@code stride}-th grid point, first maxSamples (-1 = all). */
    public static ArrayDataset timeSeries1d(Path file, String datasetPath, int inputStep, int outputStep, int stride, int maxSamples) {
        return fields1d(file, new String[] {datasetPath}, inputStep, outputStep, stride, maxSamples);
    }

    /** 1D CFD: the three fields density, Vx, pressure as channels, at t_in and t_out. */
    public static ArrayDataset cfd1d(Path file, int inputStep, int outputStep, int stride, int maxSamples) {
        return fields1d(file, new String[] {"density", "Vx", "pressure"}, inputStep, outputStep, stride, maxSamples);
    }

    /** Several [N, T, X] datasets of equal shape as channels {fields, X/stride}. */
    private static ArrayDataset fields1d(Path file, String[] fields, int inputStep, int outputStep, int stride, int maxSamples) {
        try (HdfFile hdf = open(file)) {
            Dataset[] ds = new Dataset[fields.length];
            int[] dims = null;
            for (int f = 0; f < fields.length; f++) {
                ds[f] = dataset(hdf, file, fields[f]);
                int[] d = ds[f].getDimensions();
                if (d.length != 3) throw DataFormatException.in(file, fields[f] + " has shape " + Arrays.toString(d) + ", expected [N, T, X]");
                if (dims != null && !Arrays.equals(d, dims))
                    throw DataFormatException.in(file, fields[f] + " has shape " + Arrays.toString(d) + ", expected " + Arrays.toString(dims) + " like " + fields[0]);
                dims = d;
            }
            int n = maxSamples < 0 ? dims[0] : Math.min(maxSamples, dims[0]), t = dims[1], x = dims[2];
            for (int step : new int[] {inputStep, outputStep})
                if (step < 0 || step >= t) throw DataFormatException.in(file, fields[0] + ": time index " + step + " outside [0, " + t + ")");
            checkStride(stride, x, file);
            int xs = (x + stride - 1) / stride, c = fields.length, size = c * xs;
            float[] in = new float[n * size], out = new float[n * size];
            for (int i = 0; i < n; i++)
                for (int f = 0; f < c; f++) {
                    float[] a = toFloat(ds[f].getData(new long[] {i, inputStep, 0}, new int[] {1, 1, x}), file, fields[f]);
                    float[] b = toFloat(ds[f].getData(new long[] {i, outputStep, 0}, new int[] {1, 1, x}), file, fields[f]);
                    for (int k = 0; k < xs; k++) {
                        in[i * size + f * xs + k] = a[k * stride];
                        out[i * size + f * xs + k] = b[k * stride];
                    }
                }
            return new ArrayDataset(in, new int[] {c, xs}, new Targets.DenseTargets(out, new int[] {c, xs}));
        }
    }

    /** 2D per-sample groups "NNNN/data" [T, X, Y, C] in group-name order: {C, X/s, Y/s} at t_in and t_out. */
    public static ArrayDataset groupedSeries2d(Path file, int inputStep, int outputStep, int stride, int maxSamples) {
        try (HdfFile hdf = open(file)) {
            List<String> groups = hdf.getChildren().values().stream().filter(Node::isGroup).map(Node::getName).sorted().toList();
            if (groups.isEmpty()) throw DataFormatException.in(file, "no per-sample groups; top-level entries are " + hdf.getChildren().keySet());
            int n = maxSamples < 0 ? groups.size() : Math.min(maxSamples, groups.size());
            float[] in = null, out = null;
            int[] dims = null;
            int xs = 0, ys = 0;
            for (int i = 0; i < n; i++) {
                String path = groups.get(i) + "/data";
                Dataset ds = dataset(hdf, file, path);
                int[] d = ds.getDimensions();
                if (d.length != 4) throw DataFormatException.in(file, path + " has shape " + Arrays.toString(d) + ", expected [T, X, Y, C]");
                if (dims == null) {
                    dims = d;
                    checkStride(stride, Math.min(d[1], d[2]), file);
                    xs = (d[1] + stride - 1) / stride;
                    ys = (d[2] + stride - 1) / stride;
                    in = new float[n * d[3] * xs * ys];
                    out = new float[n * d[3] * xs * ys];
                } else if (!Arrays.equals(d, dims)) {
                    throw DataFormatException.in(file, path + " has shape " + Arrays.toString(d) + ", expected " + Arrays.toString(dims) + " like the first sample");
                }
                for (int step : new int[] {inputStep, outputStep})
                    if (step < 0 || step >= d[0]) throw DataFormatException.in(file, path + ": time index " + step + " outside [0, " + d[0] + ")");
                int size = d[3] * xs * ys;
                channelsFirst(toFloat(ds.getData(new long[] {inputStep, 0, 0, 0}, new int[] {1, d[1], d[2], d[3]}), file, path), d, stride, xs, ys, in, i * size);
                channelsFirst(toFloat(ds.getData(new long[] {outputStep, 0, 0, 0}, new int[] {1, d[1], d[2], d[3]}), file, path), d, stride, xs, ys, out, i * size);
            }
            int[] shape = {dims[3], xs, ys};
            return new ArrayDataset(in, shape, new Targets.DenseTargets(out, shape));
        }
    }

    /** [X, Y, C] (one time step) subsampled to [C, X/s, Y/s] at {@code offset} of dst. */
    private static void channelsFirst(float[] xyc, int[] d, int stride, int xs, int ys, float[] dst, int offset) {
        int c = d[3];
        for (int ch = 0; ch < c; ch++)
            for (int a = 0; a < xs; a++)
                for (int b = 0; b < ys; b++)
                    dst[offset + (ch * xs + a) * ys + b] = xyc[((a * stride) * d[2] + b * stride) * c + ch];
    }

    /** Darcy flow: "nu" [N, X, Y] as input, "tensor" [N, 1, X, Y] as target, every stride-th point, first maxSamples. */
    public static ArrayDataset darcy(Path file, int stride, int maxSamples) {
        FloatArray nu = readFloats(file, "nu"), u = readFloats(file, "tensor");
        if (nu.shape().length != 3) throw DataFormatException.in(file, "nu has shape " + Arrays.toString(nu.shape()) + ", expected [N, X, Y]");
        int n = nu.shape()[0], x = nu.shape()[1], y = nu.shape()[2];
        if (!Arrays.equals(u.shape(), new int[] {n, 1, x, y}))
            throw DataFormatException.in(file, "tensor has shape " + Arrays.toString(u.shape()) + ", expected " + Arrays.toString(new int[] {n, 1, x, y}));
        checkStride(stride, Math.min(x, y), file);
        int m = maxSamples < 0 ? n : Math.min(maxSamples, n), xs = (x + stride - 1) / stride, ys = (y + stride - 1) / stride;
        float[] in = new float[m * xs * ys], out = new float[m * xs * ys];
        for (int i = 0; i < m; i++)
            for (int a = 0; a < xs; a++)
                for (int b = 0; b < ys; b++) {
                    int src = (i * x + a * stride) * y + b * stride, dst = (i * xs + a) * ys + b;
                    in[dst] = nu.data()[src];
                    out[dst] = u.data()[src];
                }
        return new ArrayDataset(in, new int[] {1, xs, ys}, new Targets.DenseTargets(out, new int[] {1, xs, ys}));
    }

    private static HdfFile open(Path file) {
        if (!Files.isRegularFile(file)) throw DataFormatException.in(file, "HDF5 file not found");
        try {
            return new HdfFile(file);
        } catch (RuntimeException e) {
            throw new DataFormatException(file + ": not a readable HDF5 file (" + e.getMessage() + ")", e);
        }
    }

    private static Dataset dataset(HdfFile hdf, Path file, String path) {
        Node node;
        try {
            node = hdf.getByPath(path);
        } catch (RuntimeException e) {
            throw DataFormatException.in(file, "no dataset '" + path + "'; top-level entries are " + hdf.getChildren().keySet());
        }
        if (!(node instanceof Dataset ds)) throw DataFormatException.in(file, "'" + path + "' is a group, expected a dataset");
        return ds;
    }

    private static void checkStride(int stride, int size, Path file) {
        if (stride < 1 || stride > size) throw DataFormatException.in(file, "stride " + stride + " outside [1, " + size + "]");
    }

    /** Flattens jhdf's (possibly nested) primitive arrays into float32. */
    static float[] toFloat(Object data, Path file, String path) {
        return switch (data) {
            case float[] f -> f;
            case double[] d -> {
                float[] f = new float[d.length];
                for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
                yield f;
            }
            case int[] a -> {
                float[] f = new float[a.length];
                for (int i = 0; i < a.length; i++) f[i] = a[i];
                yield f;
            }
            case long[] a -> {
                float[] f = new float[a.length];
                for (int i = 0; i < a.length; i++) f[i] = a[i];
                yield f;
            }
            case Object[] nested -> {
                float[][] parts = new float[nested.length][];
                int total = 0;
                for (int i = 0; i < nested.length; i++) total += (parts[i] = toFloat(nested[i], file, path)).length;
                float[] f = new float[total];
                int off = 0;
                for (float[] p : parts) {
                    System.arraycopy(p, 0, f, off, p.length);
                    off += p.length;
                }
                yield f;
            }
            default -> throw DataFormatException.in(file, "dataset '" + path + "' has element type " + data.getClass().getSimpleName()
                    + ", expected float, double, int or long numbers");
        };
    }
}
