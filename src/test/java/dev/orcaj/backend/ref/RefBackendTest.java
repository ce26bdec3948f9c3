package dev.orcaj.backend.ref;

import dev.orcaj.backend.Backend;
import dev.orcaj.backend.Backends;
import dev.orcaj.backend.BinaryOp;
import dev.orcaj.backend.ReduceOp;
import dev.orcaj.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The reference backend is the oracle of every kernel test (BackendParityTest, the CUDA tests), so it gets its own
 * checks against values worked out by hand and, for the backward kernels, against central finite differences of its
 * own forward kernels in double precision. A wrong index, a missing term or a sign error moves these values far more
 * than the tolerances (float32 rounding of O(1) values: 1e-6).
 */
class RefBackendTest {
    private static final Backend REF = Backends.REF;

    @Test
    void gemmAllTranspositionsAlphaBeta() {
        // A = [[1, 2, 3], [4, 5, 6]], B = [[7, 8], [9, 10], [11, 12]]: A B = [[58, 64], [139, 154]]
        float[] a = {1, 2, 3, 4, 5, 6}, b = {7, 8, 9, 10, 11, 12}, aT = {1, 4, 2, 5, 3, 6}, bT = {7, 9, 11, 8, 10, 12};
        float[] expected = {58, 64, 139, 154};
        float[] c = new float[4];
        RefGemm.sgemm(false, false, 2, 2, 3, 1f, a, 0, 3, b, 0, 2, 0f, c, 0, 2);
        assertArrayEquals(expected, c);
        RefGemm.sgemm(true, false, 2, 2, 3, 1f, aT, 0, 2, b, 0, 2, 0f, c, 0, 2);
        assertArrayEquals(expected, c, "op(A) = A^T");
        RefGemm.sgemm(false, true, 2, 2, 3, 1f, a, 0, 3, bT, 0, 3, 0f, c, 0, 2);
        assertArrayEquals(expected, c, "op(B) = B^T");
        RefGemm.sgemm(true, true, 2, 2, 3, 1f, aT, 0, 2, bT, 0, 3, 0f, c, 0, 2);
        assertArrayEquals(expected, c, "both transposed");
        float[] acc = {1, 1, 1, 1};
        RefGemm.sgemm(false, false, 2, 2, 3, 2f, a, 0, 3, b, 0, 2, 0.5f, acc, 0, 2);
        assertArrayEquals(new float[] {116.5f, 128.5f, 278.5f, 308.5f}, acc, "alpha A B + beta C");
        float[] garbage = {Float.NaN, Float.NaN, Float.NaN, Float.NaN};
        RefGemm.sgemm(false, false, 2, 2, 3, 1f, a, 0, 3, b, 0, 2, 0f, garbage, 0, 2);
        assertArrayEquals(expected, garbage, "beta = 0 overwrites C, NaN included (BLAS convention)");
        // batch of two: the second product uses A and B shifted by their strides and writes C shifted by its stride
        float[] a2 = new float[12], b2 = new float[12], c2 = new float[8];
        System.arraycopy(a, 0, a2, 6, 6);
        System.arraycopy(b, 0, b2, 6, 6);
        RefGemm.sgemmStridedBatched(false, false, 2, 2, 3, 1f, a2, 0, 3, b2, 0, 2, 0f, c2, 0, 2, 2, 6, 6, 4);
        assertArrayEquals(new float[] {0, 0, 0, 0, 58, 64, 139, 154}, c2);
    }

    @Test
    void softmaxAndLogSoftmaxRows() {
        float[] x = {0, (float) Math.log(2), (float) Math.log(3), 1000, 1000, 1000};
        float[] y = new float[6], ly = new float[6];
        RefKernels.softmaxRows(x, 0, y, 0, 2, 3);
        assertArrayEquals(new float[] {1 / 6f, 1 / 3f, 1 / 2f, 1 / 3f, 1 / 3f, 1 / 3f}, y, 1e-6f, "exp(x) / sum, stable at 1000");
        RefKernels.logSoftmaxRows(x, 0, ly, 0, 2, 3);
        for (int i = 0; i < 6; i++) assertEquals(Math.log(y[i]), ly[i], 1e-6);
    }

    /** Central differences of f at x along each coordinate, in double (f maps float inputs to a double scalar). */
    private static double[] numericGradient(float[] x, Function<float[], Double> f) {
        double[] g = new double[x.length];
        double h = 1e-3;
        for (int i = 0; i < x.length; i++) {
            float[] p = x.clone(), m = x.clone();
            p[i] += (float) h;
            m[i] -= (float) h;
            g[i] = (f.apply(p) - f.apply(m)) / (p[i] - m[i]);
        }
        return g;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (double) a[i] * b[i];
        return s;
    }

    @Test
    void softmaxBackwardIsTheGradientOfSoftmax() {
        float[] x = {0.3f, -1.2f, 2.0f, 0.5f, 0.1f, -0.4f, 1.1f, 0.0f}, dy = {0.7f, -0.2f, 0.4f, 1.0f, -0.6f, 0.3f, 0.9f, -1.1f};
        int rows = 2, cols = 4;
        float[] y = new float[8], dx = new float[8];
        RefKernels.softmaxRows(x, 0, y, 0, rows, cols);
        RefKernels.softmaxBackwardRows(y, dy, dx, rows, cols);
        double[] num = numericGradient(x, v -> { float[] o = new float[8]; RefKernels.softmaxRows(v, 0, o, 0, rows, cols); return dot(o, dy); });
        for (int i = 0; i < 8; i++) assertEquals(num[i], dx[i], 2e-3, "softmax dx[" + i + "]");
        RefKernels.logSoftmaxRows(x, 0, y, 0, rows, cols);
        RefKernels.logSoftmaxBackwardRows(y, dy, dx, rows, cols);
        num = numericGradient(x, v -> { float[] o = new float[8]; RefKernels.logSoftmaxRows(v, 0, o, 0, rows, cols); return dot(o, dy); });
        for (int i = 0; i < 8; i++) assertEquals(num[i], dx[i], 2e-3, "log-softmax dx[" + i + "]");
        // by hand: y = (1/2, 1/2), dy = (1, 0): dot = 1/2, dx = y * (dy - dot) = (1/4, -1/4)
        float[] hand = new float[2];
        RefKernels.softmaxBackwardRows(new float[] {0.5f, 0.5f}, new float[] {1, 0}, hand, 1, 2);
        assertArrayEquals(new float[] {0.25f, -0.25f}, hand);
    }

    @Test
    void layerNormForwardAndBackward() {
        // x = (1, 2, 3): mean 2, biased variance 2/3, so (x - 2) / sqrt(2/3) = (-1.2247449, 0, 1.2247449)
        float[] y = new float[3], mean = new float[1], rstd = new float[1];
        RefKernels.layerNormRows(new float[] {1, 2, 3}, null, null, 0f, y, mean, rstd, 1, 3);
        assertArrayEquals(new float[] {-1.2247449f, 0f, 1.2247449f}, y, 1e-6f);
        assertEquals(2f, mean[0]);
        assertEquals(1 / Math.sqrt(2.0 / 3), rstd[0], 1e-6);
        RefKernels.layerNormRows(new float[] {1, 2, 3}, new float[] {2, 1, -1}, new float[] {0.5f, 0, 1}, 0f, y, null, null, 1, 3);
        assertArrayEquals(new float[] {-1.9494898f, 0f, -0.2247449f}, y, 1e-6f, "gamma * xhat + beta");

        int rows = 2, cols = 5;
        float[] x = {0.2f, -1.0f, 0.7f, 1.5f, -0.3f, 2.0f, 0.1f, -0.8f, 0.4f, 1.2f};
        float[] gamma = {1.2f, -0.5f, 0.8f, 1.0f, 0.3f}, beta = {0.1f, 0.2f, -0.1f, 0f, 0.5f};
        float[] dy = {0.3f, -0.7f, 1.1f, 0.2f, -0.4f, 0.6f, 0.9f, -0.2f, -1.0f, 0.5f};
        float eps = 1e-5f;
        float[] out = new float[10], mu = new float[2], rs = new float[2];
        RefKernels.layerNormRows(x, gamma, beta, eps, out, mu, rs, rows, cols);
        float[] dx = new float[10], dGamma = new float[cols], dBeta = new float[cols];
        RefKernels.layerNormBackwardRows(dy, x, gamma, mu, rs, dx, dGamma, dBeta, rows, cols);
        double[] numX = numericGradient(x, v -> { float[] o = new float[10]; RefKernels.layerNormRows(v, gamma, beta, eps, o, null, null, rows, cols); return dot(o, dy); });
        double[] numGamma = numericGradient(gamma, g -> { float[] o = new float[10]; RefKernels.layerNormRows(x, g, beta, eps, o, null, null, rows, cols); return dot(o, dy); });
        for (int i = 0; i < 10; i++) assertEquals(numX[i], dx[i], 2e-3, "dx[" + i + "]");
        for (int j = 0; j < cols; j++) {
            assertEquals(numGamma[j], dGamma[j], 2e-3, "dGamma[" + j + "]");
            assertEquals(dy[j] + dy[cols + j], dBeta[j], 1e-6, "dBeta[" + j + "] = sum of dy over rows");
        }
    }

    @Test
    void exactGeluAndItsDerivative() {
        float[] x = {-3, -1, 0, 1, 2.5f}, y = new float[5];
        RefKernels.gelu(x, y, 5);
        // x * Phi(x) with Phi(-3) = 0.0013499, Phi(-1) = 0.1586553, Phi(1) = 0.8413447, Phi(2.5) = 0.9937903
        assertArrayEquals(new float[] {-0.0040497f, -0.1586553f, 0f, 0.8413447f, 2.4844758f}, y, 1e-6f);
        float[] ones = {1, 1, 1, 1, 1}, dx = new float[5];
        RefKernels.geluBackward(x, ones, dx, 5);
        double[] num = numericGradient(x, v -> { float[] o = new float[5]; RefKernels.gelu(v, o, 5); return dot(o, ones); });
        for (int i = 0; i < 5; i++) assertEquals(num[i], dx[i], 2e-3, "gelu'(" + x[i] + ")");
        assertEquals(0.5, dx[2], 1e-6, "gelu'(0) = Phi(0) = 1/2");
    }

    @Test
    void backendOpsOnTensors() {
        Tensor m = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3), row = Tensor.of(new float[] {10, 20, 30}, 3);
        assertArrayEquals(new float[] {11, 22, 33, 14, 25, 36}, REF.binary(BinaryOp.ADD, m, row).toFloatArray(), "row broadcast");
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, REF.copy(m.transpose(0, 1), m.dtype()).toFloatArray(), "copy of a strided view");
        assertArrayEquals(new float[] {5, 7, 9}, REF.reduce(ReduceOp.SUM, m, new boolean[] {true, false}).toFloatArray());
        assertArrayEquals(new float[] {3, 6}, REF.reduce(ReduceOp.MAX, m, new boolean[] {false, true}).toFloatArray());
        assertArrayEquals(new int[] {2, 0}, REF.argmaxLast(Tensor.of(new float[] {1, 5, 9, 7, 2, 3}, 2, 3)));
        // (A^T as a view) times B: [[1, 4], [2, 5], [3, 6]] [[1, 0], [0, 1]] = A^T
        Tensor eye = Tensor.of(new float[] {1, 0, 0, 1}, 2, 2);
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, REF.matmul(m.transpose(0, 1), eye).toFloatArray());
        Tensor table = Tensor.of(new float[] {0, 1, 10, 11, 20, 21}, 3, 2);
        assertArrayEquals(new float[] {20, 21, 0, 1, 20, 21}, REF.indexSelect(table, new int[] {2, 0, 2}).toFloatArray());
        assertArrayEquals(new float[] {1, 1, 0, 0, 2, 2}, REF.indexAdd(Tensor.ones(3, 2), new int[] {2, 0, 2}, 3).toFloatArray(), "rows add up where ids repeat");
        assertArrayEquals(new float[] {3, 4}, REF.gatherLast(m, new int[] {2, 0}).toFloatArray());
        assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0}, REF.scatterLast(Tensor.ones(2), new int[] {2, 0}, 3).toFloatArray());
        assertArrayEquals(new float[] {1, 2, 3, 10, 20, 30}, REF.concat(new Tensor[] {m.slice(0, 0, 1), row.reshape(1, 3)}, 0).toFloatArray());
        assertArrayEquals(new float[] {-1, 1, 2, 3, -1, -1, 4, 5, 6, -1}, REF.pad(m, new int[] {0, 1}, new int[] {0, 1}, -1).toFloatArray());
        Tensor mask = Tensor.of(new float[] {1, 0, 1}, 3);
        assertArrayEquals(new float[] {1, 20, 3, 4, 20, 6}, REF.where(mask, m, row.mul(0).add(20)).toFloatArray(), "mask 1 keeps a, 0 takes b");
    }
}
