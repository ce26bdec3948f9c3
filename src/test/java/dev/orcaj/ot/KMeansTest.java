package dev.orcaj.ot;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KMeansTest {
    /** {@code n} points around each of the given centres (spread 0.1), in blob order. */
    private static double[] blobs(double[][] centres, int n, Random rnd) {
        int d = centres[0].length;
        double[] x = new double[centres.length * n * d];
        for (int c = 0; c < centres.length; c++) {
            for (int i = 0; i < n; i++) for (int k = 0; k < d; k++) x[(c * n + i) * d + k] = centres[c][k] + 0.1 * rnd.nextGaussian();
        }
        return x;
    }

    private static void assertRecoversBlobs(int[] labels, int blobs, int n) {
        int[] map = new int[blobs];
        java.util.Arrays.fill(map, -1);
        for (int c = 0; c < blobs; c++) {
            map[c] = labels[c * n];
            for (int i = 0; i < n; i++) assertEquals(map[c], labels[c * n + i], "blob " + c + " row " + i);
        }
        assertEquals(blobs, java.util.Arrays.stream(map).distinct().count(), "one cluster per blob");
    }

    @Test
    void lloydRecoversSeparatedBlobsAndIsAFixedPoint() {
        double[][] centres = {{0, 0}, {5, 5}, {-5, 5}, {5, -5}};
        double[] x = blobs(centres, 50, new Random(1));
        KMeans.Result r = KMeans.fit(x, 200, 2, 4, 42);
        assertRecoversBlobs(r.labels(), 4, 50);
        for (int i = 0; i < 200; i++) assertEquals(KMeans.nearest(x, i * 2, 2, r.centroids(), 4), r.labels()[i]);
        for (int j = 0; j < 4; j++) { // centroids are cluster means
            double sx = 0, sy = 0;
            int cnt = 0;
            for (int i = 0; i < 200; i++) if (r.labels()[i] == j) { sx += x[2 * i]; sy += x[2 * i + 1]; cnt++; }
            assertEquals(sx / cnt, r.centroids()[2 * j], 1e-12);
            assertEquals(sy / cnt, r.centroids()[2 * j + 1], 1e-12);
        }
        assertEquals(KMeans.inertia(x, 200, 2, r.centroids(), r.labels()), r.inertia(), 1e-12);
        KMeans.Result again = KMeans.fit(x, 200, 2, 4, 42);
        assertArrayEquals(r.labels(), again.labels());
    }

    @Test
    void miniBatchAboveTenThousandRows() {
        double[][] centres = {{0, 0, 0}, {4, 0, 0}, {0, 4, 0}};
        double[] x = blobs(centres, 4000, new Random(2));
        KMeans.Result r = KMeans.fit(x, 12000, 3, 3, 7);
        assertEquals(100, r.iterations(), "mini-batch path: one iteration per batch");
        assertRecoversBlobs(r.labels(), 3, 4000);
        assertTrue(r.inertia() / 12000 < 0.05, "mean inertia " + r.inertia() / 12000);
    }

    @Test
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> KMeans.fit(new double[4], 2, 2, 3, 0));
        double[] nan = {0, 1, Double.NaN, 2};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KMeans.fit(nan, 2, 2, 1, 0));
        assertTrue(e.getMessage().contains("row 1, column 0"), e.getMessage());
    }
}
