package dev.orcaj.data;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * A PDEBench HDF5 file as one ORCA task (spec section 7): which of {@link PdeBenchReader}'s layouts the file has, and
 * the paper's choice of input and target time steps and grid stride, overridable. The input is the first time step,
 * the target the last one (Burgers t=200, advection t=200, diffusion-sorption and shallow water t=100, 1D CFD t=100,
 * 2D CFD t=20), except 1D reaction-diffusion (ReacDiff*), whose target is t=30; advection is read at res/4 and 2D
 * Darcy flow and 2D CFD at res/2, everything else at full resolution.
 *
 * @param field   dataset of a 1D time series ("tensor" unless named with #field)
 * @param inStep  input time index, -1 = the paper's choice; {@code outStep} and {@code stride} likewise
 */
public record PdeBenchFile(Path file, String field, int inStep, int outStep, int stride) {

    public enum Layout { TIME_SERIES_1D, CFD_1D, DARCY_2D, GROUPS_2D }

    /**
     * Parses {@code FILE.h5[#field][@IN:OUT][/STRIDE]} (the part after "pdebench:"), e.g.
     * {@code 1D_Burgers_Sols_Nu1.0.hdf5}, {@code 1D_Advection_Sols_beta0.4.hdf5@0:200/4}.
     */
    public static PdeBenchFile parse(String spec) {
        String rest = spec;
        int stride = -1, in = -1, out = -1;
        int slash = rest.lastIndexOf('/'), at = rest.lastIndexOf('@'), hash = rest.lastIndexOf('#');
        if (slash > Math.max(at, hash) && slash > rest.lastIndexOf(".h")) { // a trailing /N after the file name, not a directory
            String s = rest.substring(slash + 1);
            if (s.matches("\\d+")) {
                stride = Integer.parseInt(s);
                rest = rest.substring(0, slash);
            }
        }
        at = rest.lastIndexOf('@');
        if (at >= 0) {
            String[] steps = rest.substring(at + 1).split(":");
            if (steps.length != 2 || !steps[0].matches("\\d+") || !steps[1].matches("\\d+")) {
                throw new IllegalArgumentException("data 'pdebench:" + spec + "': expected @IN:OUT time indices, e.g. @0:200");
            }
            in = Integer.parseInt(steps[0]);
            out = Integer.parseInt(steps[1]);
            rest = rest.substring(0, at);
        }
        hash = rest.lastIndexOf('#');
        String field = hash < 0 ? "tensor" : rest.substring(hash + 1);
        Path file = Path.of(hash < 0 ? rest : rest.substring(0, hash));
        if (stride == 0) throw new IllegalArgumentException("data 'pdebench:" + spec + "': stride must be >= 1");
        return new PdeBenchFile(file, field, in, out, stride);
    }

    /** The layout, from the file's datasets: nu + tensor (Darcy), density/Vx/pressure (1D CFD), groups (2D), else a 1D series. */
    public Layout layout() {
        try (HdfFile hdf = open()) {
            Map<String, Node> top = hdf.getChildren();
            if (top.containsKey("nu") && top.containsKey("tensor")) return Layout.DARCY_2D;
            if (top.containsKey("density") && top.containsKey("Vx") && top.containsKey("pressure")) {
                if (top.containsKey("Vy")) throw DataFormatException.in(file, "2D compressible Navier-Stokes (density, Vx, Vy, pressure) is not supported yet");
                return Layout.CFD_1D;
            }
            if (!top.isEmpty() && top.values().stream().allMatch(Node::isGroup)) return Layout.GROUPS_2D;
            if (!top.containsKey(field)) throw DataFormatException.in(file, "no dataset '" + field + "'; top-level entries are " + top.keySet()
                    + " (expected a PDEBench layout: tensor [N, T, X], density/Vx/pressure, nu + tensor, or per-sample groups)");
            return Layout.TIME_SERIES_1D;
        }
    }

    /** Reads every sample: inputs at the input step, dense targets at the target step. */
    public ArrayDataset read() {
        Layout layout = layout();
        String name = file.getFileName().toString();
        int s = stride > 0 ? stride : name.startsWith("1D_Advection") ? 4 : name.startsWith("2D_DarcyFlow") || name.startsWith("2D_CFD") ? 2 : 1;
        if (layout == Layout.DARCY_2D) return PdeBenchReader.darcy(file, s, -1);
        int steps = timeSteps(layout);
        int tIn = inStep >= 0 ? inStep : 0;
        int tOut = outStep >= 0 ? outStep : name.toLowerCase(Locale.ROOT).startsWith("reacdiff") && steps > 30 ? 30 : steps - 1;
        return switch (layout) {
            case TIME_SERIES_1D -> PdeBenchReader.timeSeries1d(file, field, tIn, tOut, s, -1);
            case CFD_1D -> PdeBenchReader.cfd1d(file, tIn, tOut, s, -1);
            case GROUPS_2D -> PdeBenchReader.groupedSeries2d(file, tIn, tOut, s, -1);
            case DARCY_2D -> throw new IllegalStateException("unreachable");
        };
    }

    /** T of [N, T, X] (1D) or of the first group's data [T, X, Y, C]. */
    private int timeSteps(Layout layout) {
        try (HdfFile hdf = open()) {
            String path = switch (layout) {
                case TIME_SERIES_1D -> field;
                case CFD_1D -> "density";
                case GROUPS_2D -> hdf.getChildren().keySet().stream().sorted().findFirst().orElseThrow() + "/data";
                case DARCY_2D -> throw new IllegalStateException("no time axis");
            };
            Node node;
            try {
                node = hdf.getByPath(path);
            } catch (RuntimeException e) {
                throw DataFormatException.in(file, "no dataset '" + path + "'");
            }
            if (!(node instanceof Dataset ds)) throw DataFormatException.in(file, "'" + path + "' is a group, expected a dataset");
            int[] d = ds.getDimensions();
            int axis = layout == Layout.GROUPS_2D ? 0 : 1;
            if (d.length != (layout == Layout.GROUPS_2D ? 4 : 3)) {
                throw DataFormatException.in(file, path + " has shape " + java.util.Arrays.toString(d) + ", expected " + (layout == Layout.GROUPS_2D ? "[T, X, Y, C]" : "[N, T, X]"));
            }
            return d[axis];
        }
    }

    private HdfFile open() {
        if (!Files.isRegularFile(file)) throw DataFormatException.in(file, "HDF5 file not found");
        try {
            return new HdfFile(file);
        } catch (RuntimeException e) {
            throw new DataFormatException(file + ": not a readable HDF5 file (" + e.getMessage() + ")", e);
        }
    }
}
