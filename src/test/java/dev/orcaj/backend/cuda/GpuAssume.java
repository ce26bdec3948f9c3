package dev.orcaj.backend.cuda;

import dev.orcaj.tensor.Tensor;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Shared by the GPU tests: skip (visibly, with the reason) without a usable GPU; tolerant array comparison. */
final class GpuAssume {
    private GpuAssume() {}

    /**
     * The GPU when there is one; otherwise the CPU emulation of the kernels (EmulatedDevice) unless
     * {@code -Dorcaj.cuda.emulate=false}; otherwise the test is skipped with both reasons.
     */
    static CudaDevice device() {
        if (Cuda.available()) return Cuda.device(0);
        boolean emulate = !"false".equals(System.getProperty("orcaj.cuda.emulate"));
        EmulatedDevice emu = emulate ? EmulatedDevice.get() : null;
        if (emu == null && required()) {
            fail("the CUDA tests are required here (ORCAJ_REQUIRE_CUDA_TESTS=1 or -Dorcaj.cuda.required=true) but cannot run: no usable GPU ("
                    + Cuda.unavailableReason() + ") and no emulation (" + (emulate ? EmulatedDevice.unavailableReason() : "disabled by -Dorcaj.cuda.emulate=false") + ")");
        }
        assumeTrue(emu != null, () -> "skipped, no usable GPU (" + Cuda.unavailableReason() + ") and no emulation ("
                + (emulate ? EmulatedDevice.unavailableReason() : "disabled by -Dorcaj.cuda.emulate=false") + ")");
        if (!announced) {
            announced = true;
            System.out.println("CUDA tests run on the CPU emulation of the kernels (no usable GPU: " + Cuda.unavailableReason() + ")");
        }
        return emu;
    }

    private static boolean announced;

    /** Where CI expects the CUDA tests to run (.ci/run sets ORCAJ_REQUIRE_CUDA_TESTS=1), a missing g++ fails them instead of skipping. */
    static boolean required() {
        return Boolean.getBoolean("orcaj.cuda.required") || "1".equals(System.getenv("ORCAJ_REQUIRE_CUDA_TESTS"));
    }

    /** |a - e| <= abs + rel * max|e| for every element (rel relative to the largest expected magnitude). */
    static void assertClose(float[] expected, float[] actual, double abs, double rel, String what) {
        if (expected.length != actual.length) fail(what + ": length " + actual.length + " != " + expected.length);
        double scale = 0;
        for (float v : expected) if (Float.isFinite(v)) scale = Math.max(scale, Math.abs(v));
        double tol = abs + rel * scale, worst = 0;
        int at = -1;
        for (int i = 0; i < expected.length; i++) {
            boolean nanE = Float.isNaN(expected[i]), nanA = Float.isNaN(actual[i]);
            if (nanE || nanA) {
                // NaN where the other side has a number fails at once: a running maximum cannot hold a NaN (the next
                // finite |diff| would replace it), which let every NaN through before
                if (nanE && nanA) continue;
                fail(what + ": element " + i + " expected " + expected[i] + " got " + actual[i] + " (NaN on one side only)");
            }
            if (expected[i] == actual[i]) continue; // equal infinities (inf - inf is NaN)
            double d = Math.abs((double) expected[i] - actual[i]);
            if (d > worst) { worst = d; at = i; }
        }
        if (at >= 0 && !(worst <= tol)) {
            fail(what + ": element " + at + " expected " + expected[at] + " got " + actual[at] + " (|diff| " + worst + " > tol " + tol + ")");
        }
    }

    static void assertClose(Tensor expected, Tensor actual, double abs, double rel, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape " + Arrays.toString(actual.shape()));
        assertClose(expected.toFloatArray(), actual.toFloatArray(), abs, rel, what);
    }

    static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }
}
