package dev.orcaj.backend.cuda;

import dev.orcaj.ot.ClasswiseOtdd;
import dev.orcaj.ot.LabelledPoints;
import dev.orcaj.ot.OtddOptions;
import dev.orcaj.ot.OtddResult;
import dev.orcaj.ot.PointCloud;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Class-wise OTDD (ORCA's options, label term on) with its Sinkhorn problems (inner label distances and the outer
 * problem) on the GPU or its emulation (CudaOtddSolver) against the host solver: label distances, value and
 * gradient, over two "epochs" that reuse the resident source.
 * Tolerance: the device soft-min works in float32 with double potentials; CudaOtTest measured ~1e-5 relative on
 * the plain divergence, so 1e-4 relative (value) and 1e-4 of the largest gradient entry leave room for the label
 * term and still fail a wrong label table or schedule (those move the value by > 1e-2).
 */
class CudaOtddSolverTest {
    @Test
    void labelDistancesAndOuterProblemOnTheDeviceMatchTheHostSolver() {
        CudaDevice dev = GpuAssume.device();
        SplittableRandom rng = new SplittableRandom(21);
        int n = 36, d = 8, m = 10;
        float[] src = new float[n * d];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
            for (int k = 0; k < d; k++) src[i * d + k] = (float) (rng.nextGaussian() + labels[i]);
        }
        LabelledPoints source = LabelledPoints.of(PointCloud.of(src, n, d), labels);
        ClasswiseOtdd host = new ClasswiseOtdd(source, OtddOptions.orca());
        ClasswiseOtdd device = new ClasswiseOtdd(source, OtddOptions.orca()).useSolver(new CudaOtddSolver(dev));
        for (int epoch = 0; epoch < 2; epoch++) {
            float[] t = new float[m * d];
            for (int i = 0; i < t.length; i++) t[i] = (float) (rng.nextGaussian() * 0.8 + 0.5 + epoch);
            PointCloud target = PointCloud.of(t, m, d);
            OtddResult e = host.evaluate(target, true), a = device.evaluate(target, true);
            assertArrayEquals(e.epsilons(), a.epsilons(), 0, "the same epsilon schedule");
            for (int c = 0; c < 3; c++) {
                assertEquals(e.labelDistances()[c][3], a.labelDistances()[c][3], 1e-4 * Math.abs(e.labelDistances()[c][3]), "label distance source class " + c + " - target");
            }
            assertEquals(e.value(), a.value(), 1e-4 * Math.abs(e.value()), "OTDD value, epoch " + epoch);
            GpuAssume.assertClose(GpuAssume.toFloats(e.gradTarget()), GpuAssume.toFloats(a.gradTarget()), 0, 1e-4, "OTDD gradient, epoch " + epoch);
        }
    }
}
