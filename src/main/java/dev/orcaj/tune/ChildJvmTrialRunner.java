package dev.orcaj.tune;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs each rung in a fresh child JVM ({@code mainClass RUNG.json RESULT.json}, see {@link TrialProcess}) with
 * {@code threads} CPU threads, its output appended to the trial's {@code log.txt}.
 *
 * <p>Why child JVMs: the CPU backend has one global thread pool ({@code CpuPool}, sized once per JVM), so trials on
 * threads of one JVM cannot each get their own share of the cores; a JVM per rung with {@code --threads k} gives
 * parallel trials k cores each, its own heap (one trial running out of memory does not end the search), and a
 * clean kill. The price is a JVM start and loading the task and body per rung (about a second for MiniLM).
 */
public final class ChildJvmTrialRunner implements TrialRunner {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String mainClass;
    private final int threads;
    private final String maxHeap;

    /** @param maxHeap the child's -Xmx value, e.g. "1200m" */
    public ChildJvmTrialRunner(String mainClass, int threads, String maxHeap) {
        if (threads < 1) throw new IllegalArgumentException("--threads-per-trial must be >= 1, got " + threads);
        this.mainClass = mainClass;
        this.threads = threads;
        this.maxHeap = maxHeap;
    }

    /**
     * The child heap of one of {@code parallel} trials in flight: an equal share of the heap the user gave this JVM
     * ({@code java -Xmx6g -jar orca.jar tune ...}: the search process itself only waits), never below the launcher's
     * default of 1200 MiB. A fixed 1200 MiB refused a Darcy batch of 32 that the same -Xmx6g runs in process.
     */
    public static String heapShare(long parentMaxHeapBytes, int parallel) {
        if (parallel < 1) throw new IllegalArgumentException("parallel trials must be >= 1, got " + parallel);
        return Math.max(1200, parentMaxHeapBytes / (1024L * 1024) / parallel) + "m";
    }

    /**
     * The command line up to the main class of a child JVM on this JVM's class path with {@code threads} CPU threads
     * and heap {@code maxHeap}; the system property {@code parentProperty} carries this process's pid, so that the
     * child can stop once its parent has gone (a kill -9 of the parent leaves no orphan training on).
     */
    public static List<String> javaCommand(int threads, String maxHeap, String parentProperty) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(List.of("--add-modules", "jdk.incubator.vector", "-Xmx" + maxHeap, "-XX:+UseParallelGC", "-XX:ParallelGCThreads=" + threads,
                "--enable-native-access=ALL-UNNAMED",
                "-Dorcaj.threads=" + threads, "-D" + parentProperty + "=" + ProcessHandle.current().pid(),
                "-cp", System.getProperty("java.class.path")));
        return cmd;
    }

    /** Runs {@code cmd} (stdout and stderr to {@code output}) to its end and returns its exit code; interrupted, it kills the child. */
    public static int runChild(List<String> cmd, ProcessBuilder.Redirect output) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output).start();
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            throw e;
        }
    }

    @Override
    public RungResult run(TrialRung rung) throws Exception {
        Path dir = Path.of(rung.workDir());
        Files.createDirectories(dir);
        Path in = dir.resolve("rung-" + rung.rung() + ".json"), out = dir.resolve("result-" + rung.rung() + ".json"), log = dir.resolve("log.txt");
        Files.deleteIfExists(out);
        dev.orcaj.io.AtomicFiles.write(in, s -> JSON.writeValue(s, rung));
        List<String> cmd = javaCommand(threads, maxHeap, TrialProcess.PARENT);
        cmd.addAll(List.of(mainClass, in.toString(), out.toString()));
        int code = runChild(cmd, ProcessBuilder.Redirect.appendTo(log.toFile()));
        if (code != 0 || !Files.exists(out)) {
            throw new IOException("trial " + rung.trialId() + " rung " + rung.rung() + ": the trial JVM exited with code " + code + "; " + lastLine(log) + " (log: " + log + ")");
        }
        return JSON.readValue(out.toFile(), RungResult.class);
    }

    /** The last "orca: error" line of the log, else its last line. */
    private static String lastLine(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        for (int i = lines.size() - 1; i >= 0; i--) if (lines.get(i).startsWith(TrialProcess.ERROR_PREFIX)) return lines.get(i);
        return lines.isEmpty() ? "no output" : lines.getLast();
    }
}
