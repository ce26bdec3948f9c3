package dev.orcaj.backend.cuda;

import dev.orcaj.backend.Backends;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** Device selection and the no-GPU path: these run on every machine (the GPU branch is driven by a stand-in). */
class CudaFallbackTest {

    @Test
    void availabilityNeverThrowsAndExplainsItself() {
        boolean ok = Cuda.available();
        if (ok) {
            assertNull(Cuda.unavailableReason());
            assertTrue(Cuda.deviceCount() > 0);
        } else {
            assertNotNull(Cuda.unavailableReason());
            assertFalse(Cuda.unavailableReason().isBlank());
            System.out.println("CUDA unavailable here: " + Cuda.unavailableReason());
        }
    }

    @Test
    void cudaRequestOnThisMachineFallsBackToCpuNamingTheReason() {
        assumeFalse(Cuda.available(), "a usable GPU is present: the fallback is not taken here");
        DeviceSelector.Selection s = DeviceSelector.select("cuda:0");
        assertSame(Backends.CPU, s.backend());
        assertTrue(s.fellBack());
        assertTrue(s.message().contains(Cuda.unavailableReason()), s.message());
        assertTrue(s.message().contains("cuda:0") && s.message().contains("running on cpu"), s.message());
        assertThrows(IllegalStateException.class, () -> Cuda.device(0));
    }

    @Test
    void cpuIsCpu() {
        DeviceSelector.Selection s = DeviceSelector.select("cpu");
        assertSame(Backends.CPU, s.backend());
        assertFalse(s.fellBack());
        assertSame(Backends.CPU, DeviceSelector.select(null).backend());
    }

    @Test
    void decisionBranchesWithAStandInDevice() {
        DeviceSelector.Selection noDriver = DeviceSelector.select("cuda", "no NVIDIA driver", 0, i -> { throw new AssertionError("must not open"); });
        assertSame(Backends.CPU, noDriver.backend());
        assertTrue(noDriver.message().contains("no NVIDIA driver"), noDriver.message());

        DeviceSelector.Selection missing = DeviceSelector.select("cuda:3", null, 2, i -> { throw new AssertionError("must not open"); });
        assertTrue(missing.fellBack());
        assertTrue(missing.message().contains("cuda:3") && missing.message().contains("found 2"), missing.message());

        DeviceSelector.Selection broken = DeviceSelector.select("cuda:1", null, 2, i -> { throw new IllegalStateException("context creation failed"); });
        assertTrue(broken.fellBack());
        assertTrue(broken.message().contains("context creation failed"), broken.message());

        int[] opened = {-1};
        DeviceSelector.Selection fine = DeviceSelector.select(" CUDA:1 ", null, 2, i -> { opened[0] = i; return Backends.REF; });
        assertFalse(fine.fellBack());
        assertSame(Backends.REF, fine.backend());
        assertEquals(1, opened[0]);
    }

    @Test
    void malformedDeviceIsAnErrorNamingTheFlag() {
        for (String bad : new String[] {"gpu", "cuda:-1", "cuda:x", "cuda0", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DeviceSelector.select(bad, null, 1, i -> Backends.REF));
            assertTrue(e.getMessage().contains("--device") && e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
    }

    @Test
    void fallbackIsNotAlsoLoggedSoTheCliPrintsItOnce() {
        java.util.List<java.util.logging.LogRecord> logged = new java.util.ArrayList<>();
        java.util.logging.Handler h = new java.util.logging.Handler() {
            @Override public void publish(java.util.logging.LogRecord r) { logged.add(r); }
            @Override public void flush() {}
            @Override public void close() {}
        };
        Cuda.LOG.addHandler(h);
        try {
            DeviceSelector.Selection s = DeviceSelector.select("cuda", "no NVIDIA driver", 0, i -> { throw new AssertionError("must not open"); });
            assertTrue(s.fellBack());
        } finally {
            Cuda.LOG.removeHandler(h);
        }
        assertEquals(java.util.List.of(), logged.stream().map(java.util.logging.LogRecord::getMessage).toList(), "the CLI prints selection.message(); a log record repeats it");
    }
}
