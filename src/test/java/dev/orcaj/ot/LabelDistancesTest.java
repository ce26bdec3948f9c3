package dev.orcaj.ot;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LabelDistancesTest {
    /**
     * 2-D closed form: tr sqrt(A^1/2 B A^1/2) = sqrt(tr(AB) + 2 sqrt(det A det B)) (a 2x2 SPD matrix M has
     * tr sqrt(M) = sqrt(tr M + 2 sqrt(det M))), so no eigendecomposition is involved.
     */
    @Test
    void gaussianDistanceMatchesTwoByTwoClosedForm() {
        Random rnd = new Random(21);
        for (int trial = 0; trial < 5; trial++) {
            double[] a = new double[2 * 30], b = new double[2 * 25];
            for (int i = 0; i < 30; i++) { a[2 * i] = 2 * rnd.nextGaussian(); a[2 * i + 1] = a[2 * i] * 0.5 + rnd.nextGaussian(); }
            for (int i = 0; i < 25; i++) { b[2 * i] = 1 + rnd.nextGaussian(); b[2 * i + 1] = -3 - 0.8 * b[2 * i] + 0.3 * rnd.nextGaussian(); }
            double[] ma = mean(a, 30), mb = mean(b, 25), ca = cov(a, 30, ma), cb = cov(b, 25, mb);
            double trAB = ca[0] * cb[0] + 2 * ca[1] * cb[1] + ca[2] * cb[2];
            double det = (ca[0] * ca[2] - ca[1] * ca[1]) * (cb[0] * cb[2] - cb[1] * cb[1]);
            double expected = Math.pow(ma[0] - mb[0], 2) + Math.pow(ma[1] - mb[1], 2)
                    + ca[0] + ca[2] + cb[0] + cb[2] - 2 * Math.sqrt(trAB + 2 * Math.sqrt(det));
            double got = Bures.w2Squared(new ClassCloud(PointCloud.of(a, 30, 2)), new ClassCloud(PointCloud.of(b, 25, 2)));
            assertEquals(expected, got, 1e-10 * Math.abs(expected));
        }
    }

    @Test
    void gaussianDistanceOfAClassToItselfIsZeroAndNeedsTwoRows() {
        double[] a = {0, 1, 2, 3, 4, 7, -1, 2};
        ClassCloud c = new ClassCloud(PointCloud.of(a, 4, 2));
        assertEquals(0.0, Bures.w2Squared(c, new ClassCloud(PointCloud.of(a.clone(), 4, 2))), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Bures.w2Squared(new ClassCloud(PointCloud.of(new double[] {1, 2}, 1, 2)), c));
    }

    @Test
    void otddWithPEqualsOneIsFiniteAndZeroOnItself() {
        LabelledPoints src = GoldenOtdd.dataset("gmm_src.csv"), tgt = GoldenOtdd.dataset("gmm_tgt.csv");
        OtddOptions p1 = OtddOptions.orca().withP(1).withPrecision(Precision.FLOAT64);
        double v = Otdd.distance(src, tgt, p1, false).value();
        assertTrue(v > 0 && Double.isFinite(v), "p=1 value " + v);
        assertEquals(0.0, Otdd.distance(src, src, p1, false).value(), 1e-12);
        assertThrows(UnsupportedOperationException.class, () -> Otdd.distance(src, tgt, p1, true));
    }

    private static double[] mean(double[] x, int n) {
        double[] m = new double[2];
        for (int i = 0; i < n; i++) { m[0] += x[2 * i] / n; m[1] += x[2 * i + 1] / n; }
        return m;
    }

    /** {var0, cov01, var1}, unbiased. */
    private static double[] cov(double[] x, int n, double[] m) {
        double[] c = new double[3];
        for (int i = 0; i < n; i++) {
            double u = x[2 * i] - m[0], v = x[2 * i + 1] - m[1];
            c[0] += u * u / (n - 1);
            c[1] += u * v / (n - 1);
            c[2] += v * v / (n - 1);
        }
        return c;
    }
}
