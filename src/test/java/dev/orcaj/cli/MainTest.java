package dev.orcaj.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The relaunched JVM's memory defaults apply only where the caller chose nothing of its own. */
class MainTest {
    @Test
    void heapAndCollectorDefaultsYieldToTheCallersOptions() {
        assertEquals(List.of(Main.DEFAULT_MAX_HEAP, Main.DEFAULT_GC), Main.memoryDefaults(List.of("-Dfoo=1")));
        assertEquals(List.of(Main.DEFAULT_GC), Main.memoryDefaults(List.of("-Xmx8g")));
        assertEquals(List.of(Main.DEFAULT_GC), Main.memoryDefaults(List.of("-XX:MaxRAMPercentage=50")));
        assertEquals(List.of(Main.DEFAULT_MAX_HEAP), Main.memoryDefaults(List.of("-XX:+UseG1GC")));
        assertEquals(List.of(), Main.memoryDefaults(List.of("-XX:+UseZGC", "-XX:MaxHeapSize=2g")));
    }
}
