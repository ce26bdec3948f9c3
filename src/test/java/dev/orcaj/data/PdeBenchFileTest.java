package dev.orcaj.data;

import io.jhdf.HdfFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code pdebench:FILE.h5[#field][@IN:OUT][/STRIDE]}: layouts found from the file, the paper's time steps and strides
 * per PDEBench file name, and bad files. Files are written with jhdf's HDF5 writer in PDEBench's layouts.
 */
class PdeBenchFileTest {
    @TempDir
    Path dir;

    /** tensor [n, t, x] with value 1000 i + 10 k + j at sample i, time k, point j. */
    Path series(String name, String field, int n, int t, int x) {
        Path f = dir.resolve(name);
        float[][][] v = new float[n][t][x];
        for (int i = 0; i < n; i++) for (int k = 0; k < t; k++) for (int j = 0; j < x; j++) v[i][k][j] = 1000 * i + 10 * k + j;
        try (var w = HdfFile.write(f)) {
            w.putDataset(field, v);
        }
        return f;
    }

    static float target(ArrayDataset d, int row, int k) { return ((Targets.DenseTargets) d.targets()).values()[row * d.sampleSize() + k]; }

    @Test
    void timeSeriesDefaultsToFirstAndLastStep() {
        Path f = series("1D_Burgers_Sols_Nu1.0.hdf5", "tensor", 4, 6, 8);
        PdeBenchFile p = PdeBenchFile.parse(f.toString());
        assertEquals(PdeBenchFile.Layout.TIME_SERIES_1D, p.layout());
        ArrayDataset d = p.read();
        assertArrayEquals(new int[] {1, 8}, d.sampleShape());
        assertEquals(2000f, d.sample(2)[0], "input: t = 0");
        assertEquals(2050f + 3, target(d, 2, 3), "target: the last step t = 5");
        ArrayDataset chosen = PdeBenchFile.parse(f + "@1:2/2").read();
        assertArrayEquals(new float[] {1010, 1012, 1014, 1016}, chosen.sample(1), "@1:2 and stride 2");
        assertEquals(1020f, target(chosen, 1, 0));
    }

    @Test
    void paperChoicesPerFileName() {
        ArrayDataset adv = PdeBenchFile.parse(series("1D_Advection_Sols_beta0.4.hdf5", "tensor", 2, 3, 16).toString()).read();
        assertArrayEquals(new int[] {1, 4}, adv.sampleShape(), "advection at res/4");
        ArrayDataset rd = PdeBenchFile.parse(series("ReacDiff_Nu0.5_Rho1.0.hdf5", "tensor", 2, 40, 4).toString()).read();
        assertEquals(300f, target(rd, 0, 0), "1D reaction-diffusion: target t = 30");
        ArrayDataset named = PdeBenchFile.parse(series("other.h5", "u", 2, 3, 4) + "#u").read();
        assertEquals(20f, target(named, 0, 0), "#field names the dataset");
    }

    @Test
    void twoDimensionalLayouts() {
        Path darcy = dir.resolve("2D_DarcyFlow_beta0.1_Train.hdf5");
        try (var w = HdfFile.write(darcy)) {
            w.putDataset("nu", new float[3][4][4]);
            w.putDataset("tensor", new float[3][1][4][4]);
        }
        assertEquals(PdeBenchFile.Layout.DARCY_2D, PdeBenchFile.parse(darcy.toString()).layout());
        assertArrayEquals(new int[] {1, 2, 2}, PdeBenchFile.parse(darcy.toString()).read().sampleShape(), "Darcy at res/2");
        Path sw = dir.resolve("2D_rdb_NA_NA.h5");
        try (var w = HdfFile.write(sw)) {
            for (int i = 0; i < 2; i++) {
                float[][][][] data = new float[3][4][4][1];
                for (int t = 0; t < 3; t++) data[t][1][2][0] = 100 * i + t;
                w.putGroup(String.format("%04d", i)).putDataset("data", data);
            }
        }
        ArrayDataset d = PdeBenchFile.parse(sw.toString()).read();
        assertArrayEquals(new int[] {1, 4, 4}, d.sampleShape());
        assertEquals(100f, d.sample(1)[6], "input t = 0 at (1, 2)");
        assertEquals(102f, target(d, 1, 6), "target: the last step");
    }

    @Test
    void badFilesAndSpecsAreNamed() throws Exception {
        var e = assertThrows(DataFormatException.class, () -> PdeBenchFile.parse(dir.resolve("missing.h5").toString()).read());
        assertTrue(e.getMessage().contains("missing.h5: HDF5 file not found"), e.getMessage());
        Path text = dir.resolve("text.h5");
        Files.writeString(text, "not hdf5 at all");
        e = assertThrows(DataFormatException.class, () -> PdeBenchFile.parse(text.toString()).read());
        assertTrue(e.getMessage().contains("not a readable HDF5 file"), e.getMessage());
        Path f = series("1D_Burgers_Sols_Nu1.0.hdf5", "tensor", 2, 3, 4);
        e = assertThrows(DataFormatException.class, () -> PdeBenchFile.parse(f + "#u").read());
        assertTrue(e.getMessage().contains("no dataset 'u'") && e.getMessage().contains("[tensor]"), e.getMessage());
        e = assertThrows(DataFormatException.class, () -> PdeBenchFile.parse(f + "@0:3").read());
        assertTrue(e.getMessage().contains("time index 3 outside [0, 3)"), e.getMessage());
        var bad = assertThrows(IllegalArgumentException.class, () -> PdeBenchFile.parse(f + "@0"));
        assertTrue(bad.getMessage().contains("expected @IN:OUT"), bad.getMessage());
        Path wrongRank = dir.resolve("flat.h5");
        try (var w = HdfFile.write(wrongRank)) {
            w.putDataset("tensor", new float[3][4]);
        }
        e = assertThrows(DataFormatException.class, () -> PdeBenchFile.parse(wrongRank.toString()).read());
        assertTrue(e.getMessage().contains("expected [N, T, X]"), e.getMessage());
        Path cfd2d = dir.resolve("2D_CFD_Rand_M1.0_Eta0.1_Zeta0.1_periodic_128_Train.hdf5");
        try (var w = HdfFile.write(cfd2d)) {
            for (String s : new String[] {"density", "Vx", "Vy", "pressure"}) w.putDataset(s, new float[1][2][2][2]);
        }
        e = assertThrows(DataFormatException.class, () -> PdeBenchFile.parse(cfd2d.toString()).read());
        assertTrue(e.getMessage().contains("2D compressible Navier-Stokes") && e.getMessage().contains("not supported"), e.getMessage());
    }
}
