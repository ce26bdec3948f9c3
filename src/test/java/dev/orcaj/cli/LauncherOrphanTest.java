package dev.orcaj.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code java -jar orca.jar} relaunches itself with the Vector module (see {@link Main}). Killing the launcher with
 * SIGKILL must not leave the relaunched JVM training on as an orphan.
 */
class LauncherOrphanTest {
    @TempDir
    Path tmp;

    @Test
    void relaunchedJvmStopsWhenTheLauncherIsKilled() throws Exception {
        String data = Cli.tinyData(tmp, 40, 24);
        Path body = Cli.tinyBody(tmp);
        String javaBin = ProcessHandle.current().info().command().orElseThrow();
        // no --add-modules: Main relaunches itself; a long run that would otherwise go on for minutes
        Process launcher = new ProcessBuilder(javaBin, "-Xmx256m", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "run", "--data", data, "--body", body.toString(), "--methods", "finetune", "--epochs", "100000", "--batch-size", "8",
                "--threads", "1", "--out", tmp.resolve("out").toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("log.txt").toFile()).start();
        ProcessHandle child = null;
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (child == null && System.nanoTime() < deadline && launcher.isAlive()) {
                Optional<ProcessHandle> c = launcher.toHandle().children().findFirst();
                if (c.isPresent()) child = c.get();
                else Thread.sleep(50);
            }
            assertNotNull(child, "the launcher never relaunched itself: " + Files.readString(tmp.resolve("log.txt")));
            Thread.sleep(1500); // let the child get into its run
            assertTrue(child.isAlive(), Files.readString(tmp.resolve("log.txt")));
            launcher.destroyForcibly(); // SIGKILL: no shutdown hook runs in the launcher
            launcher.waitFor(10, TimeUnit.SECONDS);
            ProcessHandle orphan = child;
            assertDoesNotThrow(() -> orphan.onExit().get(20, TimeUnit.SECONDS), "the relaunched JVM outlived its launcher by 20 s");
            assertFalse(orphan.isAlive());
            assertTrue(Files.readString(tmp.resolve("log.txt")).contains("orca: the launching process (pid " + launcher.pid() + ") has ended"),
                    Files.readString(tmp.resolve("log.txt")));
        } finally {
            launcher.destroyForcibly();
            if (child != null) child.destroyForcibly();
        }
    }
}
