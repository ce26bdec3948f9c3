package dev.orcaj.nn;

import dev.orcaj.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Forward values of the composites against numbers worked out by hand. */
class FunctionalValuesTest {

    @Test
    void patchUnfold1dIsAConvWithKernelEqualStride() {
        // x [1, 2, 4]: channel 0 = 0 1 2 3, channel 1 = 10 11 12 13; k = 2 -> tokens (c0 j0, c0 j1, c1 j0, c1 j1)
        Tensor x = Tensor.of(new float[] {0, 1, 2, 3, 10, 11, 12, 13}, 1, 2, 4);
        Tensor p = Functional.patchUnfold1d(x, 2);
        assertArrayEquals(new int[] {1, 2, 4}, p.shape());
        assertArrayEquals(new float[] {0, 1, 10, 11, 2, 3, 12, 13}, p.toFloatArray());
        assertArrayEquals(x.toFloatArray(), Functional.patchFold1d(p, 2, 2).toFloatArray());
    }

    @Test
    void patchUnfold2dOrdersTokensRowMajorAndFeaturesChannelFirst() {
        float[] v = new float[16];
        for (int i = 0; i < 16; i++) v[i] = i;
        Tensor x = Tensor.of(v, 1, 1, 4, 4);
        Tensor p = Functional.patchUnfold2d(x, 2);
        // token 1 is the top-right 2x2 patch: rows 0-1, cols 2-3 -> 2 3 6 7
        assertArrayEquals(new float[] {2, 3, 6, 7}, p.slice(1, 1, 2).toFloatArray());
        assertArrayEquals(new float[] {8, 9, 12, 13}, p.slice(1, 2, 3).toFloatArray());
        assertArrayEquals(v, Functional.patchFold2d(p, 1, 2, 2, 2).toFloatArray());
    }

    @Test
    void pixelShuffle2dMatchesPyTorchLayout() {
        // [1, 4, 1, 1] with r = 2 -> [1, 1, 2, 2]: channel i*2+j lands at (i, j)
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 1, 4, 1, 1);
        assertArrayEquals(new float[] {1, 2, 3, 4}, Functional.pixelShuffle2d(x, 2).toFloatArray());
        Tensor y = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 1, 8, 1, 1); // 2 channels out
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, Functional.pixelShuffle2d(y, 2).toFloatArray());
        Tensor z = Tensor.of(new float[] {1, 2, 3, 4}, 1, 2, 2); // [N, C*r, L] r = 2: ch0 = 1 2, ch1 = 3 4
        assertArrayEquals(new float[] {1, 3, 2, 4}, Functional.pixelShuffle1d(z, 2).toFloatArray());
    }

    @Test
    void bilinearResizeFollowsAlignCornersFalse() {
        // 1D row 0 10 upsampled 2 -> 4: src = (o + 0.5) / 2 - 0.5 = -0.25 (clamped 0), 0.25, 0.75, 1.25 (clamped to last)
        Tensor x = Tensor.of(new float[] {0, 10}, 1, 1, 1, 2);
        assertArrayEquals(new float[] {0, 2.5f, 7.5f, 10}, Functional.resizeBilinear(x, 1, 4).toFloatArray(), 1e-6f);
        // downsampling 4 -> 2 averages neighbours: src = 0.5, 2.5
        Tensor y = Tensor.of(new float[] {0, 2, 4, 6}, 1, 1, 4, 1);
        assertArrayEquals(new float[] {1, 5}, Functional.resizeBilinear(y, 2, 1).toFloatArray(), 1e-6f);
    }

    @Test
    void lossValues() {
        // logits (0, ln 3) -> p = (1/4, 3/4); label 1 -> -ln(3/4)
        Tensor logits = Tensor.of(new double[] {0, Math.log(3)}, 1, 2);
        assertEquals(-Math.log(0.75), Functional.crossEntropy(logits, new int[] {1}).item(), 1e-12);
        // two rows with weights: row0 label0 (w=2) loss ln 2, row1 label1 (w=1) loss ln 2 -> ln 2
        Tensor l2 = Tensor.of(new double[] {0, 0, 5, 5}, 2, 2);
        assertEquals(Math.log(2), Functional.crossEntropy(l2, new int[] {0, 1}, new double[] {2, 1}, -100).item(), 1e-12);
        // BCE: x = 0, y = 1 -> ln 2; with pos_weight 3 -> 3 ln 2
        Tensor z = Tensor.of(new double[] {0}, 1), one = Tensor.of(new double[] {1}, 1);
        assertEquals(Math.log(2), Functional.bceWithLogits(z, one, null).item(), 1e-12);
        assertEquals(3 * Math.log(2), Functional.bceWithLogits(z, one, Tensor.of(new double[] {3}, 1)).item(), 1e-12);
        // large logits stay finite: x = 100, y = 0 -> 100
        assertEquals(100, Functional.bceWithLogits(Tensor.of(new double[] {100}, 1), Tensor.of(new double[] {0}, 1), null).item(), 1e-9);
        assertEquals(2.5, Functional.mse(Tensor.of(new double[] {1, 3}, 2), Tensor.of(new double[] {0, 1}, 2)).item(), 1e-12);
        assertEquals(1.5, Functional.l1(Tensor.of(new double[] {1, 3}, 2), Tensor.of(new double[] {0, 1}, 2)).item(), 1e-12);
    }

    @Test
    void badInputsNameTheOpAndShapes() {
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).add(Tensor.zeros(4)));
        assertEquals(true, e.getMessage().contains("add") && e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4]"), e.getMessage());
        var m = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).matmul(Tensor.zeros(2, 3)));
        assertEquals(true, m.getMessage().contains("matmul"), m.getMessage());
        var d = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2).add(Tensor.zeros(dev.orcaj.tensor.DType.F64, 2)));
        assertEquals(true, d.getMessage().contains("dtype"), d.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Functional.patchUnfold1d(Tensor.zeros(1, 1, 5), 2));
        assertThrows(IllegalArgumentException.class, () -> Functional.crossEntropy(Tensor.zeros(1, 2), new int[] {2}));
        assertThrows(ArithmeticException.class, () -> dev.orcaj.tensor.Finite.check("loss", Tensor.of(new float[] {1, Float.NaN}, 2)));
    }

    @Test
    void dropoutIsSeededAndInverted() {
        Tensor x = Tensor.ones(1000);
        Tensor a = Functional.dropout(x, 0.5, true, new java.util.SplittableRandom(1));
        Tensor b = Functional.dropout(x, 0.5, true, new java.util.SplittableRandom(1));
        assertArrayEquals(a.toFloatArray(), b.toFloatArray());
        double mean = a.mean().item();
        assertEquals(1.0, mean, 0.1); // E = 1 with inverted scaling; 1000 Bernoulli draws: sd of mean ~ 0.03
        assertArrayEquals(x.toFloatArray(), Functional.dropout(x, 0.5, false, null).toFloatArray());
    }
}
