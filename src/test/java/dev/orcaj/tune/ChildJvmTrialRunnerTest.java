package dev.orcaj.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ChildJvmTrialRunnerTest {
    private static final long GIB = 1024L * 1024 * 1024;

    /** A trial JVM gets its share of the heap the search was started with, never less than the launcher default. */
    @Test
    void childHeapIsTheParentsShare() {
        assertEquals("6144m", ChildJvmTrialRunner.heapShare(6 * GIB, 1));
        assertEquals("2048m", ChildJvmTrialRunner.heapShare(6 * GIB, 3));
        assertEquals("1200m", ChildJvmTrialRunner.heapShare(GIB, 1), "below the launcher's 1200 MiB: that default");
        assertEquals("1200m", ChildJvmTrialRunner.heapShare(4 * GIB, 4));
        assertThrows(IllegalArgumentException.class, () -> ChildJvmTrialRunner.heapShare(GIB, 0));
    }
}
