package dev.orcaj.backend.cuda;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Where nvcc exists the build must have compiled every kernel: each src/main/cuda/*.cu has /cuda/NAME.ptx on the
 * classpath with an .entry for each of its extern "C" kernels, and every kernel the Java side launches
 * ({@link Kernel}) is among them. So a CI machine with nvcc fails when a kernel stops compiling.
 */
class PtxBuildTest {
    private static final Path SOURCES = Path.of("src/main/cuda");
    private static final Pattern LOCAL_MEMORY = Pattern.compile("\\b[1-9]\\d* bytes (stack frame|spill)");
    private static final Pattern KERNEL = Pattern.compile("extern \"C\" __global__ void (\\w+)\\s*\\(");

    private static boolean nvccPresent() {
        if (Files.isExecutable(Path.of("/usr/local/cuda/bin/nvcc"))) return true;
        String home = System.getenv("CUDA_HOME");
        if (home != null && Files.isExecutable(Path.of(home, "bin", "nvcc"))) return true;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "nvcc"))) return true;
        }
        return false;
    }

    private static String ptx(String module) throws IOException {
        try (InputStream in = PtxBuildTest.class.getResourceAsStream(Kernel.resource(module))) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    @Test
    void everyCudaSourceHasPtxWithAllItsKernels() throws IOException {
        assumeTrue(nvccPresent(), "no nvcc on this machine: the cuda-ptx profile is off and no PTX is expected");
        List<Path> sources = new ArrayList<>();
        try (var s = Files.list(SOURCES)) { s.filter(p -> p.toString().endsWith(".cu")).sorted().forEach(sources::add); }
        assertFalse(sources.isEmpty(), "no .cu files under " + SOURCES.toAbsolutePath());
        for (Path cu : sources) {
            String module = cu.getFileName().toString().replace(".cu", "");
            String text = ptx(module);
            assertNotNull(text, Kernel.resource(module) + " missing: " + cu + " did not compile (run src/main/cuda/build-ptx.sh)");
            Matcher m = KERNEL.matcher(Files.readString(cu));
            int kernels = 0;
            while (m.find()) {
                kernels++;
                assertTrue(text.contains(".entry " + m.group(1) + "("), module + ".ptx lacks .entry " + m.group(1));
            }
            assertTrue(kernels > 0, cu + " declares no extern \"C\" kernel");
        }
    }

    /** ptxas beside nvcc (what the driver's JIT does on a GPU), or null. */
    private static Path ptxas() {
        for (Path p : new Path[] {Path.of("/usr/local/cuda/bin/ptxas"), System.getenv("CUDA_HOME") == null ? null : Path.of(System.getenv("CUDA_HOME"), "bin", "ptxas")}) {
            if (p != null && Files.isExecutable(p)) return p;
        }
        return null;
    }

    /**
     * The PTX assembles for Turing (sm_75, the oldest target) and Hopper (sm_90) without spilling the View structs to
     * local memory: the JIT step the driver performs on a GPU, done here ahead of time.
     */
    @Test
    void ptxAssemblesForTuringAndHopper() throws Exception {
        Path ptxas = ptxas();
        assumeTrue(nvccPresent() && ptxas != null, "no nvcc/ptxas on this machine");
        for (String module : java.util.EnumSet.allOf(Kernel.class).stream().map(k -> k.module).distinct().toList()) {
            Path f = Files.createTempFile(module, ".ptx");
            try {
                Files.writeString(f, ptx(module));
                for (String arch : new String[] {"sm_75", "sm_90"}) {
                    Process p = new ProcessBuilder(ptxas.toString(), "-arch=" + arch, "-v", "-o", "/dev/null", f.toString()).redirectErrorStream(true).start();
                    String out = new String(p.getInputStream().readAllBytes());
                    assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0, module + " does not assemble for " + arch + ":\n" + out);
                    assertFalse(LOCAL_MEMORY.matcher(out).find(), module + " uses local memory (stack or spills) on " + arch + ":\n" + out);
                }
            } finally {
                Files.deleteIfExists(f);
            }
        }
    }

    @Test
    void everyLaunchedKernelExistsInThePtx() throws IOException {
        assumeTrue(nvccPresent(), "no nvcc on this machine: the cuda-ptx profile is off and no PTX is expected");
        for (Kernel k : Kernel.values()) {
            String text = ptx(k.module);
            assertNotNull(text, Kernel.resource(k.module) + " missing");
            assertTrue(text.contains(".entry " + k.entry + "("), k.module + ".ptx lacks .entry " + k.entry + " launched by " + k);
            assertTrue(text.contains(".target sm_75"), k.module + ".ptx is not built for the compute_75 virtual architecture");
        }
        assertNull(Kernel.missingPtx());
    }
}
