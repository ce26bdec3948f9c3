package dev.orcaj.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The one place that turns VM errors into a line (OrcaCli.run): a JVM with a tiny heap runs out of memory loading the
 * built-in MiniLM body, and must still print one line with the remedy and exit 2, not a stack trace and exit 1.
 * A separate JVM is the only way to get a real OutOfMemoryError without endangering the test JVM.
 */
class VmErrorTest {
    @TempDir
    Path dir;

    @Test
    void outOfMemoryIsOneLineWithTheRemedyAndExitCode2() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-Xmx40m", "-XX:+UseSerialGC", "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "run", "--data", "pde:advection:16:20", "--methods", "finetune", "--epochs", "1", "--threads", "1",
                "--out", dir.resolve("out").toString())).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        byte[] errBytes = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child JVM did not finish");
        String err = new String(errBytes, StandardCharsets.UTF_8);
        List<String> lines = err.lines().filter(l -> !l.startsWith("WARNING: Using incubator modules")).toList();
        assertEquals(OrcaCli.ERROR, p.exitValue(), err);
        assertEquals(1, lines.size(), err);
        assertTrue(lines.getFirst().startsWith("orca: "), err);
        assertTrue(lines.getFirst().contains("-Xmx"), "the remedy is named: " + err);
    }

    @Test
    void wrappedVmErrorsAreDescribedByWhatRanOut() {
        String oom = OrcaCli.describe(new IllegalStateException("a chunk failed", new OutOfMemoryError("Java heap space")));
        assertTrue(oom.startsWith("out of memory (Java heap space, max heap "), oom);
        assertTrue(oom.contains("-Xmx") && oom.contains("smaller batch"), oom);
        String threads = OrcaCli.describe(new OutOfMemoryError("unable to create native thread: possibly out of memory or process/resource limits reached"));
        assertTrue(threads.startsWith("cannot start another thread") && threads.contains("--threads"), threads);
        assertTrue(OrcaCli.describe(new StackOverflowError()).contains("-Xss"));
    }
}
