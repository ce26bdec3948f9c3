package dev.orcaj.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HDF5 files written here with jhdf's own writer in PDEBench's layouts (no PDEBench file is available offline). */
class PdeBenchReaderTest {

    @Test
    void timeSeriesPicksTimeStepsAndSubsamplesSpace(@TempDir Path dir) {
        Path f = dir.resolve("1D_Advection_Sols_beta0.4.hdf5");
        int n = 3, t = 5, x = 8;
        float[][][] tensor = new float[n][t][x];
        for (int i = 0; i < n; i++) for (int k = 0; k < t; k++) for (int j = 0; j < x; j++) tensor[i][k][j] = 100 * i + 10 * k + j;
        try (var w = HdfFile.write(f)) {
            w.putDataset("tensor", tensor);
            w.putDataset("x-coordinate", new double[] {0, 1, 2, 3, 4, 5, 6, 7});
        }
        ArrayDataset ds = PdeBenchReader.timeSeries1d(f, "tensor", 0, 4, 2, -1);
        assertEquals(3, ds.size());
        assertArrayEquals(new int[] {1, 4}, ds.sampleShape());
        assertArrayEquals(new float[] {100, 102, 104, 106}, ds.sample(1));
        var y = (Targets.DenseTargets) ds.targets();
        assertArrayEquals(new float[] {240, 242, 244, 246}, java.util.Arrays.copyOfRange(y.values(), 8, 12));
        assertEquals(2, PdeBenchReader.timeSeries1d(f, "tensor", 0, 1, 1, 2).size());
        var coords = PdeBenchReader.readFloats(f, "x-coordinate");
        assertArrayEquals(new int[] {8}, coords.shape());
        assertEquals(7f, coords.data()[7]);
        var e = assertThrows(DataFormatException.class, () -> PdeBenchReader.timeSeries1d(f, "tensor", 0, 5, 1, -1));
        assertTrue(e.getMessage().contains("time index 5 outside [0, 5)"), e.getMessage());
        e = assertThrows(DataFormatException.class, () -> PdeBenchReader.readFloats(f, "u"));
        assertTrue(e.getMessage().contains("no dataset 'u'"), e.getMessage());
    }

    @Test
    void darcyReadsNuAndSolution(@TempDir Path dir) {
        Path f = dir.resolve("2D_DarcyFlow_beta1.0_Train.hdf5");
        double[][][] nu = new double[2][4][4];
        float[][][][] u = new float[2][1][4][4];
        for (int i = 0; i < 2; i++) for (int a = 0; a < 4; a++) for (int b = 0; b < 4; b++) {
            nu[i][a][b] = a * 4 + b;
            u[i][0][a][b] = -(i * 16 + a * 4 + b);
        }
        try (var w = HdfFile.write(f)) {
            w.putDataset("nu", nu);
            w.putDataset("tensor", u);
        }
        ArrayDataset ds = PdeBenchReader.darcy(f, 2, -1);
        assertArrayEquals(new int[] {1, 2, 2}, ds.sampleShape());
        assertArrayEquals(new float[] {0, 2, 8, 10}, ds.sample(0));
        assertArrayEquals(new float[] {-16, -18, -24, -26}, java.util.Arrays.copyOfRange(((Targets.DenseTargets) ds.targets()).values(), 4, 8));
    }

    @Test
    void cfdFieldsBecomeChannels(@TempDir Path dir) {
        Path f = dir.resolve("1D_CFD_Rand_Eta0.1_Zeta0.1_periodic_Train.hdf5");
        float[][][][] fields = new float[3][2][3][4]; // field, N, T, X
        for (int c = 0; c < 3; c++) for (int i = 0; i < 2; i++) for (int k = 0; k < 3; k++) for (int j = 0; j < 4; j++)
            fields[c][i][k][j] = 1000 * c + 100 * i + 10 * k + j;
        try (var w = HdfFile.write(f)) {
            w.putDataset("density", fields[0]);
            w.putDataset("Vx", fields[1]);
            w.putDataset("pressure", fields[2]);
        }
        ArrayDataset ds = PdeBenchReader.cfd1d(f, 0, 2, 1, -1);
        assertArrayEquals(new int[] {3, 4}, ds.sampleShape());
        assertArrayEquals(new float[] {100, 101, 102, 103, 1100, 1101, 1102, 1103, 2100, 2101, 2102, 2103}, ds.sample(1));
        assertEquals(2120f, ((Targets.DenseTargets) ds.targets()).values()[12 + 8]);
    }

    @Test
    void perSampleGroupsAreReadChannelsFirst(@TempDir Path dir) {
        Path f = dir.resolve("2D_diff-react_NA_NA.h5");
        try (var w = HdfFile.write(f)) {
            for (int i = 0; i < 3; i++) {
                float[][][][] data = new float[2][4][4][2]; // T, X, Y, C
                for (int t = 0; t < 2; t++) for (int x = 0; x < 4; x++) for (int y = 0; y < 4; y++) for (int c = 0; c < 2; c++)
                    data[t][x][y][c] = 1000 * i + 100 * t + 10 * x + y + (c == 1 ? 0.5f : 0);
                w.putGroup(String.format("%04d", i)).putDataset("data", data);
            }
        }
        ArrayDataset ds = PdeBenchReader.groupedSeries2d(f, 0, 1, 2, 2);
        assertEquals(2, ds.size());
        assertArrayEquals(new int[] {2, 2, 2}, ds.sampleShape());
        // sample 1, channel 0 at x = 0, 2 and y = 0, 2; then channel 1 (+0.5)
        assertArrayEquals(new float[] {1000, 1002, 1020, 1022, 1000.5f, 1002.5f, 1020.5f, 1022.5f}, ds.sample(1));
        assertEquals(1100f, ((Targets.DenseTargets) ds.targets()).values()[8]);
    }

    @Test
    void notHdf5IsReported(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("x.hdf5");
        java.nio.file.Files.writeString(f, "not hdf5");
        var e = assertThrows(DataFormatException.class, () -> PdeBenchReader.readFloats(f, "tensor"));
        assertTrue(e.getMessage().contains("x.hdf5: not a readable HDF5 file"), e.getMessage());
    }
}
