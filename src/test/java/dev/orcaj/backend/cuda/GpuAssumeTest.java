package dev.orcaj.backend.cuda;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The comparison every CUDA test relies on must not let a NaN (or a real difference) through. */
class GpuAssumeTest {
    @Test
    void aNanFollowedByFiniteElementsFails() {
        // before the fix: worst = NaN at element 0, then !(0.0 <= NaN) reset it to the finite 0.0 and the NaN passed
        float[] expected = {1, 2, 3}, actual = {Float.NaN, 2, 3};
        assertThrows(AssertionFailedError.class, () -> GpuAssume.assertClose(expected, actual, 1e-6, 1e-6, "nan"));
        assertThrows(AssertionFailedError.class, () -> GpuAssume.assertClose(actual, expected, 1e-6, 1e-6, "nan expected"));
    }

    @Test
    void differencesBeyondTheToleranceFailAndMatchingSpecialValuesPass() {
        assertThrows(AssertionFailedError.class, () -> GpuAssume.assertClose(new float[] {1, 2}, new float[] {1, 2.1f}, 1e-3, 0, "diff"));
        assertThrows(AssertionFailedError.class, () -> GpuAssume.assertClose(new float[] {Float.POSITIVE_INFINITY}, new float[] {1}, 1e-3, 0, "inf"));
        assertDoesNotThrow(() -> GpuAssume.assertClose(new float[] {Float.NaN, Float.NEGATIVE_INFINITY, 1}, new float[] {Float.NaN, Float.NEGATIVE_INFINITY, 1.0000001f},
                1e-6, 0, "same specials"));
    }
}
