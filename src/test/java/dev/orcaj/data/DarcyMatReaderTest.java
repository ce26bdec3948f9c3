package dev.orcaj.data;

import io.jhdf.HdfFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * MATLAB v7.3 Darcy files written with jhdf's HDF5 writer in MATLAB's layout: an (N, H, W) array stored with reversed
 * dimensions [W, H, N]. Real MATLAB files also carry a 512-byte user block before the superblock (whose base address
 * then says 512); jhdf looks for the superblock there, but writing such a file needs a re-checksummed superblock, so
 * that case is not covered here.
 */
class DarcyMatReaderTest {
    @TempDir
    Path dir;

    /** coeff(n, h, w) = 1000 n + 10 h + w, sol = -coeff. */
    Path matFile(String name, int n, int size) throws Exception {
        double[][][] coeff = new double[size][size][n], sol = new double[size][size][n];
        for (int i = 0; i < n; i++) for (int h = 0; h < size; h++) for (int w = 0; w < size; w++) {
            coeff[w][h][i] = 1000 * i + 10 * h + w;
            sol[w][h][i] = -coeff[w][h][i];
        }
        Path f = dir.resolve(name);
        try (var out = HdfFile.write(f)) {
            out.putDataset("coeff", coeff);
            out.putDataset("sol", sol);
        }
        return f;
    }

    @Test
    void fieldsAreTransposedBackAndSubsampled() throws Exception {
        Path f = matFile("piececonst_r421_N1024_smooth1.mat", 4, 11);
        PdeBenchReader.FloatArray c = DarcyMatReader.field(f, "coeff", 3, 5);
        assertArrayEquals(new int[] {3, 3, 3}, c.shape(), "first 3 samples, 11 -> 3 points per axis");
        assertEquals(2000 + 10 * 5 + 10, c.data()[(2 * 3 + 1) * 3 + 2], 0f, "sample 2, row 1 (h = 5), column 2 (w = 10)");
        assertEquals(4, DarcyMatReader.field(f, "sol", 100, 5).shape()[0], "at most the samples there are");
        PdeBenchReader.FloatArray s = DarcyMatReader.field(f, "sol", 3, 5);
        float[][] stats = DarcyMatReader.pointwiseStats(c);
        ArrayDataset d = DarcyMatReader.task(c, s, stats[0], stats[1]);
        assertArrayEquals(new int[] {3, 3, 3}, d.sampleShape(), "coefficient + x grid + y grid");
        float[] x = d.sample(2);
        assertEquals((2000 - 1000) / (1000 + 1e-5), x[0], 1e-4, "normalised per grid point: mean 1000, std 1000 over samples 0..2");
        assertArrayEquals(new float[] {0, 0, 0, 0.5f, 0.5f, 0.5f, 1, 1, 1}, java.util.Arrays.copyOfRange(x, 9, 18), "row coordinate");
        assertEquals(-(2000 + 10 * 5 + 10), ((Targets.DenseTargets) d.targets()).values()[2 * 9 + 5], 0f, "targets: the solution as stored");
    }

    @Test
    void darcyMatTaskFromTheTwoFiles() throws Exception {
        matFile("piececonst_r421_N1024_smooth1.mat", 12, 11);
        matFile("piececonst_r421_N1024_smooth2.mat", 3, 11);
        var t = dev.orcaj.orca.TaskLoader.load("darcy-mat:" + dir, 0.25, 0);
        assertEquals(dev.orcaj.orca.TaskSpec.OutputKind.DENSE, t.spec().kind());
        assertArrayEquals(new int[] {3, 3, 3}, t.spec().inputShape());
        assertEquals(12, t.train().size() + t.val().size());
        assertEquals(3, t.test().size());
    }

    @Test
    void badFilesAreNamed() throws Exception {
        Path v5 = dir.resolve("old.mat");
        Files.writeString(v5, "MATLAB 5.0 MAT-file, Platform: GLNXA64");
        var e = assertThrows(DataFormatException.class, () -> DarcyMatReader.field(v5, "coeff", 1, 1));
        assertTrue(e.getMessage().contains("old.mat: not a readable MATLAB v7.3 (HDF5) file") && e.getMessage().contains("v5/v7 .mat files are not HDF5"), e.getMessage());
        Path f = matFile("a.mat", 2, 5);
        e = assertThrows(DataFormatException.class, () -> DarcyMatReader.field(f, "kcoeff", 1, 1));
        assertTrue(e.getMessage().contains("no field 'kcoeff'"), e.getMessage());
        Path flat = dir.resolve("flat.mat");
        try (var out = HdfFile.write(flat)) {
            out.putDataset("coeff", new double[4][4]);
        }
        e = assertThrows(DataFormatException.class, () -> DarcyMatReader.field(flat, "coeff", 1, 1));
        assertTrue(e.getMessage().contains("expected a (N, H, W) MATLAB array"), e.getMessage());
        e = assertThrows(DataFormatException.class, () -> DarcyMatReader.field(dir.resolve("none.mat"), "coeff", 1, 1));
        assertTrue(e.getMessage().contains("none.mat: MATLAB v7.3 file not found"), e.getMessage());
    }
}
