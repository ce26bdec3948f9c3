package dev.orcaj.backend.cuda;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real kernel sources of src/main/cuda, compiled with g++ against the CPU emulation of CUDA's thread model in
 * src/test/cuda-emu (one std::thread per CUDA thread, barriers for __syncthreads and warp shuffles), run with the
 * Java side's launch configurations and checked against double loops (src/test/cuda-emu/kernels_emu_test.cpp).
 * Verifies kernel logic (indexing, tiles, block/warp reductions, online log-sum-exp) without a GPU; it does not
 * verify the device compiler, the JCuda launch path or timing. Skips visibly without g++.
 */
class KernelEmulationTest {
    @Test
    void everyKernelFamilyMatchesDoubleLoopsUnderEmulation(@TempDir Path dir) throws Exception {
        Path exe = dir.resolve("kernels_emu_test");
        List<String> cmd = List.of("g++", "-std=c++20", "-O1", "-pthread", "-Isrc/test/cuda-emu", "-Isrc/main/cuda", "-o", exe.toString(),
                "src/test/cuda-emu/kernels_emu_test.cpp");
        Process cc;
        try {
            cc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "no g++ to build the CUDA emulation: " + e.getMessage());
            return;
        }
        String log = new String(cc.getInputStream().readAllBytes());
        assertTrue(cc.waitFor(300, TimeUnit.SECONDS), "g++ timed out");
        assertEquals(0, cc.exitValue(), "the kernels do not compile under the CPU emulation:\n" + log);
        Process run = new ProcessBuilder(exe.toString()).redirectErrorStream(true).start();
        String out = new String(run.getInputStream().readAllBytes());
        assertTrue(run.waitFor(300, TimeUnit.SECONDS), "emulated kernels timed out");
        System.out.print(out);
        assertTrue(out.contains("PASS sinkhorn_softmin p=2") && out.contains("PASS attention_forward"), "checks missing:\n" + out);
        assertEquals(0, run.exitValue(), "emulated kernel checks failed:\n" + out);
    }
}
